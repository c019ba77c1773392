"""The final report of a grant (Cerfa 15059) and the department's list of overdue reports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from vigie.funding import access, final_reports, perms
from vigie.funding.forms import validation_error_to_form
from vigie.funding.models import FinalReport, GrantApplication
from vigie.funding.report_forms import FinalReportForm
from vigie.funding.views._common import application_crumbs, calls_crumb
from vigie.funding.views.letters import _department_for_templates


def _filed_report(application) -> FinalReport | None:
    return (
        FinalReport.objects.filter(application=application)
        .select_related("filed_by")
        .prefetch_related("lines__fund", "indicator_values__indicator")
        .first()
    )


@login_required
@require_http_methods(["GET", "POST"])
def final_report(request, pk):
    """The filed report (read), or the form while it is awaited; 403 before the grant is paid."""
    application = access.get_application_for_user(request.user, pk)
    report = _filed_report(application)
    context = {
        "page_title": f"Compte rendu financier — {application.title}",
        "breadcrumb": application_crumbs(request.user, application),
        "application": application,
        "report": report,
        "due_on": final_reports.due_on(application),
    }
    if report is not None:
        if request.method == "POST":
            raise PermissionDenied
        return render(request, "funding/final_report.html", context)
    if not final_reports.can_file(request.user, application):
        raise PermissionDenied
    form = FinalReportForm(
        request.POST or None,
        forecast_lines=application.budget_lines.all(),
        indicators=application.indicators.all(),
    )
    if request.method == "POST" and form.is_valid():
        data = final_reports.ReportData(
            achievements=form.cleaned_data["achievements"],
            differences=form.cleaned_data["differences"],
            realised=form.realised(),
            indicator_values=form.indicator_values(),
        )
        try:
            final_reports.file_final_report(
                acting_user=request.user, application=application, data=data
            )
        except ValidationError as error:
            validation_error_to_form(form, error)
        else:
            messages.success(request, "Le compte rendu est déposé ; la préfecture en est informée.")
            return redirect(application.get_absolute_url())
    context["form"] = form
    context["overdue"] = final_reports.is_overdue(application, timezone.localdate())
    return render(request, "funding/final_report_form.html", context)


@login_required
def overdue_reports(request, code):
    """The department's grants whose final report is late, with the last reminder sent."""
    department = _department_for_templates(request.user, code)
    today = timezone.localdate()
    applications = (
        final_reports.overdue_applications(
            GrantApplication.objects.filter(call__department=department), today
        )
        .select_related("call__fund", "organisation", "call_programme__programme__fund")
        .annotate(last_reminder=Max("report_reminders__sent_at"))
        .order_by("ends_on", "call__year", "pk")
    )
    rows = [(application, final_reports.due_on(application)) for application in applications]
    context = {
        "page_title": f"Comptes rendus en retard — {department.name}",
        "breadcrumb": [calls_crumb()],
        "department": department,
        "rows": rows,
        "today": today,
        "is_prefecture": perms.can_manage_calls(request.user, department.pk),
    }
    return render(request, "funding/overdue_reports.html", context)
