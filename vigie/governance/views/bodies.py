"""Governance bodies (CDPD, CLSPD, CISPD…): creation, edition, detail and members."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vigie.audit.conflicts import refuse_stale_form
from vigie.core.concurrency import StaleEdit
from vigie.governance import access, perms, selectors, services
from vigie.governance.forms import (
    BodyForm,
    BodyMemberForm,
)
from vigie.governance.models import Body
from vigie.governance.views._common import (
    GET_POST,
    _body_crumbs,
    _bound,
    _department_crumb,
    _render_form,
)
from vigie.plans.forms import add_service_errors as _add_service_errors


def _body_form_view(request, department, body=None):
    form = BodyForm(*_bound(request), instance=body, department=department)
    stale = {}
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if body is None:
                body = services.create_body(
                    acting_user=request.user, department=department, data=data
                )
                messages.success(request, f"L'instance « {body} » est créée.")
            else:
                body = services.update_body(
                    acting_user=request.user, body=body, data=data, read_version=form.read_version
                )
                messages.success(request, "Les modifications sont enregistrées.")
        except ValidationError as exc:
            _add_service_errors(form, exc)
        except StaleEdit as error:
            stale = refuse_stale_form(form, error)
        else:
            return redirect(body)
    crumbs = [_department_crumb(department)]
    if body is not None:
        crumbs.append({"url": body.get_absolute_url(), "title": body.name})
    return _render_form(
        request,
        "governance/body_form.html",
        {
            "page_title": "Modifier l'instance" if body else "Nouvelle instance",
            "breadcrumb": crumbs,
            "form": form,
            "department": department,
            "body": body,
            **stale,
        },
    )


@login_required
@require_http_methods(GET_POST)
def body_create(request, code):
    department = access.get_department_for_user(request.user, code, for_edit=True)
    return _body_form_view(request, department)


@login_required
@require_http_methods(GET_POST)
def body_edit(request, pk):
    body = access.get_body_for_user(request.user, pk, for_edit=True)
    return _body_form_view(request, body.department, body)


@login_required
@require_GET
def body_detail(request, pk):
    body = access.get_body_for_user(request.user, pk)
    today = timezone.localdate()
    annotated = selectors.with_meeting_dates(Body.objects.filter(pk=body.pk), today).get()
    status = selectors.status_of(annotated, today)
    members = selectors.member_rows(body)
    can_read_restricted = perms.can_view_restricted(request.user, body, members)
    groups = [
        selectors.status_of(group, today)
        for group in selectors.with_meeting_dates(body.working_groups.all(), today).order_by("name")
    ]
    meetings = list(selectors.body_meetings(body))
    for meeting in meetings:
        meeting.readable = not meeting.is_restricted or can_read_restricted
    return render(
        request,
        "governance/body_detail.html",
        {
            "page_title": body.name,
            "breadcrumb": _body_crumbs(body),
            "body": body,
            "status": status,
            "members": members,
            "groups": groups,
            "meetings": meetings,
            "today": today,
            "can_edit": perms.can_edit_body(request.user, body),
            "can_manage_meetings": perms.can_manage_meetings(request.user, body),
            "grace_days": selectors.CADENCE_GRACE_DAYS,
        },
    )


@login_required
@require_http_methods(GET_POST)
def body_members(request, pk):
    body = access.get_body_for_user(request.user, pk, for_meetings=True)
    form = BodyMemberForm(*_bound(request), body=body)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_body_member(acting_user=request.user, body=body, data=form.cleaned_data)
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            if not request.htmx:
                messages.success(request, "Le membre est ajouté.")
                return redirect("governance:body_members", body.pk)
            form = BodyMemberForm(body=body)
    context = {
        "page_title": f"Membres — {body.name}",
        "breadcrumb": [*_body_crumbs(body), {"url": body.get_absolute_url(), "title": body.name}],
        "body": body,
        "form": form,
        "members": selectors.member_rows(body),
    }
    template = (
        "governance/partials/members.html" if request.htmx else "governance/body_members.html"
    )
    return render(request, template, context)


@login_required
@require_POST
def body_member_remove(request, pk, member_pk):
    body = access.get_body_for_user(request.user, pk, for_meetings=True)
    member = access.get_member_for_user(request.user, member_pk, body=body)
    services.remove_body_member(acting_user=request.user, member=member)
    if request.htmx:
        context = {
            "body": body,
            "form": BodyMemberForm(body=body),
            "members": selectors.member_rows(body),
        }
        return render(request, "governance/partials/members.html", context)
    messages.success(request, f"{member} ne fait plus partie de l'instance.")
    return redirect("governance:body_members", body.pk)
