"""Named cases: encryption at rest (raw SQL), key rotation, keyed-hash search, secret entries, access log rows."""

import datetime

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.db import connection
from django.urls import reverse

from tests.casework.factories import make_case, make_group, make_member, sign_in
from vigie.audit.models import AuditEntry
from vigie.casework import access, access_log, case_services
from vigie.casework.crypto import name_hash, normalise_name
from vigie.casework.enums import AccessAction, Level, MemberRole
from vigie.casework.models import AccessLogEntry, Case, CaseEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    group, _ = make_group()
    coordinator = make_member(group, role=MemberRole.COORDINATOR)
    referent = make_member(group, role=MemberRole.REFERENT)
    social = make_member(group, role=MemberRole.SOCIAL_WORKER)
    other_social = make_member(group, role=MemberRole.SOCIAL_WORKER)
    case = make_case(referent, assigned=[social])
    return {
        "group": group,
        "coordinator": coordinator,
        "referent": referent,
        "social": social,
        "other_social": other_social,
        "case": case,
    }


def _raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608 (fixed names)
        return cursor.fetchone()[0]


def test_the_raw_columns_hold_ciphertext_not_the_name(team):
    case = team["case"]
    for column, clear in (
        ("last_name", "DUPONT-FICTIF"),
        ("first_name", "Léo"),
        ("birth_date", "2011-03-14"),
    ):
        raw = _raw("casework_case", column, case.pk)
        assert clear not in raw and "DUPONT" not in raw
        assert raw.startswith("gAAAA")  # a Fernet token
    reread = Case.objects.get(pk=case.pk)
    assert (reread.last_name, reread.first_name, reread.birth_date) == (
        "DUPONT-FICTIF",
        "Léo",
        "2011-03-14",
    )


def test_entry_texts_are_encrypted(team):
    entry = case_services.add_entry(
        acting_user=team["referent"].user,
        member=team["referent"],
        case=team["case"],
        data={"date": datetime.date(2026, 3, 2), "situation": "Absences répétées au collège"},
    )
    raw = _raw("casework_caseentry", "situation", entry.pk)
    assert "Absences" not in raw and raw.startswith("gAAAA")
    assert CaseEntry.objects.get(pk=entry.pk).situation == "Absences répétées au collège"


def test_data_written_under_a_rotated_key_still_reads(team, settings):
    old_key = settings.VIGIE_CASEWORK_KEYS[0]
    new_key = Fernet.generate_key().decode()
    settings.VIGIE_CASEWORK_KEYS = [new_key, old_key]
    # Old rows still read; new rows are written with the new key.
    assert Case.objects.get(pk=team["case"].pk).last_name == "DUPONT-FICTIF"
    newer = make_case(team["referent"], last_name="MARTIN-FICTIF")
    raw = _raw("casework_case", "last_name", newer.pk)
    assert Fernet(new_key.encode()).decrypt(raw.encode()).decode() == "MARTIN-FICTIF"
    with pytest.raises(InvalidToken):
        Fernet(old_key.encode()).decrypt(raw.encode())
    # Without the old key, an old row is an error, never ciphertext shown as a name.
    settings.VIGIE_CASEWORK_KEYS = [new_key]
    with pytest.raises(InvalidToken):
        Case.objects.get(pk=team["case"].pk)


def test_search_by_name_uses_a_keyed_hash(team, settings):
    case = team["case"]
    assert normalise_name("  Dupont-Fictif   LÉO ") == "dupont fictif leo"
    assert case.name_hash == name_hash("dupont fictif leo")
    assert "dupont" not in case.name_hash
    found = case_services.find_cases(
        user=team["referent"].user, member=team["referent"], name="DUPONT FICTIF Leo"
    )
    assert list(found) == [case]
    # Another key gives another hash: the hash is useless without the key.
    settings.VIGIE_CASEWORK_SEARCH_KEY = "another-search-key-0123456789-abcdefgh"
    assert name_hash("dupont fictif leo") != case.name_hash


def _secret_entry(team):
    return case_services.add_entry(
        acting_user=team["social"].user,
        member=team["social"],
        case=team["case"],
        data={
            "date": datetime.date(2026, 3, 3),
            "level": Level.SECRET,
            "situation": "Suivi éducatif en cours",
        },
    )


def test_secret_entries_are_read_by_assigned_professionals_and_the_coordinator_only(team):
    secret = _secret_entry(team)
    case = team["case"]
    assert secret in access.visible_entries(team["social"], case)
    assert secret in access.visible_entries(team["coordinator"], case)
    assert secret not in access.visible_entries(team["referent"], case)
    assert secret not in access.visible_entries(team["other_social"], case)


def test_only_those_who_read_secret_entries_write_them(team):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        case_services.add_entry(
            acting_user=team["referent"].user,
            member=team["referent"],
            case=team["case"],
            data={"date": datetime.date(2026, 3, 3), "level": Level.SECRET, "situation": "x"},
        )


def test_each_read_and_write_leaves_an_access_log_row(team):
    case, referent = team["case"], team["referent"]
    rows = AccessLogEntry.objects.filter(case_public_id=case.public_id)
    assert list(rows.values_list("action", flat=True)) == [AccessAction.CREATE]
    case_services.read_case(user=referent.user, case=case)
    _secret_entry(team)
    assert rows.count() == 3
    assert set(rows.values_list("action", flat=True)) == {
        AccessAction.CREATE,
        AccessAction.READ,
        AccessAction.UPDATE,
    }


def test_the_log_and_the_audit_never_hold_a_name(team):
    _secret_entry(team)
    for row in AccessLogEntry.objects.all():
        assert "DUPONT" not in str(row.__dict__)
    for entry in AuditEntry.objects.all():
        text = f"{entry.object_repr} {entry.changes}"
        assert "DUPONT" not in text and "Suivi éducatif" not in text


def test_the_application_cannot_update_or_delete_a_log_row(team):
    row = AccessLogEntry.objects.first()
    row.action = AccessAction.READ
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        row.delete()


def test_the_controller_reads_the_log_and_that_reading_is_logged(team):
    group = team["group"]
    rows = list(access_log.read_log(user=group.controller, group=group))
    assert rows[0].action == AccessAction.LOG_READ
    with pytest.raises(PermissionError):
        access_log.read_log(user=team["referent"].user, group=group)


def test_the_controller_never_reaches_a_case(team):
    from django.http import Http404

    with pytest.raises(Http404):
        access.get_case_for_user(team["group"].controller, team["case"].public_id)
    case, member = access.get_case_for_user(team["referent"].user, team["case"].public_id)
    assert member == team["referent"]


def test_the_cases_list_logs_a_read_of_each_case_shown(team, client):
    second = make_case(team["referent"], last_name="MARTIN-FICTIF")
    sign_in(client, team["coordinator"].user)
    response = client.get(reverse("casework:cases", args=[team["group"].pk]))
    assert response.status_code == 200 and "MARTIN-FICTIF" in response.content.decode()
    rows = AccessLogEntry.objects.filter(user_id_at_time=team["coordinator"].user.pk)
    assert sorted(rows.values_list("action", "case_public_id")) == sorted(
        [(AccessAction.READ, team["case"].public_id), (AccessAction.READ, second.public_id)]
    )
