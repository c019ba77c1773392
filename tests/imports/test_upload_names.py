"""Plan documents uploaded at the same moment through two nodes never share a name in the storage. Object storage
(S3) has no atomic "create if absent": both nodes check that a name is free before either writes, so the name
must already be unique when it is checked."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from vigie.imports import services
from vigie.imports.models import ImportSession

FIRST = "# Plan départemental 2022-2025\n\n## Axe 1 : Les jeunes\n".encode()
SECOND = "# Plan départemental 2026-2029\n\n## Axe 1 : Les victimes\n".encode()


@pytest.fixture
def racing_storage(monkeypatch):
    """The documents' storage as each node sees it while the other is still writing: every name free."""
    storage = ImportSession._meta.get_field("file").storage
    monkeypatch.setattr(storage, "exists", lambda name: False)
    return storage


def test_documents_uploaded_at_once_keep_their_own_bytes(make_user, gers, racing_storage):
    agent = make_user("prefecture", gers)
    sessions = [
        services.create_session(
            acting_user=agent, department=gers, upload=SimpleUploadedFile("plan.md", content)
        )
        for content in (FIRST, SECOND)
    ]
    assert sessions[0].file.name != sessions[1].file.name
    for session, content in zip(sessions, (FIRST, SECOND), strict=True):
        assert session.file.name.startswith("imports/32/") and session.file.name.endswith(".md")
        with racing_storage.open(session.file.name, "rb") as stored:
            assert stored.read() == content
