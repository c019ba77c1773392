"""Meetings of a body: creation, edition, detail, minutes file and history."""

from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from vigie.audit.conflicts import refuse_stale_form
from vigie.audit.services import history_for
from vigie.core.concurrency import StaleEdit
from vigie.governance import access, perms, selectors, services
from vigie.governance.forms import (
    MINUTES_EXTENSIONS,
    MeetingForm,
)
from vigie.governance.views._common import (
    GET_POST,
    _body_crumbs,
    _bound,
    _render_form,
)
from vigie.governance.views.decisions import _decisions_context
from vigie.plans.forms import add_service_errors as _add_service_errors
from vigie.plans.views._common import paginate_history


def _meeting_form_view(request, body, meeting=None):
    form = MeetingForm(*_bound(request, files=True), instance=meeting, body=body)
    stale = {}
    if request.method == "POST" and form.is_valid():
        data = form.meeting_data()
        attendees = list(form.cleaned_data.get("attendees") or [])
        try:
            if meeting is None:
                meeting = services.create_meeting(
                    acting_user=request.user, body=body, data=data, attendees=attendees
                )
                messages.success(request, "La réunion est enregistrée.")
            else:
                meeting = services.update_meeting(
                    acting_user=request.user,
                    meeting=meeting,
                    data=data,
                    attendees=attendees,
                    read_version=form.read_version,
                )
                messages.success(request, "Les modifications de la réunion sont enregistrées.")
        except ValidationError as exc:
            _add_service_errors(form, exc)
        except StaleEdit as error:
            stale = refuse_stale_form(form, error)
        else:
            return redirect(meeting)
    crumbs = [*_body_crumbs(body), {"url": body.get_absolute_url(), "title": body.name}]
    if meeting is not None:
        crumbs.append(
            {"url": meeting.get_absolute_url(), "title": f"Réunion du {meeting.date:%d/%m/%Y}"}
        )
    return _render_form(
        request,
        "governance/meeting_form.html",
        {
            "page_title": "Modifier la réunion" if meeting else f"Nouvelle réunion — {body.name}",
            "breadcrumb": crumbs,
            "form": form,
            "body": body,
            "meeting": meeting,
            **stale,
        },
    )


@login_required
@require_http_methods(GET_POST)
def meeting_create(request, pk):
    body = access.get_body_for_user(request.user, pk, for_meetings=True)
    return _meeting_form_view(request, body)


@login_required
@require_http_methods(GET_POST)
def meeting_edit(request, pk):
    meeting = access.get_meeting_for_user(request.user, pk, for_edit=True)
    return _meeting_form_view(request, meeting.body, meeting)


@login_required
@require_GET
def meeting_detail(request, pk):
    meeting = access.get_meeting_for_user(request.user, pk)
    body = meeting.body
    members = selectors.member_rows(body)
    readable = perms.can_view_minutes(request.user, meeting, members)
    context = {
        "page_title": f"Réunion du {meeting.date:%d/%m/%Y} — {body.name}",
        "breadcrumb": [*_body_crumbs(body), {"url": body.get_absolute_url(), "title": body.name}],
        "body": body,
        "readable": readable,
        "attendees": list(meeting.attendees.all()),
        "can_edit": perms.can_manage_meetings(request.user, body),
        "can_view_history": perms.can_view_meeting_history(request.user, meeting),
    }
    if readable:
        context.update(_decisions_context(request, meeting))
    else:
        context["meeting"] = meeting
    return render(request, "governance/meeting_detail.html", context)


@login_required
@require_GET
def meeting_minutes_file(request, pk):
    meeting = access.get_meeting_for_user(request.user, pk)
    if not meeting.minutes_file:
        raise Http404
    if not perms.can_view_minutes(request.user, meeting):
        raise PermissionDenied
    name = meeting.minutes_filename
    content_type = MINUTES_EXTENSIONS.get(
        PurePath(name).suffix.lower().lstrip("."), "application/octet-stream"
    )
    minutes_file = meeting.minutes_file.open("rb")
    if meeting.is_restricted:
        # Restricted minutes carry nominative data: every download is logged (who, when, which meeting),
        # only now that access is granted and the file is open; refusals above (404, 403) log nothing.
        # Public minutes are readable by everyone in the department: their downloads are not logged.
        try:
            services.record_restricted_minutes_read(acting_user=request.user, meeting=meeting)
        except BaseException:
            minutes_file.close()
            raise
    response = FileResponse(
        minutes_file,
        as_attachment=True,
        filename=name,
        content_type=content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def meeting_history(request, pk):
    meeting = access.get_meeting_for_user(request.user, pk, for_history=True)
    body = meeting.body
    return render(
        request,
        "governance/meeting_history.html",
        {
            "page_title": f"Historique de la réunion du {meeting.date:%d/%m/%Y} — {body.name}",
            "breadcrumb": [
                *_body_crumbs(body),
                {"url": body.get_absolute_url(), "title": body.name},
                {"url": meeting.get_absolute_url(), "title": f"Réunion du {meeting.date:%d/%m/%Y}"},
            ],
            "meeting": meeting,
            "page_obj": paginate_history(request, history_for(meeting)),
            "show_object": True,
        },
    )
