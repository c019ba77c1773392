"""The spreadsheet import of a call's applications (vigie.funding.application_import): all or nothing, located
errors, deposited applications with a balanced budget, no duplicate on re-import."""

import re
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from tests.factories import DepartmentFactory
from tests.funding.import_data import HEADERS, build_world, export, good_rows
from vigie.audit.models import AuditEntry
from vigie.funding.application_import import (
    guess_mapping,
    import_applications,
    save_import_mapping,
)
from vigie.funding.enums import ApplicationState
from vigie.funding.import_reading import Invalid, parse_date
from vigie.funding.models import ApplicationImportMapping, GrantApplication

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def agent(world, make_user):
    return make_user("prefecture", world["gers"])


def _run(agent, call, rows, fmt="xlsx", *, dry_run=False, headers=HEADERS):
    name, data = export(rows, fmt, headers)
    return import_applications(
        acting_user=agent, call=call, filename=name, data=data, dry_run=dry_run
    )


@pytest.mark.parametrize("fmt", ["xlsx", "ods", "csv"])
def test_every_format_creates_deposited_applications_with_a_balanced_budget(world, agent, fmt):
    call = world["call"]
    outcome = _run(agent, call, good_rows(call), fmt)
    assert outcome.check.ok, [str(e) for e in outcome.check.errors]
    assert len(outcome.created) == 2
    first = GrantApplication.objects.get(external_reference="DS-1001")
    assert first.state == ApplicationState.SUBMITTED
    assert first.organisation == world["association"]
    assert first.applicant_kind == "association"
    assert first.call_programme.programme.code == "D"
    assert first.submitted_at.date() == call.opens_on + timedelta(days=1)
    assert first.total_cost == Decimal("20000") and first.requested_amount == Decimal("8000")
    lines = {(line.account, line.funder_category): line.amount for line in first.budget_lines.all()}
    assert lines == {
        ("60", ""): Decimal("20000"),
        ("74", "state"): Decimal("8000"),
        ("74", "other"): Decimal("2000"),
        ("75", ""): Decimal("10000"),
    }
    assert list(first.measures.all()) == [world["measures"]["1.1"]]
    assert list(first.communes.all()) == [world["auch"]]
    second = GrantApplication.objects.get(external_reference="DS-1002")
    assert second.organisation == world["town"]
    assert second.applicant_kind == "other_public"  # from the directory's « collectivité »
    assert second.call_programme.programme.code == "S"
    assert second.total_cost == Decimal("50000") and second.requested_amount == Decimal("25000")
    assert {m.number for m in second.measures.all()} == {"1.1", "2.1"}
    assert second.communes.count() == 2
    assert [c.to_state for c in second.state_changes.all()] == [ApplicationState.SUBMITTED]


def test_import_is_audited_with_the_file_name(world, agent):
    _run(agent, world["call"], good_rows(world["call"]))
    application = GrantApplication.objects.get(external_reference="DS-1001")
    reasons = list(
        AuditEntry.objects.filter(object_id=str(application.pk)).values_list("reason", flat=True)
    )
    assert "Import du fichier « dossiers.xlsx », dossier n° DS-1001" in reasons
    assert "Budget importé (dossier n° DS-1001)" in reasons


def test_a_bad_row_is_located_and_nothing_is_written(world, agent):
    call = world["call"]
    rows = good_rows(call)
    rows[1][9] = "beaucoup"
    rows[0][1] = "Association inconnue"
    outcome = _run(agent, call, rows)
    messages = [str(e) for e in outcome.check.errors]
    assert (
        "Ligne 3, colonne « Montant demandé » : « beaucoup » n'est pas un montant en euros."
        in messages
    )
    assert any(
        m.startswith(
            "Ligne 2, colonne « Raison sociale » : organisation « Association inconnue » inconnue"
        )
        for m in messages
    )
    assert outcome.created == []
    assert not GrantApplication.objects.exists()


def test_amounts_beyond_the_cost_and_unknown_references_are_located(world, agent):
    call = world["call"]
    rows = good_rows(call)
    rows[0][9] = 19000  # 19 000 asked + 2 000 others > 20 000
    rows[1][6] = "9.9"
    rows[1][7] = "75056"
    messages = [str(e) for e in _run(agent, call, rows).check.errors]
    assert messages[0].startswith("Ligne 2, colonne « Montant demandé » : le montant demandé")
    assert (
        "Ligne 3, colonne « Mesures du plan » : mesure « 9.9 » absente du plan adopté." in messages
    )
    assert (
        "Ligne 3, colonne « Code INSEE » : code INSEE « 75056 » : pas une commune du département "
        "Gers (32)." in messages
    )
    assert not GrantApplication.objects.exists()


def test_reimport_skips_files_already_imported_and_adds_new_ones(world, agent):
    call = world["call"]
    _run(agent, call, good_rows(call))
    rows = good_rows(call)
    new = list(rows[0])
    new[0], new[2] = "DS-1003", "Chantier éducatif"
    outcome = _run(agent, call, [*rows, new])
    assert outcome.check.ok
    assert outcome.check.skipped == [(2, "DS-1001"), (3, "DS-1002")]
    assert [a.external_reference for a in outcome.created] == ["DS-1003"]
    assert GrantApplication.objects.count() == 3


def test_the_same_number_twice_in_a_file_is_an_error(world, agent):
    call = world["call"]
    rows = good_rows(call)
    rows[1][0] = "DS-1001"
    messages = [str(e) for e in _run(agent, call, rows).check.errors]
    assert messages == [
        "Ligne 3, colonne « Numéro de dossier » : numéro de dossier en double : déjà à la ligne 2."
    ]
    assert not GrantApplication.objects.exists()


def test_dry_run_writes_nothing(world, agent):
    outcome = _run(agent, world["call"], good_rows(world["call"]), dry_run=True)
    assert outcome.check.ok and len(outcome.check.rows) == 2
    assert not GrantApplication.objects.exists()


def test_a_deposit_after_the_closing_date_is_refused_on_its_row(world, agent):
    call = world["call"]
    rows = good_rows(call)
    rows[0][11] = (call.closes_on + timedelta(days=1)).strftime("%d/%m/%Y")
    messages = [str(e) for e in _run(agent, call, rows).check.errors]
    assert len(messages) == 1
    assert messages[0].startswith("Ligne 2, colonne « Déposé le » : dossier déposé le")
    assert "après la clôture de l'appel" in messages[0]


def test_a_call_not_yet_open_is_refused(world, agent):
    call = world["call"]
    call.opens_on = call.closes_on = call.closes_on + timedelta(days=400)
    call.save()
    with pytest.raises(ValidationError, match="n'ouvre que le"):
        _run(agent, call, good_rows(call))


def test_a_closed_call_still_takes_its_deposited_files(world, agent):
    """Exports are made after the closing date: a closed call is imported, deposit dates are checked."""
    call = world["call"]
    rows = good_rows(call)
    call.closes_on = call.opens_on + timedelta(days=2)
    call.save()
    assert len(_run(agent, call, rows).created) == 2


@pytest.mark.parametrize(
    ("role", "same"), [("prefecture", False), ("pilot", True), ("applicant", True)]
)
def test_only_the_call_s_prefecture_imports(world, make_user, role, same):
    department = world["gers"] if same else DepartmentFactory(code="46", name="Lot")
    extra = {"organisation": world["association"]} if role == "applicant" else {}
    user = make_user(role, department, **extra)
    with pytest.raises(PermissionDenied):
        _run(user, world["call"], good_rows(world["call"]))
    assert not GrantApplication.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("dossiers.pdf", b"%PDF-1.4", "Format non accepté (.pdf)"),
        ("dossiers.xlsx", b"\x89PNG\r\n\x1a\n....", "une image PNG"),
        ("dossiers.xlsx", b"PK\x03\x04 not a zip", "pas un classeur XLSX lisible"),
        ("dossiers.csv", b"", "Le fichier est vide."),
    ],
)
def test_bad_files_are_refused(world, agent, name, data, message):
    with pytest.raises(ValidationError, match=re.escape(message)):
        import_applications(
            acting_user=agent, call=world["call"], filename=name, data=data, dry_run=False
        )


def test_a_missing_required_column_is_reported_before_any_row(world, agent):
    headers = [h if h != "Montant demandé" else "Divers" for h in HEADERS]
    messages = [
        str(e)
        for e in _run(agent, world["call"], good_rows(world["call"]), headers=headers).check.errors
    ]
    assert messages == ["Choisissez la colonne du champ « Montant demandé (€) »."]


def test_headers_are_guessed_and_the_saved_mapping_is_reused(world, agent):
    call = world["call"]
    guessed = guess_mapping(HEADERS)
    assert guessed["requested"] == "Montant demandé"
    assert guessed["communes"] == "Code INSEE"
    assert guessed["submitted_on"] == "Déposé le"
    headers = [h if h != "Montant demandé" else "Subvention FIPD" for h in HEADERS]
    save_import_mapping(
        acting_user=agent, call=call, columns={**guessed, "requested": "Subvention FIPD"}
    )
    outcome = _run(agent, call, good_rows(call), headers=headers)
    assert len(outcome.created) == 2
    mapping = ApplicationImportMapping.objects.get(call=call)
    assert AuditEntry.objects.filter(object_id=str(mapping.pk), action="create").exists()
    save_import_mapping(acting_user=agent, call=call, columns={**guessed})
    assert AuditEntry.objects.filter(object_id=str(mapping.pk), action="update").exists()


def test_only_the_call_s_prefecture_saves_a_mapping(world, make_user):
    with pytest.raises(PermissionDenied):
        save_import_mapping(
            acting_user=make_user("pilot", world["gers"]), call=world["call"], columns={}
        )


def test_dates_are_read_from_serials_iso_and_french():
    assert str(parse_date(46082)) == "2026-03-01"
    assert str(parse_date("2026-03-01T00:00:00")) == "2026-03-01"
    assert str(parse_date("1/3/2026")) == "2026-03-01"
    with pytest.raises(Invalid):
        parse_date("31/02/2026")


def test_the_command_imports_with_dry_run_first(world, agent, tmp_path):
    call = world["call"]
    name, data = export(good_rows(call))
    path = tmp_path / name
    path.write_bytes(data)
    out = StringIO()
    args = [str(path), "--call", str(call.pk), "--user", agent.username]
    call_command("import_grant_applications", *args, "--dry-run", stdout=out)
    assert "2 dossier(s) à importer" in out.getvalue()
    assert not GrantApplication.objects.exists()
    call_command("import_grant_applications", *args, stdout=out)
    assert GrantApplication.objects.count() == 2
    call_command("import_grant_applications", *args, stdout=out)
    assert "dossier DS-1001 déjà importé" in out.getvalue()
    assert GrantApplication.objects.count() == 2


def test_the_command_reports_located_errors(world, agent, tmp_path):
    rows = good_rows(world["call"])
    rows[0][8] = "?"
    name, data = export(rows)
    path = tmp_path / name
    path.write_bytes(data)
    err = StringIO()
    with pytest.raises(CommandError, match="rien n'a été importé"):
        call_command(
            "import_grant_applications",
            str(path),
            "--call",
            str(world["call"].pk),
            "--user",
            agent.username,
            stderr=err,
        )
    assert (
        "Ligne 2, colonne « Coût total » : « ? » n'est pas un montant en euros." in err.getvalue()
    )


def test_an_export_without_programme_column_uses_the_mapping_s_programme(world, agent):
    call = world["call"]
    headers = [h for h in HEADERS if h != "Programme"]
    rows = [[v for i, v in enumerate(row) if HEADERS[i] != "Programme"] for row in good_rows(call)]
    columns = guess_mapping(headers)
    assert "programme" not in columns
    messages = [str(e) for e in _run(agent, call, rows, headers=headers).check.errors]
    assert messages == [
        "Choisissez la colonne du champ « Programme », ou le programme de tous les dossiers."
    ]
    programme_r = call.programmes.get(programme__code="R")
    save_import_mapping(
        acting_user=agent, call=call, columns=columns, default_programme=programme_r
    )
    created = _run(agent, call, rows, headers=headers).created
    assert {a.call_programme for a in created} == {programme_r}


def test_the_applicant_s_nature_is_read_from_its_column(world, agent):
    call = world["call"]
    headers = [*HEADERS, "Statut juridique"]
    rows = good_rows(call)
    rows[0].append("Association loi 1901")
    rows[1].append("Communauté de communes")
    created = _run(agent, call, rows, headers=headers).created
    assert [a.applicant_kind for a in created] == ["association", "epci"]
    rows[1][-1] = "Fondation"
    rows[1][0] = "DS-2"
    messages = [str(e) for e in _run(agent, call, rows, headers=headers).check.errors]
    assert messages == [
        "Ligne 3, colonne « Statut juridique » : nature du porteur « Fondation » inconnue."
    ]
