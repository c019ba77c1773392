"""Nothing named survives a purge nor an erasure: every table of the database is read, every value as text and,
where it is ciphertext, decrypted with the casework keys (audit entries, their old/new values and the access log
included); the person's names (old and rectified) and birth date are found before, nowhere after."""

import contextlib
import datetime
from io import StringIO

import pytest
from cryptography.fernet import InvalidToken
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from tests.casework.factories import make_case, make_group, make_member
from vigie.casework import case_services, rights
from vigie.casework.crypto import fernet
from vigie.casework.enums import ClosureReason, ErasureGround, Level, MemberRole

pytestmark = pytest.mark.django_db

NAMED = ["QWERTZ-FICTIF", "AZERTY-FICTIF", "Qwertine", "2010-07-09"]
# Searched for after too: the birth date as the pages and documents write it.
GONE = [*NAMED, "09/07/2010"]


def _readable(value) -> str:
    if isinstance(value, memoryview | bytes):
        value = bytes(value).decode(errors="ignore")
    text = str(value)
    if text.startswith("gAAAA"):
        with contextlib.suppress(InvalidToken):
            text += " " + fernet().decrypt(text.encode()).decode()
    return text


def database_text() -> str:
    """Every value of every table, as text, ciphertext decrypted."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(include_views=False):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            chunks.extend(_readable(v) for row in cursor.fetchall() for v in row if v is not None)
    return "\n".join(chunks)


@pytest.fixture
def followed():
    """A case with entries (a secret one naming the person), a rectification, an export and reads; another case
    of the group that stays."""
    group, _ = make_group()
    coordinator = make_member(group, role=MemberRole.COORDINATOR)
    case = make_case(
        coordinator,
        last_name="QWERTZ-FICTIF",
        first_name="Qwertine",
        birth_date=datetime.date(2010, 7, 9),
    )
    for level in (Level.CONFIDENTIAL, Level.SECRET):
        case_services.add_entry(
            acting_user=coordinator.user,
            member=coordinator,
            case=case,
            data={
                "date": datetime.date(2026, 3, 1),
                "level": level,
                "situation": "Qwertine QWERTZ-FICTIF rencontrée avec sa mère",
            },
        )
    rights.rectify_case(
        acting_user=coordinator.user,
        member=coordinator,
        case=case,
        data={"last_name": "AZERTY-FICTIF"},
    )
    rights.export_case(
        acting_user=coordinator.user,
        member=coordinator,
        case=case,
        requested_on=datetime.date(2026, 3, 2),
        export_format="json",
    )
    case_services.read_case(user=coordinator.user, case=case)
    make_case(coordinator, last_name="RESTE-FICTIF", first_name="Gardé")
    return {"coordinator": coordinator, "case": case}


def test_the_search_finds_the_person_before(followed):
    text = database_text()
    for value in NAMED:
        assert value in text, value


def test_nothing_named_survives_the_retention_purge(followed, monkeypatch):
    coordinator = followed["coordinator"]
    case_services.close_case(
        acting_user=coordinator.user,
        member=coordinator,
        case=followed["case"],
        reason=ClosureReason.GOALS_MET,
        closed_on=datetime.date(2026, 3, 3),
    )
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2030, 1, 1))
    output = StringIO()
    call_command("purge_casework", stdout=output)
    assert output.getvalue().startswith("1 dossier(s) supprimés")
    text = database_text()
    for value in GONE:
        assert value not in text, value
    assert "RESTE-FICTIF" in text  # the search does see what remains


def test_nothing_named_survives_an_erasure(followed):
    coordinator = followed["coordinator"]
    rights.erase_case(
        acting_user=coordinator.user,
        member=coordinator,
        case=followed["case"],
        ground=ErasureGround.OBJECTION,
        justification="Opposition écrite reçue et jugée fondée par le groupe",
    )
    text = database_text()
    for value in GONE:
        assert value not in text, value
    assert "RESTE-FICTIF" in text
