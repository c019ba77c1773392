import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from tests.statistics.helpers import DEPARTMENTAL_HEADER, dep_row
from vigie.audit.models import AuditEntry
from vigie.statistics.models import Edition, ImportBatch, Observation

NAME = "donnee-dep-data.gouv-2024-geographie2024-produit-le2025-01-26.csv"


def csv_upload(rows, name=NAME, content_type="text/csv", header=DEPARTMENTAL_HEADER):
    content = ("\ufeff" + header + "\n" + "".join(r + "\n" for r in rows)).encode()
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def agent(client, make_user, occitanie):
    user = make_user("prefecture", occitanie["gers"])
    client.force_login(user)
    return user


def field_errors(response):
    return response.context["form"].errors.get("file", [])


@pytest.mark.django_db
def test_upload_imports_and_logs_one_audit_entry(client, agent):
    rows = [dep_row("46", year, "Homicides", "Victime", 1) for year in (2019, 2020)]
    response = client.post(
        reverse("statistics:upload"), {"file": csv_upload(rows), "is_partial": "on"}, follow=True
    )
    assert (
        "Import terminé (édition du 26 janvier 2025 (géographie 2024)) : 2 lignes lues"
        in response.content.decode()
    )
    assert Observation.objects.count() == 2
    entries = AuditEntry.objects.filter(object_repr__startswith="Import de")
    assert entries.count() == 1 and entries.get().actor == agent


@pytest.mark.django_db
def test_bad_cell_is_reported_beside_the_field_and_nothing_written(client, agent):
    rows = [
        dep_row("46", 2019, "Homicides", "Victime", 1),
        dep_row("46", 2020, "Homicides", "Victime", "n.c."),
    ]
    response = client.post(reverse("statistics:upload"), {"file": csv_upload(rows)})
    assert response.status_code == 200
    errors = field_errors(response)
    assert (
        errors[0]
        == "Ligne 3, colonne « nombre » : « n.c. » n'est pas un nombre entier positif (ni « NA »)."
    )
    assert "Rien n'a été importé" in errors[-1]
    assert (
        not Observation.objects.exists()
        and not Edition.objects.exists()
        and not ImportBatch.objects.exists()
    )
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_unknown_header(client, agent):
    response = client.post(
        reverse("statistics:upload"), {"file": csv_upload(["1;2"], header="a;b")}
    )
    assert field_errors(response)[0].startswith(
        "Ligne 1 : en-tête non reconnu (« a;b »). Colonnes attendues"
    )


@pytest.mark.django_db
def test_missing_edition_date_asks_for_it(client, agent):
    upload = csv_upload([dep_row("46", 2019, "Homicides", "Victime", 1)], name="export.csv")
    response = client.post(reverse("statistics:upload"), {"file": upload})
    assert "indiquez la date de publication" in field_errors(response)[0]
    upload = csv_upload([dep_row("46", 2019, "Homicides", "Victime", 1)], name="export.csv")
    response = client.post(
        reverse("statistics:upload"),
        {"file": upload, "published_on": "2025-01-26", "is_partial": "on"},
    )
    assert response.status_code == 302
    assert Edition.objects.get().label == "édition du 26 janvier 2025"


@pytest.mark.django_db
@override_settings(VIGIE_MAX_UPLOAD_BYTES=100)
def test_file_too_large(client, agent):
    rows = [dep_row("46", year, "Homicides", "Victime", 1) for year in range(2016, 2025)]
    response = client.post(reverse("statistics:upload"), {"file": csv_upload(rows)})
    assert field_errors(response) == [
        "Le fichier est trop volumineux (899 octets) : la taille maximale est de 100 octets. "
        "Importez la base communale avec la commande « manage.py import_ssmsi »."
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, content_type, content, message",
    [
        (
            "base.xlsx",
            "text/csv",
            b"a;b\n",
            "Format non accepté (.xlsx) : déposez un fichier CSV (.csv).",
        ),
        (
            "base.csv",
            "image/png",
            b"a;b\n",
            "Format non accepté (image/png) : déposez un fichier CSV (.csv).",
        ),
        (
            "base.csv",
            "text/csv",
            b"\x89PNG\x00\x00",
            "Le contenu du fichier ne correspond pas à son extension : un fichier CSV (.csv) était "
            "attendu, c'est une image PNG. Vérifiez le fichier ou renommez-le avec la bonne "
            "extension.",
        ),
        (
            "base.csv",
            "text/csv",
            b"a;b\n\x00\x01",
            "Le contenu du fichier ne correspond pas à son extension : un fichier CSV (.csv) était "
            "attendu, c'est un fichier binaire. Vérifiez le fichier ou renommez-le avec la bonne "
            "extension.",
        ),
    ],
)
def test_wrong_file_type(client, agent, name, content_type, content, message):
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    response = client.post(reverse("statistics:upload"), {"file": upload})
    assert field_errors(response) == [message]


@pytest.mark.django_db
def test_no_file(client, agent):
    response = client.post(reverse("statistics:upload"), {})
    assert field_errors(response) == ["Ce champ est obligatoire."]
