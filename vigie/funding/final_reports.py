"""Final reports of grants (the end-of-grant form, Cerfa 15059), their due date, the overdue list, reminders.

A report is due six months after the end of the financial year of the action (30 June of the next year; the
year the action ends, or the call's year when it has no end date). Filing it moves the application to
« compte rendu reçu » through `vigie.funding.transitions`. `vigie.funding.rules.has_previous_final_report`
reads these reports: a renewal needs the previous grant's report.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from vigie.audit import services as audit
from vigie.core.formatting import french_date
from vigie.funding import emails, perms, transitions
from vigie.funding.enums import ApplicationState
from vigie.funding.models import (
    FinalReport,
    FinalReportIndicator,
    FinalReportLine,
    FinalReportReminder,
    GrantApplication,
)

# States in which the final report is awaited (after the first payment).
AWAITING_STATES = (ApplicationState.PAID, ApplicationState.REPORT_DUE)
# No second reminder within this many days.
REMINDER_INTERVAL = timedelta(days=30)


def financial_year(application: GrantApplication) -> int:
    return application.ends_on.year if application.ends_on else application.call.year


def due_on(application: GrantApplication) -> date:
    """Six months after the end of the financial year: 30 June of the next year."""
    return date(financial_year(application) + 1, 6, 30)


def is_overdue(application: GrantApplication, today: date) -> bool:
    return application.state in AWAITING_STATES and today > due_on(application)


def overdue_cutoff(today: date) -> int:
    """The last financial year whose report is overdue on `today`."""
    return today.year - 1 if today > date(today.year, 6, 30) else today.year - 2


def overdue_applications(applications: QuerySet, today: date) -> QuerySet:
    """The applications of `applications` whose report is awaited after its due date."""
    cutoff = overdue_cutoff(today)
    return applications.filter(state__in=AWAITING_STATES).filter(
        Q(ends_on__year__lte=cutoff) | Q(ends_on__isnull=True, call__year__lte=cutoff)
    )


def can_file(user, application: GrantApplication) -> bool:
    """The applicant (or the prefecture, for a report received on paper) files it while it is awaited."""
    return application.state in AWAITING_STATES and (
        perms.is_applicant_of(user, application) or perms.can_instruct(user, application)
    )


@dataclass(frozen=True)
class ReportData:
    achievements: str
    differences: str = ""
    # The realised amount of each forecast line, in the order of the application's budget lines.
    realised: tuple[Decimal, ...] = ()
    # indicator pk → value
    indicator_values: dict | None = None


def _check(application: GrantApplication, data: ReportData, forecast: list) -> None:
    errors = {}
    if not data.achievements.strip():
        errors["achievements"] = "Décrivez les actions réalisées."
    if len(data.realised) != len(forecast):
        errors["__all__"] = "Indiquez le montant réalisé de chaque ligne du budget prévisionnel."
    elif any(amount is None or amount < 0 for amount in data.realised):
        errors["__all__"] = "Un montant réalisé ne peut pas être négatif."
    followed = {indicator.pk for indicator in application.indicators.all()}
    if any(pk not in followed for pk in (data.indicator_values or {})):
        errors["indicators"] = "Indiquez les valeurs des seuls indicateurs suivis par le projet."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def file_final_report(
    *, acting_user, application: GrantApplication, data: ReportData
) -> FinalReport:
    """Record the report and move the application to « compte rendu reçu ». Nothing is written on refusal."""
    application = GrantApplication.objects.select_for_update().get(pk=application.pk)
    if not can_file(acting_user, application):
        if application.state not in AWAITING_STATES and (
            perms.can_view_application(acting_user, application)
        ):
            raise ValidationError(
                {
                    "__all__": "Le compte rendu suit le versement de la subvention ; il est déjà reçu ou pas encore attendu."
                }
            )
        raise PermissionDenied
    forecast = list(application.budget_lines.select_related("fund"))
    _check(application, data, forecast)
    now = timezone.now()
    report = FinalReport.objects.create(
        application=application,
        achievements=data.achievements.strip(),
        differences=data.differences.strip(),
        filed_at=now,
        filed_by=acting_user,
        was_late=timezone.localdate() > due_on(application),
    )
    FinalReportLine.objects.bulk_create(
        FinalReportLine(
            report=report,
            account=line.account,
            funder_category=line.funder_category,
            fund=line.fund,
            label=line.label,
            forecast=line.amount,
            realised=realised,
            order=position,
        )
        for position, (line, realised) in enumerate(zip(forecast, data.realised, strict=True))
    )
    FinalReportIndicator.objects.bulk_create(
        FinalReportIndicator(report=report, indicator_id=pk, value=value)
        for pk, value in (data.indicator_values or {}).items()
        if value is not None
    )
    audit.record_create(
        acting_user=acting_user,
        instance=report,
        parent=application,
        department=application.call.department,
    )
    if application.state == ApplicationState.PAID:
        transitions.apply_system_transition(
            acting_user=acting_user, application=application, target=ApplicationState.REPORT_DUE
        )
    transitions.apply_system_transition(
        acting_user=acting_user, application=application, target=ApplicationState.REPORT_RECEIVED
    )
    return report


def _remind(acting_user, application: GrantApplication) -> FinalReportReminder | None:
    addresses = emails.recipients(application)
    if not addresses:
        return None
    context = {
        "application": application,
        "due_on": french_date(due_on(application)),
        "site_url": settings.VIGIE_SITE_URL,
    }
    subject = f"Compte rendu attendu : « {application.title} »"
    body = render_to_string("funding/emails/final_report_reminder.txt", context)
    send_mail(subject[:200], body, settings.DEFAULT_FROM_EMAIL, addresses)
    reminder = FinalReportReminder.objects.create(
        application=application, sent_at=timezone.now(), recipients=", ".join(addresses)
    )
    audit.record_create(
        acting_user=acting_user,
        instance=reminder,
        parent=application,
        department=application.call.department,
        reason="Relance automatique du compte rendu en retard",
    )
    return reminder


@transaction.atomic
def send_reminders(*, acting_user=None, today: date | None = None) -> int:
    """E-mail the applicants of every overdue report not reminded within `REMINDER_INTERVAL`; return how many.

    Run daily by `manage.py remind_final_reports` (a system task: `acting_user` is None)."""
    today = today or timezone.localdate()
    recent = timezone.now() - REMINDER_INTERVAL
    overdue = (
        overdue_applications(GrantApplication.objects.all(), today)
        .exclude(report_reminders__sent_at__gte=recent)
        .select_related("call__department", "organisation", "created_by")
    )
    return sum(1 for application in overdue if _remind(acting_user, application) is not None)
