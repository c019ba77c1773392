"""Retention purge: with time past the group's retention period the case and its entries go; the dry run changes
nothing; the output names no one."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.casework.factories import make_case, make_group, make_member
from vigie.casework import case_services
from vigie.casework.enums import ClosureReason
from vigie.casework.models import Case, CaseEntry
from vigie.casework.retention import months_before

pytestmark = pytest.mark.django_db


def test_months_before():
    assert months_before(datetime.date(2026, 3, 31), 1) == datetime.date(2026, 2, 28)
    assert months_before(datetime.date(2026, 1, 15), 24) == datetime.date(2024, 1, 15)


@pytest.fixture
def closed_case():
    group, _ = make_group()  # retention: 24 months
    member = make_member(group)
    case = make_case(member)
    case_services.add_entry(
        acting_user=member.user,
        member=member,
        case=case,
        data={"date": datetime.date(2026, 2, 1), "situation": "x"},
    )
    case_services.close_case(
        acting_user=member.user,
        member=member,
        case=case,
        reason=ClosureReason.GOALS_MET,
        closed_on=datetime.date(2026, 3, 1),
    )
    make_case(member, last_name="OUVERT-FICTIF")  # open: never purged
    return case


def _run(monkeypatch, today, *args):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: today)
    out = StringIO()
    call_command("purge_casework", *args, stdout=out)
    return out.getvalue()


def test_nothing_is_purged_before_the_end_of_the_period(closed_case, monkeypatch):
    output = _run(monkeypatch, datetime.date(2028, 2, 28))
    assert output.startswith("0 dossier(s)")
    assert Case.objects.count() == 2


def test_dry_run_counts_and_changes_nothing(closed_case, monkeypatch):
    output = _run(monkeypatch, datetime.date(2028, 3, 2), "--dry-run")
    assert "1 dossier(s) seraient supprimés" in output
    assert Case.objects.count() == 2 and CaseEntry.objects.count() == 1
    assert "FICTIF" not in output and "Léo" not in output


def test_the_purge_removes_the_case_and_its_entries_and_names_no_one(closed_case, monkeypatch):
    output = _run(monkeypatch, datetime.date(2028, 3, 2))
    assert "1 dossier(s) supprimés" in output
    assert not Case.objects.filter(pk=closed_case.pk).exists()
    assert not CaseEntry.objects.exists()
    assert list(Case.objects.values_list("pk", flat=True)) != []
    assert "FICTIF" not in output and "DUPONT" not in output
