"""Rights of the person followed (services): export for an access request (JSON and PDF), rectification with an
encrypted history, erasure on a justified objection. Coordinator only; each logged in the access log and audited
without names."""

import datetime
import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from pypdf import PdfReader

from tests.casework.factories import make_case, make_group, make_member
from vigie.audit.models import AuditEntry
from vigie.casework import case_services, rights
from vigie.casework.crypto import name_hash
from vigie.casework.enums import AccessAction, AccessChannel, ErasureGround, Level, MemberRole
from vigie.casework.models import AccessLogEntry, Case, CaseEntry
from vigie.casework.rights_models import AccessRequest, CaseRectification

pytestmark = pytest.mark.django_db

REQUESTED = datetime.date(2026, 11, 20)


@pytest.fixture
def team():
    group, _ = make_group()
    coordinator = make_member(group, role=MemberRole.COORDINATOR)
    referent = make_member(group)
    social = make_member(group, role=MemberRole.SOCIAL_WORKER)
    case = make_case(referent, assigned=[social])
    for level, text in ((Level.CONFIDENTIAL, "Rencontre au collège"), (Level.SECRET, "Suivi psy")):
        case_services.add_entry(
            acting_user=social.user,
            member=social,
            case=case,
            data={"date": datetime.date(2026, 3, 2), "level": level, "situation": text},
        )
    return {"group": group, "coordinator": coordinator, "referent": referent, "case": case}


def _log_actions(case) -> list[str]:
    rows = AccessLogEntry.objects.filter(case_public_id=case.public_id).order_by("pk")
    return list(rows.values_list("action", flat=True))


def _audit_text() -> str:
    return " ".join(
        f"{e.object_repr} {e.reason} {json.dumps(e.changes, ensure_ascii=False)}"
        for e in AuditEntry.objects.all()
    )


def _export(team, fmt, member=None):
    return rights.export_case(
        acting_user=(member or team["coordinator"]).user,
        member=member or team["coordinator"],
        case=team["case"],
        requested_on=REQUESTED,
        export_format=fmt,
    )


def test_the_json_export_holds_everything_secret_entries_included(team):
    export = _export(team, "json")
    assert export.content_type == "application/json"
    assert export.filename.endswith(".json") and "DUPONT" not in export.filename
    data = json.loads(export.content)
    assert data["identity"]["last_name"] == "DUPONT-FICTIF"
    assert data["identity"]["birth_date"] == "2011-03-14"
    assert data["identity"]["commune"]["name"] == "Condom"
    assert data["case"]["reference"] == str(team["case"].public_id)
    assert {e["situation"] for e in data["entries"]} == {"Rencontre au collège", "Suivi psy"}
    assert data["request"]["requested_on"] == "2026-11-20"
    assert data["holder"]["controller"] == "Maire de Condom"
    assert data["access_requests"][0]["requested_on"] == "2026-11-20"


def test_the_export_records_the_request_and_is_logged_and_audited_without_names(team):
    _export(team, "pdf")
    request = AccessRequest.objects.get()
    assert (request.case, request.requested_on, request.export_format) == (
        team["case"],
        REQUESTED,
        "pdf",
    )
    row = AccessLogEntry.objects.filter(action=AccessAction.EXPORT).get()
    assert row.channel == AccessChannel.EXPORT and row.case_public_id == team["case"].public_id
    assert "Export pour une demande d'accès" in _audit_text()
    assert "DUPONT" not in _audit_text() and "Suivi psy" not in _audit_text()


def test_the_pdf_export_reads_back(team):
    export = _export(team, "pdf")
    assert export.content.startswith(b"%PDF") and export.content_type == "application/pdf"
    reader = PdfReader(io.BytesIO(export.content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    for expected in (
        "DUPONT-FICTIF",
        "14/03/2011",
        "Suivi psy",
        "Rencontre au collège",
        "20/11/2026",
    ):
        assert expected in text, expected


def test_only_the_coordinator_exercises_the_rights(team):
    referent = team["referent"]
    with pytest.raises(PermissionDenied):
        _export(team, "json", member=referent)
    with pytest.raises(PermissionDenied):
        rights.rectify_case(
            acting_user=referent.user, member=referent, case=team["case"], data={"first_name": "X"}
        )
    with pytest.raises(PermissionDenied):
        rights.erase_case(
            acting_user=referent.user,
            member=referent,
            case=team["case"],
            ground=ErasureGround.OBJECTION,
            justification="Opposition écrite reçue et jugée fondée",
        )
    assert Case.objects.filter(pk=team["case"].pk).exists() and not AccessRequest.objects.exists()


def test_the_request_date_is_required_and_not_in_the_future(team):
    for day in (None, datetime.date(2099, 1, 1)):
        with pytest.raises(ValidationError) as error:
            rights.export_case(
                acting_user=team["coordinator"].user,
                member=team["coordinator"],
                case=team["case"],
                requested_on=day,
                export_format="json",
            )
        assert "requested_on" in error.value.message_dict
    assert not AccessRequest.objects.exists()


def _rectify(team, **data):
    coordinator = team["coordinator"]
    return rights.rectify_case(
        acting_user=coordinator.user,
        member=coordinator,
        case=team["case"],
        data=data,
        requested_on=REQUESTED,
    )


def _raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608 (fixed names)
        return cursor.fetchone()[0]


def test_a_rectification_keeps_old_and_new_values_encrypted(team):
    rows = _rectify(
        team, last_name="DURAND-FICTIF", birth_date=datetime.date(2011, 4, 14), first_name="Léo"
    )
    assert {r.field for r in rows} == {"last_name", "birth_date"}
    case = Case.objects.get(pk=team["case"].pk)
    assert (case.last_name, case.birth_date) == ("DURAND-FICTIF", "2011-04-14")
    assert case.name_hash == name_hash("DURAND-FICTIF Léo")
    named = CaseRectification.objects.get(field="last_name")
    assert (named.old_value, named.new_value, named.requested_on) == (
        "DUPONT-FICTIF",
        "DURAND-FICTIF",
        REQUESTED,
    )
    assert named.label == "nom"
    for row in CaseRectification.objects.all():
        for column in ("old_value", "new_value"):
            raw = _raw("casework_caserectification", column, row.pk)
            assert raw.startswith("gAAAA")
            assert "DUPONT" not in raw and "DURAND" not in raw and "2011" not in raw


def test_the_audit_says_which_field_was_rectified_never_the_values(team):
    _rectify(team, last_name="DURAND-FICTIF", commune=team["case"].commune)
    entry = AuditEntry.objects.filter(reason="Rectification à la demande de la personne").get()
    assert set(entry.changes) == {"last_name"}
    assert entry.changes["last_name"]["label"] == "nom"
    text = _audit_text()
    assert "DUPONT" not in text and "DURAND" not in text
    assert _log_actions(team["case"])[-1] == AccessAction.RECTIFICATION


def test_a_rectification_that_changes_nothing_is_refused(team):
    with pytest.raises(ValidationError) as error:
        _rectify(team, last_name=" DUPONT-FICTIF ", first_name="Léo")
    assert "Aucune valeur n'a changé" in str(error.value)
    assert not CaseRectification.objects.exists()


def test_a_bad_value_writes_nothing(team):
    with pytest.raises(ValidationError):
        _rectify(team, last_name="", first_name="Noé")
    assert not CaseRectification.objects.exists()
    assert Case.objects.get(pk=team["case"].pk).first_name == "Léo"


def test_reading_the_history_is_logged(team):
    _rectify(team, first_name="Noé")
    referent = team["referent"]
    rows = list(
        rights.rectification_history(user=referent.user, member=referent, case=team["case"])
    )
    assert [(r.old_value, r.new_value) for r in rows] == [("Léo", "Noé")]
    assert _log_actions(team["case"])[-1] == AccessAction.READ


def _erase(team, justification="Opposition écrite reçue le 20/11, jugée fondée par le groupe"):
    coordinator = team["coordinator"]
    rights.erase_case(
        acting_user=coordinator.user,
        member=coordinator,
        case=team["case"],
        ground=ErasureGround.OBJECTION,
        justification=justification,
    )


def test_an_erasure_deletes_the_case_and_everything_attached(team):
    _rectify(team, first_name="Noé")
    _export(team, "json")
    public_id = team["case"].public_id
    _erase(team)
    assert not Case.objects.exists() and not CaseEntry.objects.exists()
    assert not CaseRectification.objects.exists() and not AccessRequest.objects.exists()
    # The access log keeps the erasure (opaque id); the audit keeps the ground and justification.
    assert AccessLogEntry.objects.filter(
        case_public_id=public_id, action=AccessAction.ERASURE
    ).exists()
    entry = AuditEntry.objects.get(action="delete", object_repr__startswith="Dossier")
    assert entry.reason.startswith("Effacement (opposition de la personne")
    assert "jugée fondée" in entry.reason
    assert "DUPONT" not in _audit_text() and "Noé" not in _audit_text()


@pytest.mark.parametrize(
    "justification",
    [
        "trop court",
        "Opposition de Mme Dupont reçue par courrier",
        "Opposition de Léo reçue par courrier recommandé",
        "Personne née le 14/03/2011, opposition reçue",
        "Personne née le 14 mars 2011, opposition reçue",
    ],
)
def test_an_erasure_needs_a_justification_that_names_no_one(team, justification):
    with pytest.raises(ValidationError) as error:
        _erase(team, justification)
    assert "justification" in error.value.message_dict
    assert Case.objects.filter(pk=team["case"].pk).exists()
    assert AccessAction.ERASURE not in _log_actions(team["case"])


def test_an_erasure_needs_a_ground(team):
    coordinator = team["coordinator"]
    with pytest.raises(ValidationError) as error:
        rights.erase_case(
            acting_user=coordinator.user,
            member=coordinator,
            case=team["case"],
            ground="",
            justification="Opposition écrite reçue et jugée fondée",
        )
    assert "ground" in error.value.message_dict
