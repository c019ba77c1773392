"""Final reports: due date, filing (realised budget beside the forecast), the overdue list, reminders, renewals."""

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import DepartmentFactory, OrganisationFactory
from tests.funding.factories import make_application, make_call
from vigie.funding import final_reports, rules
from vigie.funding.enums import ApplicationState
from vigie.funding.models import FinalReport, GrantApplication

pytestmark = pytest.mark.django_db


@pytest.fixture
def gers():
    return DepartmentFactory(code="32", name="Gers")


@pytest.fixture
def owner(gers):
    return OrganisationFactory(department=gers, name="Association Trait d'Union")


@pytest.fixture
def due(gers, owner):
    """A 2024 grant, paid, whose action ended in 2024: its report was due on 30 June 2025."""
    call = make_call(gers, year=2024, is_open=False)
    return make_application(
        call,
        organisation=owner,
        state=ApplicationState.REPORT_DUE,
        granted_amount=8000,
        ends_on=date(2024, 12, 31),
    )


def _data(**overrides):
    values = {
        "achievements": "Vingt soirées de médiation à Auch.",
        "realised": (Decimal("19000"), Decimal("8000"), Decimal("11000")),
    }
    values.update(overrides)
    return final_reports.ReportData(**values)


def test_due_six_months_after_the_end_of_the_financial_year(due):
    assert final_reports.due_on(due) == date(2025, 6, 30)
    assert not final_reports.is_overdue(due, date(2025, 6, 30))
    assert final_reports.is_overdue(due, date(2025, 7, 1))
    due.ends_on = None
    assert final_reports.due_on(due) == date(2025, 6, 30)  # the call's year


def test_the_overdue_list_holds_late_reports_until_filed(due, make_user):
    queryset = GrantApplication.objects.all()
    assert list(final_reports.overdue_applications(queryset, date(2025, 7, 1))) == [due]
    assert list(final_reports.overdue_applications(queryset, date(2025, 6, 30))) == []
    applicant = make_user("applicant", due.call.department, organisation=due.organisation)
    report = final_reports.file_final_report(acting_user=applicant, application=due, data=_data())
    due.refresh_from_db()
    assert due.state == ApplicationState.REPORT_RECEIVED
    assert report.was_late
    assert [(line.account, line.forecast, line.realised) for line in report.lines.all()] == [
        ("60", Decimal("20000.00"), Decimal("19000")),
        ("74", Decimal("8000.00"), Decimal("8000")),
        ("75", Decimal("12000.00"), Decimal("11000")),
    ]
    assert list(final_reports.overdue_applications(queryset, date(2025, 7, 1))) == []
    assert due.state_changes.last().to_state == ApplicationState.REPORT_RECEIVED


def test_a_negative_or_missing_amount_writes_nothing(due, make_user):
    applicant = make_user("applicant", due.call.department, organisation=due.organisation)
    with pytest.raises(ValidationError, match="ne peut pas être négatif"):
        final_reports.file_final_report(
            acting_user=applicant,
            application=due,
            data=_data(realised=(Decimal("-1"), Decimal("8000"), Decimal("11000"))),
        )
    with pytest.raises(ValidationError, match="chaque ligne"):
        final_reports.file_final_report(
            acting_user=applicant, application=due, data=_data(realised=(Decimal("1"),))
        )
    due.refresh_from_db()
    assert due.state == ApplicationState.REPORT_DUE and not FinalReport.objects.exists()


def test_another_organisation_may_not_file(due, make_user):
    stranger = make_user(
        "applicant",
        due.call.department,
        organisation=OrganisationFactory(department=due.call.department),
    )
    with pytest.raises(PermissionDenied):
        final_reports.file_final_report(acting_user=stranger, application=due, data=_data())


def test_a_paid_grant_goes_through_report_due_to_received(due, make_user):
    GrantApplication.objects.filter(pk=due.pk).update(state=ApplicationState.PAID)
    prefecture = make_user("prefecture", due.call.department)
    final_reports.file_final_report(acting_user=prefecture, application=due, data=_data())
    states = [change.to_state for change in due.state_changes.all()]
    assert states[-2:] == [ApplicationState.REPORT_DUE, ApplicationState.REPORT_RECEIVED]


def test_reminders_are_emailed_once_a_month(due, make_user):
    make_user(
        "applicant",
        due.call.department,
        organisation=due.organisation,
        email="contact@trait-union.example",
    )
    assert final_reports.send_reminders(today=date(2025, 7, 2)) == 1
    assert mail.outbox[-1].to == ["contact@trait-union.example"]
    assert "30 juin 2025" in mail.outbox[-1].body
    assert final_reports.send_reminders(today=date(2025, 7, 3)) == 0
    assert due.report_reminders.count() == 1


def test_a_renewal_needs_the_previous_report(due, gers, owner, make_user):
    renewal = make_application(
        make_call(gers, year=2026),
        organisation=owner,
        is_renewal=True,
        previous_years=1,
        previous_application=due,
    )
    codes = {m.code for m in rules.check_renewal(rules.Proposal.of(renewal))}
    assert "missing_final_report" in codes
    applicant = make_user("applicant", gers, organisation=owner)
    final_reports.file_final_report(acting_user=applicant, application=due, data=_data())
    renewal = GrantApplication.objects.get(pk=renewal.pk)
    codes = {m.code for m in rules.check_renewal(rules.Proposal.of(renewal))}
    assert "missing_final_report" not in codes
