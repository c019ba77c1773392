"""Grant applications: the applicant's list, the three parts of the form (project, budget, attachments), the
application's page with its rules, timeline and actions, the attachments' download."""

from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vigie.funding import access, perms, rules, services, transitions
from vigie.funding.enums import ApplicantKind, FundKind
from vigie.funding.forms import (
    AttachmentForm,
    BudgetForm,
    ProjectForm,
    validation_error_to_form,
)
from vigie.funding.models import Fund, GrantApplication
from vigie.funding.services import ATTACHMENT_FORMATS
from vigie.funding.views._common import HOME_CRUMB, application_crumbs, call_crumbs, rule_messages
from vigie.organisations.enums import OrganisationKind

MEDIA_TYPES = {f.extension: f.media_type for f in ATTACHMENT_FORMATS}
# The applicant kind an organisation of the directory most likely is (the applicant may change it).
KIND_BY_ORGANISATION = {
    OrganisationKind.ASSOCIATION: ApplicantKind.ASSOCIATION,
    OrganisationKind.STATE: ApplicantKind.STATE_SERVICE,
    OrganisationKind.SECURITY: ApplicantKind.STATE_SERVICE,
    OrganisationKind.JUSTICE: ApplicantKind.STATE_SERVICE,
    OrganisationKind.EDUCATION: ApplicantKind.EPLE,
    OrganisationKind.LOCAL_AUTHORITY: ApplicantKind.OTHER_PUBLIC,
}
STEPS = ("Projet", "Budget prévisionnel", "Pièces jointes")


def _steps(current: int, application=None) -> dict:
    return {
        "step": current,
        "step_count": len(STEPS),
        "step_title": STEPS[current - 1],
        "next_step_title": STEPS[current] if current < len(STEPS) else "",
        "application": application,
    }


@login_required
@require_GET
def my_applications(request):
    """The applicant's applications, and the open calls of its department."""
    user = request.user
    if not perms.is_applicant(user):
        raise PermissionDenied
    today = timezone.localdate()
    applications = (
        perms.visible_applications(user)
        .select_related("call__fund", "call_programme__programme__fund")
        .order_by("-created_at", "-pk")
    )
    open_calls = (
        perms.visible_calls(user, today).filter(closes_on__gte=today).select_related("fund")
    )
    context = {
        "page_title": "Mes demandes de subvention",
        "breadcrumb": [HOME_CRUMB],
        "applications": list(applications),
        "open_calls": list(open_calls),
        "organisation": user.organisation,
    }
    return render(request, "funding/my_applications.html", context)


def _project_form_response(request, form, call, application=None):
    title = (
        f"Modifier la demande « {application.title} »"
        if application
        else f"Nouvelle demande — {call.title}"
    )
    crumbs = application_crumbs(request.user, application) if application else call_crumbs(call)
    context = {
        "page_title": title,
        "breadcrumb": crumbs,
        "form": form,
        "call": call,
        **_steps(1, application),
    }
    return render(request, "funding/application_project.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def application_create(request, pk):
    call = access.get_call_for_user(request.user, pk)
    today = timezone.localdate()
    if not perms.can_apply(request.user, call, today):
        if perms.can_apply_when_open(request.user, call):
            # A closed (or not yet open) call: say so in French on the call's page, write nothing.
            messages.error(
                request, rules.check_call_open(rules.Proposal(call, None), today)[0].text
            )
            return redirect("funding:call", call.pk)
        raise PermissionDenied
    kind = KIND_BY_ORGANISATION.get(request.user.organisation.kind, "")
    form = ProjectForm(
        request.POST or None,
        call=call,
        instance=GrantApplication(call=call),
        initial={"applicant_kind": kind},
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = services.create_application(
                acting_user=request.user,
                call_programme=form.cleaned_data["call_programme"],
                data=form.project_data(),
                **form.relations(),
            )
        except ValidationError as error:
            validation_error_to_form(form, error)
        else:
            messages.success(
                request, "Le brouillon est enregistré. Saisissez maintenant le budget prévisionnel."
            )
            return redirect("funding:application_budget", application.pk)
    return _project_form_response(request, form, call)


@login_required
@require_http_methods(["GET", "POST"])
def application_edit(request, pk):
    application = access.get_application_for_user(request.user, pk, for_edit=True)
    form = ProjectForm(
        request.POST or None,
        call=application.call,
        instance=GrantApplication.objects.get(pk=application.pk),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_project(
                acting_user=request.user,
                application=application,
                data=form.project_data(),
                **form.relations(),
            )
        except ValidationError as error:
            validation_error_to_form(form, error)
        else:
            messages.success(request, "Le projet est enregistré.")
            return redirect("funding:application_budget", application.pk)
    return _project_form_response(request, form, application.call, application)


def _state_funds():
    return list(Fund.objects.filter(funder_category="state").order_by("kind", "order"))


@login_required
@require_http_methods(["GET", "POST"])
def application_budget(request, pk):
    """The budget part. With htmx, a POST only re-checks the rules on the typed amounts (nothing is saved)."""
    application = access.get_application_for_user(request.user, pk, for_edit=True)
    form = BudgetForm(request.POST or None, state_funds=_state_funds(), application=application)
    if request.method == "POST" and request.htmx:
        proposal = rules.Proposal.of(application, lines=form.typed_lines())
        context = {
            "rule_messages": rules.check_budget(proposal),
            "totals": proposal.totals,
            "live": True,
        }
        return render(request, "funding/partials/budget_rules.html", context)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_budget(
                acting_user=request.user, application=application, lines=form.lines()
            )
        except ValidationError as error:
            validation_error_to_form(form, error)
        else:
            messages.success(request, "Le budget prévisionnel est enregistré.")
            return redirect("funding:application_attachments", application.pk)
    lines = form.typed_lines() if form.is_bound else None
    proposal = rules.Proposal.of(application, lines=lines)
    context = {
        "page_title": f"Budget prévisionnel — {application.title}",
        "breadcrumb": application_crumbs(request.user, application),
        "form": form,
        "groups": form.grouped_fields(),
        "rule_messages": rules.check_budget(proposal),
        "totals": proposal.totals,
        **_steps(2, application),
    }
    return render(request, "funding/application_budget.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def application_attachments(request, pk):
    application = access.get_application_for_user(request.user, pk, for_edit=True)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_attachment(
                acting_user=request.user,
                application=application,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as error:
            validation_error_to_form(form, error)
        else:
            messages.success(request, "La pièce est jointe à la demande.")
            return redirect("funding:application_attachments", application.pk)
    required = set(application.call.required_attachments or [])
    present = {a.kind for a in application.attachments.all()}
    context = {
        "page_title": f"Pièces jointes — {application.title}",
        "breadcrumb": application_crumbs(request.user, application),
        "form": form,
        "attachments": list(application.attachments.all()),
        "missing": [
            label for value, label in form.fields["kind"].choices if value in required - present
        ],
        **_steps(3, application),
    }
    return render(request, "funding/application_attachments.html", context)


@login_required
@require_POST
def attachment_delete(request, pk, attachment_pk):
    attachment = access.get_attachment_for_user(
        request.user, attachment_pk, application_pk=pk, for_edit=True
    )
    try:
        services.remove_attachment(acting_user=request.user, attachment=attachment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"La pièce « {attachment.original_name} » est retirée.")
    return redirect("funding:application_attachments", pk)


@login_required
@require_GET
def attachment_file(request, pk, attachment_pk):
    attachment = access.get_attachment_for_user(request.user, attachment_pk, application_pk=pk)
    extension = PurePath(attachment.original_name).suffix.lower().lstrip(".")
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=MEDIA_TYPES.get(extension, "application/octet-stream"),
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def application_detail(request, pk):
    application = access.get_application_for_user(request.user, pk)
    user = request.user
    editable = perms.can_edit_application(user, application)
    lines = list(application.budget_lines.all())
    context = {
        "page_title": application.title,
        "breadcrumb": application_crumbs(user, application)[:-1],
        "application": application,
        "editable": editable,
        "is_instructor": perms.can_instruct(user, application),
        "rule_messages": rule_messages(application)
        if editable or perms.can_instruct(user, application)
        else [],
        "cost_lines": [line for line in lines if line.is_cost or line.account == "86"],
        "income_lines": [line for line in lines if not (line.is_cost or line.account == "86")],
        "totals": rules.Proposal.of(application).totals,
        "timeline": list(application.state_changes.all()),
        "transitions": transitions.available(user, application),
        "payments": list(application.payments.all()),
        "can_pay": perms.can_instruct(user, application)
        and application.state in ("notified", "paid"),
        "fund_kinds": FundKind,
    }
    return render(request, "funding/application_detail.html", context)
