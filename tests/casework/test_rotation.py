"""Completing a key rotation: every named value rewritten under the first key, search hashes recomputed with the
current search key, the old key then removable; a dry run rewrites nothing; the output names no one."""

import io

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import call_command
from django.db import connection

from tests.casework.factories import make_case, make_group, make_member
from vigie.audit.models import AuditEntry
from vigie.casework import case_services
from vigie.casework.enums import Level, MemberRole
from vigie.casework.models import Case, CaseEntry

pytestmark = pytest.mark.django_db


def _raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608 (fixed names)
        return cursor.fetchone()[0]


@pytest.fixture
def old_rows(settings):
    group, _ = make_group()
    coordinator = make_member(group, role=MemberRole.COORDINATOR)
    case = make_case(coordinator)
    entry = case_services.add_entry(
        acting_user=coordinator.user,
        member=coordinator,
        case=case,
        data={"date": case.opened_on, "level": Level.SECRET, "situation": "Situation fictive"},
    )
    return {
        "group": group,
        "case": case,
        "entry": entry,
        "old_key": settings.VIGIE_CASEWORK_KEYS[0],
    }


def test_rotation_rewrites_under_the_first_key_and_recomputes_the_search_hash(old_rows, settings):
    case, entry, old_key = old_rows["case"], old_rows["entry"], old_rows["old_key"]
    new_key = Fernet.generate_key().decode()
    settings.VIGIE_CASEWORK_KEYS = [new_key, old_key]
    settings.VIGIE_CASEWORK_SEARCH_KEY = "a-new-search-key-for-the-rotation-0123456789"
    before = _raw("casework_case", "last_name", case.pk)
    out = io.StringIO()
    call_command("rotate_casework_keys", "--dry-run", stdout=out)
    assert _raw("casework_case", "last_name", case.pk) == before  # the dry run rewrote nothing
    assert "seraient rechiffrées" in out.getvalue()
    out = io.StringIO()
    call_command("rotate_casework_keys", stdout=out)
    assert "dossiers de suivi : 1 ligne(s) rechiffrées." in out.getvalue()
    assert "DUPONT" not in out.getvalue() and "Léo" not in out.getvalue()
    # The old key can go: everything reads with the new one alone.
    settings.VIGIE_CASEWORK_KEYS = [new_key]
    raw = _raw("casework_case", "last_name", case.pk)
    assert Fernet(new_key.encode()).decrypt(raw.encode()).decode() == "DUPONT-FICTIF"
    with pytest.raises(InvalidToken):
        Fernet(old_key.encode()).decrypt(raw.encode())
    assert CaseEntry.objects.get(pk=entry.pk).situation == "Situation fictive"
    # The search finds the person again with the new search key.
    coordinator = old_rows["group"].members.get()
    found = case_services.find_cases(
        user=coordinator.user, member=coordinator, name="Dupont-Fictif Léo"
    )
    assert list(found) == [Case.objects.get(pk=case.pk)]
    entry = AuditEntry.objects.filter(reason="Rotation des clés du suivi individualisé").get()
    assert entry.object_id == str(old_rows["group"].pk) and "DUPONT" not in str(entry.changes)


def test_a_value_no_key_opens_stops_the_rotation_and_rewrites_nothing(old_rows, settings):
    case = old_rows["case"]
    other = make_case(old_rows["group"].members.get(), last_name="MARTIN-FICTIF")
    before = _raw("casework_case", "last_name", case.pk)
    settings.VIGIE_CASEWORK_KEYS = [Fernet.generate_key().decode()]  # the old key forgotten
    with pytest.raises(InvalidToken):
        call_command("rotate_casework_keys", stdout=io.StringIO())
    assert _raw("casework_case", "last_name", case.pk) == before
    assert _raw("casework_case", "last_name", other.pk) != before
    assert not AuditEntry.objects.filter(reason="Rotation des clés du suivi individualisé").exists()
