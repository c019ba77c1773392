"""An uploaded plan document is never reachable by URL: it lives in the private storage (outside MEDIA_ROOT)
and is only read by the analysis and the permission-checked review pages."""

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from vigie.core.storage import private_storage
from vigie.imports.models import ImportSession

TEXT = "# Plan départemental 2022-2025\n\n## Axe 1 : Les jeunes\n\n### Mesure 1.1 : Agir tôt\n\n- Ouvrir un accueil\n"


def test_uploaded_document_goes_to_the_private_storage(client, make_user, gers):
    client.force_login(make_user("prefecture", gers))
    client.post(
        reverse("imports:start", args=["32"]),
        {"file": SimpleUploadedFile("plan.md", TEXT.encode())},
    )
    session = ImportSession.objects.get()
    assert ImportSession._meta.get_field("file")._storage_callable is private_storage
    assert session.file.storage.exists(session.file.name)
    assert not default_storage.exists(session.file.name)
