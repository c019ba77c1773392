"""Confirming a document is one transaction, from the web and from the command line: when the
version cannot be recorded after the plan was written, nothing at all is left (no plan, no row
of it, no version, no organisation, no audit entry)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.imports.conftest import SEED_FILES, row_counts
from tests.imports.test_versions import lot_amended_text
from vigie.imports import services
from vigie.imports.enums import ImportStatus
from vigie.imports.errors import PlanImportError
from vigie.imports.models import ImportSession
from vigie.plans.models import Plan

FAILURE = "Échec simulé : version non enregistrée."


def fail(*args, **kwargs):
    raise PlanImportError(FAILURE)


def import_lot(*args, **options):
    call_command("import_plan", *map(str, args), department="46", stdout=io.StringIO(), **options)


@pytest.fixture
def lot_amended(tmp_path):
    path = tmp_path / "lot-avenant.md"
    path.write_text(lot_amended_text(), encoding="utf-8")
    return path


# --- the command line ------------------------------------------------------------------------


def test_command_new_plan_leaves_nothing_when_its_version_fails(lot, monkeypatch):
    monkeypatch.setattr(services, "record_version", fail)
    before = row_counts()

    with pytest.raises(CommandError, match=FAILURE):
        import_lot(SEED_FILES["lot"])

    assert row_counts() == before
    assert not Plan.objects.exists()


def test_command_correction_leaves_nothing_when_the_version_fails(lot, lot_amended, monkeypatch):
    import_lot(SEED_FILES["lot"])
    plan = Plan.objects.get(department=lot)
    titles = sorted(plan.axes.values_list("measures__title", flat=True))
    snapshot = plan.versions.get().snapshot
    monkeypatch.setattr(services, "refresh_current_version", fail)
    before = row_counts()

    with pytest.raises(CommandError, match=FAILURE):
        import_lot(lot_amended)

    assert row_counts() == before
    assert sorted(plan.axes.values_list("measures__title", flat=True)) == titles
    assert plan.versions.get().snapshot == snapshot


def test_command_new_version_leaves_nothing_when_the_version_fails(lot, lot_amended, monkeypatch):
    import_lot(SEED_FILES["lot"])
    monkeypatch.setattr(services, "record_version", fail)
    before = row_counts()

    with pytest.raises(CommandError, match=FAILURE):
        import_lot(lot_amended, version_label="Avenant n° 1")

    assert row_counts() == before


# --- the web ---------------------------------------------------------------------------------


def uploaded_session(client, make_user, department) -> ImportSession:
    client.force_login(make_user("prefecture", department))
    client.post(
        reverse("imports:start", args=[department.code]),
        {"file": SimpleUploadedFile("lot.txt", SEED_FILES["lot"].read_bytes())},
    )
    session = ImportSession.objects.get()
    assert session.status == ImportStatus.REVIEW
    return session


def test_web_confirmation_leaves_nothing_when_the_version_fails(
    client, make_user, lot, monkeypatch
):
    session = uploaded_session(client, make_user, lot)
    monkeypatch.setattr(services, "record_version", fail)
    before = row_counts()

    response = client.post(reverse("imports:confirm", args=[session.pk]), follow=True)

    assert FAILURE in response.content.decode()
    assert row_counts() == before
    assert not Plan.objects.exists()
    session.refresh_from_db()
    assert session.status == ImportStatus.REVIEW and session.version is None


def test_service_confirmation_leaves_nothing_on_an_unexpected_error(
    client, make_user, lot, monkeypatch
):
    session = uploaded_session(client, make_user, lot)
    user = session.created_by

    def crash(*args, **kwargs):
        raise RuntimeError("version")

    monkeypatch.setattr(services, "record_version", crash)
    before = row_counts()

    with pytest.raises(RuntimeError):
        services.confirm_session(acting_user=user, session=session)

    assert row_counts() == before
    session.refresh_from_db()
    assert session.status == ImportStatus.REVIEW
