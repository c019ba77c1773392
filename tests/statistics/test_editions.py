"""Editions of the SSMSI base: plausibility, preview before publication, national publication, withdrawal.

Issue #10: a prefecture agent uploaded a 201-row file named "…-produit-le2099-01-02.csv" with a department
"99" and two years of homicides only; it became the default edition of every department's pages.
"""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from tests.statistics.helpers import (
    COMMUNAL_HEADER,
    DEPARTMENTAL_HEADER,
    LEGACY_HEADER,
    communal_row,
    dep_row,
    write,
)
from vigie.audit.models import AuditEntry
from vigie.statistics import selectors
from vigie.statistics.enums import EditionStatus, SourceKind
from vigie.statistics.importers.layouts import KNOWN_DEPARTMENTS, ImportRefused
from vigie.statistics.models import Edition, ImportBatch, Observation
from vigie.statistics.services import (
    DEMO_SSMSI_FILE,
    import_ssmsi_file,
    publish_edition,
    withdraw_edition,
)

CURRENT = "donnee-dep-data.gouv-2024-geographie2024-produit-le2025-01-26.csv"
NEWER = "donnee-dep-data.gouv-2025-geographie2025-produit-le2026-01-28.csv"


def upload_file(name, rows, header=DEPARTMENTAL_HEADER):
    content = ("\ufeff" + header + "\n" + "".join(r + "\n" for r in rows)).encode()
    return SimpleUploadedFile(name, content, content_type="text/csv")


def upload(client, name, rows, header=DEPARTMENTAL_HEADER, **data):
    return client.post(
        reverse("statistics:upload"), {"file": upload_file(name, rows, header), **data}
    )


def errors(response):
    return response.context["form"].errors.get("file", [])


def newer_lot_file(tmp_path, name=NEWER):
    """The Lot, Gers, Haute-Garonne and Aveyron of the demo file, as a newer edition where the Lot's
    2024 assaults (648) became 650 and a year 2025 was added."""
    lines = DEMO_SSMSI_FILE.read_text(encoding="utf-8-sig").splitlines()
    keep = [
        line for line in lines[1:] if line.split(";", 1)[0].strip('"') in ("32", "46", "31", "12")
    ]
    keep = [
        line.replace('"648"', '"650"')
        if line.startswith('"46";"76";"2024";"Coups et blessures volontaires";')
        else line
        for line in keep
    ]
    keep += [line.replace('"2024"', '"2025"') for line in keep if line.split(";")[2] == '"2024"']
    return write(tmp_path / name, lines[0], keep)


@pytest.fixture
def lot_agent(client, make_user, occitanie):
    user = make_user("prefecture", occitanie["lot"])
    client.force_login(user)
    return user


@pytest.fixture
def admin(make_user):
    return make_user("admin")


# ------------------------------------------------------------------------------------ plausibility


@pytest.mark.django_db
def test_the_incident_file_is_refused_and_nothing_changes(client, lot_agent, subset_data):
    """201 rows, dated 2099, department "99", two years of homicides only."""
    codes = sorted(KNOWN_DEPARTMENTS)[:100]
    rows = [dep_row(c, y, "Homicides", "Victime", 3) for c in codes for y in (2023, 2024)]
    rows.append(dep_row("99", 2024, "Homicides", "Victime", 3))
    assert len(rows) == 201
    response = upload(client, "donnee-dep-data.gouv-2098-produit-le2099-01-02.csv", rows)
    assert response.status_code == 200
    assert errors(response)[0] == (
        "Date de l'édition (lue dans le nom du fichier « donnee-dep-data.gouv-2098-produit-le2099-01-02.csv »)"
        " : le 2 janvier 2099 est dans le futur ; une édition du SSMSI est datée du jour où elle a été "
        "produite."
    )
    assert list(selectors.ssmsi_editions()) == [subset_data.edition]
    assert (
        not Edition.objects.filter(source__kind=SourceKind.SSMSI)
        .exclude(pk=subset_data.edition_id)
        .exists()
    )


@pytest.mark.django_db
@pytest.mark.parametrize("engine", ["orm"])
def test_unknown_departments_are_refused_with_their_line(tmp_path, occitanie, engine):
    rows = [
        dep_row("46", 2023, "Homicides", "Victime", 1),
        dep_row("99", 2023, "Homicides", "Victime", 1),
        dep_row("20", 2023, "Homicides", "Victime", 1),
    ]
    path = write(tmp_path / CURRENT, DEPARTMENTAL_HEADER, rows)
    with pytest.raises(ImportRefused) as refused:
        import_ssmsi_file(acting_user=None, path=path, engine=engine, partial=True)
    assert refused.value.errors == [
        "Ligne 3, colonne « Code_departement » : « 99 » n'est pas un code de département (par exemple "
        "« 01 », « 2A », « 971 »).",
        "Ligne 4, colonne « Code_departement » : « 20 » n'est pas un code de département (par exemple "
        "« 01 », « 2A », « 971 »).",
    ]
    assert not Edition.objects.exists()


@pytest.mark.django_db
def test_an_incomplete_file_is_refused_unless_marked_partial(client, lot_agent):
    rows = [dep_row("46", year, "Homicides", "Victime", 1) for year in (2023, 2024)]
    response = upload(client, CURRENT, rows)
    messages = errors(response)
    assert messages[0].startswith(
        "Édition incomplète : département 46, année 2023 : il manque 16 indicateur(s) de la base "
        "départementale (Autres coups et blessures volontaires, Cambriolages de logement,"
    )
    assert messages[2] == (
        "Si le fichier ne contient volontairement qu'une partie de la base, cochez « édition partielle »."
    )
    assert not Edition.objects.exists() and not Observation.objects.exists()
    response = upload(client, CURRENT, rows, is_partial="on")
    assert response.status_code == 302
    edition = Edition.objects.get()
    assert (edition.is_partial, edition.status) == (True, EditionStatus.PENDING)


@pytest.mark.django_db
def test_the_older_layout_uploads_with_fractional_dwellings(client, lot_agent):
    rows = [
        "Cambriolages de logement;16;46;76;infractions;16;16;512;173758;119327,8213;4,29070318",
        "Homicides;16;46;76;victimes;16;16;;173758;119327,8213;",
    ]
    name = "donnee-data.gouv-2022-geographie2022-produit-le2023-03-30.csv"
    response = upload(client, name, rows, header=LEGACY_HEADER, is_partial="on")
    assert response.status_code == 302, errors(response)
    burglaries = Observation.objects.get(series__indicator__name="Cambriolages de logement")
    assert str(burglaries.dwellings.normalize()) == "119327.8213"


# ------------------------------------------------------------------------------ preview, publication


@pytest.mark.django_db
def test_an_upload_waits_for_its_preview_and_shows_what_changes(
    client, lot_agent, subset_data, tmp_path
):
    path = newer_lot_file(tmp_path)
    response = client.post(
        reverse("statistics:upload"),
        {"file": SimpleUploadedFile(NEWER, path.read_bytes(), content_type="text/csv")},
    )
    pending = Edition.objects.get(status=EditionStatus.PENDING)
    assert response["Location"] == reverse("statistics:edition", args=[pending.pk])
    # Nothing public changed: the pages still show the January 2025 edition.
    assert selectors.default_edition() == subset_data.edition
    page = client.get(reverse("statistics:department", args=["46"]))
    assert page.context["edition"] == subset_data.edition
    assert pending not in page.context["editions"]
    preview = client.get(response["Location"])
    text = preview.content.decode()
    assert "Aperçu : édition non publiée" in text
    overview = preview.context["overview"]
    assert overview.departments == ["12", "31", "32", "46"]
    assert len(overview.indicators) == 17
    assert overview.years == list(range(2016, 2026))
    assert preview.context["current"] == subset_data.edition
    (lot,) = preview.context["comparisons"]
    changes = {(c.indicator, c.year): (c.old, c.new, c.kind) for c in lot["changes"]}
    assert changes[("Coups et blessures volontaires", 2024)] == (648, 650, "modifié")
    assert changes[("Coups et blessures volontaires", 2025)] == (None, 650, "nouveau")
    assert len(changes) == 18  # 17 indicators in 2025, one changed figure in 2024
    # A prefecture agent cannot publish national data.
    assert not preview.context["can_publish"]
    assert "réservée aux administrateurs nationaux" in text
    response = client.post(reverse("statistics:edition_publish", args=[pending.pk]))
    assert response.status_code == 403
    assert selectors.default_edition() == subset_data.edition


@pytest.mark.django_db
def test_an_administrator_publishes_then_withdraws(client, admin, subset_data, tmp_path):
    client.force_login(admin)
    path = newer_lot_file(tmp_path)
    client.post(
        reverse("statistics:upload"),
        {"file": SimpleUploadedFile(NEWER, path.read_bytes(), content_type="text/csv")},
    )
    pending = Edition.objects.get(status=EditionStatus.PENDING)
    preview = client.get(reverse("statistics:edition", args=[pending.pk]) + "?departement=32")
    assert [c["code"] for c in preview.context["comparisons"]] == ["32"]
    assert preview.context["can_publish"]
    response = client.post(reverse("statistics:edition_publish", args=[pending.pk]))
    assert response.status_code == 302
    assert selectors.default_edition() == pending
    page = client.get(reverse("statistics:department", args=["46"]))
    assert page.context["edition"] == pending
    entry = AuditEntry.objects.filter(object_id=str(pending.pk), action="update").get()
    assert entry.actor == admin
    assert entry.changes["status"]["old"] == "En attente de publication (aperçu)"
    assert entry.changes["status"]["new"] == "Publiée"

    response = client.post(
        reverse("statistics:edition_withdraw", args=[pending.pk]), {"reason": "Erreur de fichier"}
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == EditionStatus.WITHDRAWN
    # The previous edition is the default again; the withdrawn one is shown nowhere.
    assert list(selectors.ssmsi_editions()) == [subset_data.edition]
    page = client.get(reverse("statistics:department", args=["46"]) + f"?edition={pending.pk}")
    assert page.context["edition"] == subset_data.edition
    assert pending not in page.context["editions"]
    entry = AuditEntry.objects.filter(object_id=str(pending.pk), action="update").first()
    assert (entry.changes["status"]["old"], entry.changes["status"]["new"]) == (
        "Publiée",
        "Retirée",
    )
    assert entry.reason == "Erreur de fichier"


@pytest.mark.django_db
def test_publishing_an_edition_of_the_same_date_replaces_the_published_one(
    tmp_path, occitanie, admin, subset_data
):
    path = newer_lot_file(tmp_path, name=CURRENT)
    batch = import_ssmsi_file(acting_user=admin, path=path, publish=False)
    assert batch.edition != subset_data.edition
    assert batch.edition.status == EditionStatus.PENDING
    publish_edition(acting_user=admin, edition=batch.edition)
    subset_data.edition.refresh_from_db()
    assert subset_data.edition.status == EditionStatus.WITHDRAWN
    assert list(selectors.ssmsi_editions()) == [batch.edition]
    withdraw_edition(acting_user=admin, edition=batch.edition)
    assert list(selectors.ssmsi_editions()) == []


@pytest.mark.django_db
def test_a_prefecture_agent_abandons_a_pending_upload(client, lot_agent):
    upload(client, CURRENT, [dep_row("46", 2024, "Homicides", "Victime", 1)], is_partial="on")
    pending = Edition.objects.get()
    response = client.post(reverse("statistics:edition_withdraw", args=[pending.pk]))
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == EditionStatus.WITHDRAWN
    assert AuditEntry.objects.filter(
        object_id=str(pending.pk), action="update", reason="Dépôt abandonné après aperçu"
    ).exists()


# ---------------------------------------------------------------------------------------- command


@pytest.mark.django_db
def test_the_command_publishes_unless_asked_for_a_preview(tmp_path, occitanie):
    path = newer_lot_file(tmp_path)
    call_command("import_ssmsi", str(path), "--apercu")
    pending = Edition.objects.get()
    assert pending.status == EditionStatus.PENDING
    assert selectors.default_edition() is None
    call_command("import_ssmsi", str(path))
    published = Edition.objects.get(status=EditionStatus.PUBLISHED)
    assert published.published_on == date(2026, 1, 28)
    assert selectors.default_edition() == published
    # Re-importing the published edition updates it in place.
    call_command("import_ssmsi", str(path))
    assert Edition.objects.count() == 2 and ImportBatch.objects.count() == 2


@pytest.mark.django_db
def test_preview_of_a_communal_edition(client, lot_agent, communal_data):
    rows = [
        communal_row("46042", 2024, "Cambriolages de logement", "Infraction", 125, log="12000,5"),
        communal_row("46002", 2024, "Cambriolages de logement", "Infraction", 0),
        communal_row("32013", 2024, "Cambriolages de logement", "Infraction", 7),
    ]
    response = upload(
        client,
        "donnee-comm-data.gouv-2025-geographie2025-produit-le2026-01-28.csv",
        rows,
        header=COMMUNAL_HEADER,
        is_partial="on",
    )
    assert response.status_code == 302, errors(response)
    preview = client.get(response["Location"])
    overview = preview.context["overview"]
    assert (overview.departments, overview.communes, overview.years, overview.rows) == (
        ["32", "46"],
        3,
        [2024],
        3,
    )
    assert overview.indicators == ["Cambriolages de logement"]
    assert preview.context["current"] == communal_data.edition
    (lot,) = preview.context["comparisons"]
    changes = {(c.indicator, c.year): (c.old, c.new) for c in lot["changes"]}
    # Lot's communes: 110 + 0 + 3 in 2023 (absent now); 120 + 0 + 3 in 2024, now 125 + 0.
    assert changes == {
        ("Cambriolages de logement", 2023): (113, None),
        ("Cambriolages de logement", 2024): (123, 125),
    }
