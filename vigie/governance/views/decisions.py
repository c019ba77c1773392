"""Decisions taken at a meeting: creation, edition and follow-up status."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from vigie.audit.conflicts import STALE_EDIT_STATUS, refuse_stale_form
from vigie.core.concurrency import StaleEdit
from vigie.governance import access, perms, services
from vigie.governance.enums import (
    FollowUpStatus,
)
from vigie.governance.forms import (
    DecisionForm,
    DecisionStatusForm,
)
from vigie.governance.views._common import GET_POST, _body_crumbs, _bound, _render_form
from vigie.plans.forms import add_service_errors as _add_service_errors


def _decisions_context(request, meeting, form=None) -> dict:
    can_manage = perms.can_manage_meetings(request.user, meeting.body)
    decisions = list(meeting.decisions.select_related("owner", "measure__axis__plan"))
    for decision in decisions:
        decision.can_update_status = can_manage or perms.can_update_decision_status(
            request.user, decision
        )
    if form is None and can_manage:
        form = DecisionForm(meeting=meeting)
    return {
        "meeting": meeting,
        "decisions": decisions,
        "decision_form": form,
        "can_manage": can_manage,
        "today": timezone.localdate(),
        "status_choices": FollowUpStatus.choices,
    }


@login_required
@require_http_methods(GET_POST)
def decision_create(request, pk):
    meeting = access.get_meeting_for_user(request.user, pk, for_edit=True)
    form = DecisionForm(*_bound(request), meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_decision(
                acting_user=request.user, meeting=meeting, data=form.cleaned_data
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            if request.htmx:
                return render(
                    request,
                    "governance/partials/decisions.html",
                    _decisions_context(request, meeting),
                )
            messages.success(request, "La décision est enregistrée.")
            return redirect(meeting)
    if request.htmx:
        return render(
            request,
            "governance/partials/decisions.html",
            _decisions_context(request, meeting, form),
        )
    return _decision_page(request, meeting, form, "Nouvelle décision")


def _decision_page(request, meeting, form, title, decision=None, stale=None):
    body = meeting.body
    return _render_form(
        request,
        "governance/decision_form.html",
        {
            "page_title": title,
            "breadcrumb": [
                *_body_crumbs(body),
                {"url": body.get_absolute_url(), "title": body.name},
                {"url": meeting.get_absolute_url(), "title": f"Réunion du {meeting.date:%d/%m/%Y}"},
            ],
            "form": form,
            "meeting": meeting,
            "decision": decision,
            **(stale or {}),
        },
    )


@login_required
@require_http_methods(GET_POST)
def decision_edit(request, pk):
    decision = access.get_decision_for_user(request.user, pk, for_edit=True)
    form = DecisionForm(*_bound(request), instance=decision, meeting=decision.meeting)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            services.update_decision(
                acting_user=request.user,
                decision=decision,
                data=form.cleaned_data,
                read_version=form.read_version,
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        except StaleEdit as error:
            stale = refuse_stale_form(form, error)
        else:
            messages.success(request, "La décision est modifiée.")
            return redirect(decision.meeting)
    title = "Modifier la décision"
    return _decision_page(request, decision.meeting, form, title, decision, stale)


@login_required
@require_http_methods(GET_POST)
def decision_status(request, pk):
    decision = access.get_decision_for_user(request.user, pk, for_status=True)
    form = DecisionStatusForm(*_bound(request), instance=decision, prefix=f"d{decision.pk}")
    saved, stale = False, {}
    if request.method == "POST" and form.is_valid():
        try:
            services.change_decision_status(
                acting_user=request.user,
                decision=decision,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["status_note"],
                read_version=form.read_version,
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        except StaleEdit as error:
            stale = {**refuse_stale_form(form, error), "stale_edit_fragment": True}
        else:
            saved = True
            if not request.htmx:
                messages.success(request, "L'état de la décision est mis à jour.")
                return redirect(decision.meeting)
    if request.method == "POST" and not saved:
        decision.refresh_from_db(fields=["status", "status_note", "closed_on", "version"])
    decision.can_update_status = True
    status = STALE_EDIT_STATUS if stale else 200
    if request.htmx:
        return render(
            request,
            "governance/partials/decision_status.html",
            {
                "decision": decision,
                "status_form": form,
                "saved": saved,
                "today": timezone.localdate(),
                "status_choices": FollowUpStatus.choices,
                **stale,
            },
            status=status,
        )
    meeting = decision.meeting
    body = meeting.body
    return render(
        request,
        "governance/decision_status.html",
        {
            "page_title": "Suivi de la décision",
            "breadcrumb": [
                *_body_crumbs(body),
                {"url": body.get_absolute_url(), "title": body.name},
                {"url": meeting.get_absolute_url(), "title": f"Réunion du {meeting.date:%d/%m/%Y}"},
            ],
            "decision": decision,
            "status_form": form,
            "status_choices": FollowUpStatus.choices,
            "today": timezone.localdate(),
            **stale,
        },
        status=status,
    )
