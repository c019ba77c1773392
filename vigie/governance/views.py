"""Governance pages: dashboard, bodies, meetings, decisions, calendar and deployment trackers."""

from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vigie.audit.conflicts import STALE_EDIT_STATUS, refuse_stale_form
from vigie.audit.services import history_for
from vigie.core.concurrency import StaleEdit, VersionForm
from vigie.core.context_processors import share_department_with_menu
from vigie.governance import access, ics, perms, selectors, services, svgmap
from vigie.governance.enums import (
    COMPUTED_SCHEMES,
    FollowUpStatus,
    Scheme,
    SchemeState,
    state_label,
)
from vigie.governance.forms import (
    MINUTES_EXTENSIONS,
    BodyForm,
    BodyMemberForm,
    DecisionForm,
    DecisionStatusForm,
    MeetingForm,
    ResolveForm,
    SchemeRecordForm,
    SchemeTargetForm,
)
from vigie.governance.models import Body, SchemeRecord, SchemeTarget
from vigie.plans.forms import add_service_errors as _add_service_errors
from vigie.plans.views._common import paginate_history
from vigie.territories.models import Commune, Department

GET_POST = ["GET", "POST"]


# --- helpers -------------------------------------------------------------------------------------


def _render_form(request, template: str, context: dict):
    """A form page; 409 when the edit was refused because someone else saved first."""
    status = STALE_EDIT_STATUS if "stale_edit" in context else 200
    return render(request, template, context, status=status)


def _bound(request, *, files: bool = False) -> tuple:
    """Form data when the request is a POST (even an empty one), else nothing: an unbound form."""
    if request.method != "POST":
        return (None, None) if files else (None,)
    return (request.POST, request.FILES) if files else (request.POST,)


def _department_crumb(department) -> dict:
    return {
        "url": reverse("governance:dashboard", args=[department.code]),
        "title": f"Gouvernance — {department.name}",
    }


def _body_crumbs(body) -> list[dict]:
    crumbs = [_department_crumb(body.department)]
    if body.parent_id:
        crumbs.append({"url": body.parent.get_absolute_url(), "title": body.parent.name})
    return crumbs


def _scheme_or_404(slug: str) -> Scheme:
    try:
        return Scheme(slug)
    except ValueError as exc:
        raise Http404 from exc


# --- index and dashboard -------------------------------------------------------------------------


@login_required
@require_GET
def index(request):
    user = request.user
    if not perms.can_choose_department(user):
        return redirect("governance:dashboard", user.department.code)
    departments = Department.objects.annotate(body_count=Count("governance_bodies")).filter(
        Q(body_count__gt=0) | Q(pk=user.department_id)
    )
    return render(
        request,
        "governance/index.html",
        {"page_title": "Gouvernance et dispositifs locaux", "departments": departments},
    )


@login_required
@require_GET
def dashboard(request, code):
    department = access.get_department_for_user(request.user, code)
    share_department_with_menu(request, department)
    context = selectors.dashboard(department, request.user, timezone.localdate())
    context.update(
        page_title=f"Gouvernance — {department.name}",
        department=department,
        can_manage=perms.can_manage_department(request.user, department.pk),
        schemes=selectors.scheme_summaries(department),
        upcoming=list(selectors.upcoming_meetings(department)[:5]),
    )
    return render(request, "governance/dashboard.html", context)


# --- bodies --------------------------------------------------------------------------------------


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


# --- meetings ------------------------------------------------------------------------------------


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


# --- decisions -----------------------------------------------------------------------------------


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


# --- calendar ------------------------------------------------------------------------------------


@login_required
@require_GET
def calendar(request, code):
    department = access.get_department_for_user(request.user, code)
    key = ics.subscription_key(request.user, department)
    feed_path = reverse("governance:calendar_ics", args=[department.code])
    return render(
        request,
        "governance/calendar.html",
        {
            "page_title": f"Calendrier des instances — {department.name}",
            "breadcrumb": [_department_crumb(department)],
            "department": department,
            "meetings": selectors.upcoming_meetings(department),
            "feed_url": request.build_absolute_uri(feed_path),
            "subscription_url": request.build_absolute_uri(f"{feed_path}?cle={key}"),
        },
    )


@require_GET
def calendar_ics(request, code):
    """The feed, for a logged-in member or through a personal subscription key (`?cle=`)."""
    department = get_object_or_404(Department, code=code)
    user = request.user
    key = request.GET.get("cle")
    if key is not None:
        user_id = ics.read_subscription_key(key, department)
        user = (
            get_user_model().objects.filter(pk=user_id, is_active=True).first() if user_id else None
        )
        if user is None or not perms.can_view_governance(user, department.pk):
            raise Http404
    elif not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    elif not perms.can_view_governance(user, department.pk):
        raise Http404
    meetings = selectors.calendar_feed_meetings(department)
    body = ics.build_calendar(
        department, meetings, base_url=request.build_absolute_uri("/").rstrip("/")
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="instances-{department.code}.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response


# --- deployment trackers -------------------------------------------------------------------------


def _map_description(context, scheme) -> str:
    counts = ", ".join(f"{label} : {count}" for _state, label, count in context["state_counts"])
    return f"Carte des communes selon l'état du dispositif {scheme.label.lower()} ({counts}). Le tableau qui suit donne les mêmes informations."


@login_required
@require_GET
def tracker(request, code, scheme):
    department = access.get_department_for_user(request.user, code)
    scheme = _scheme_or_404(scheme)
    context = selectors.tracker(
        department, scheme, sort=request.GET.get("tri", selectors.DEFAULT_SORT)
    )
    context.update(
        department=department,
        scheme_label=scheme.label,
        sorts=selectors.SORTS,
        can_manage=perms.can_manage_department(request.user, department.pk),
        is_computed=scheme in COMPUTED_SCHEMES,
    )
    if request.htmx and request.htmx.target == "tracker-table":
        return render(request, "governance/partials/tracker_table.html", context)
    states = {row.commune.code: (row.state, row.state_label) for row in context["rows"]}
    highlighted = {row.commune.code for row in context["short_of_target"]}
    geo = svgmap.load_map(department.code)
    context.update(
        page_title=f"{scheme.label} — {department.name}",
        breadcrumb=[_department_crumb(department)],
        schemes=list(Scheme),
        map_svg=svgmap.render(
            department.code,
            states=states,
            highlighted=highlighted,
            title=f"{scheme.label} : carte des communes du département {department.name}",
            description=_map_description(context, scheme),
        ),
        legend=[
            {"colour": colour, "label": state_label(scheme, state)}
            for state, colour in svgmap.STATE_COLOURS.items()
            if state in dict(selectors.scheme_states(scheme))
        ],
        without_outline=[
            row.commune for row in context["rows"] if geo and row.commune.code not in geo.codes
        ],
        has_map=geo is not None,
        target_stroke=svgmap.TARGET_STROKE,
        missing_colour=svgmap.MISSING_COLOUR,
    )
    return render(request, "governance/tracker.html", context)


@login_required
@require_http_methods(GET_POST)
def scheme_record_edit(request, code, scheme, commune_code):
    department = access.get_department_for_user(request.user, code, for_edit=True)
    scheme = _scheme_or_404(scheme)
    if scheme in COMPUTED_SCHEMES:
        raise Http404
    commune = get_object_or_404(Commune, department=department, code=commune_code)
    record = SchemeRecord.objects.filter(scheme=scheme, commune=commune).first()
    initial = {} if record else {"state": SchemeState.IN_PLACE, "as_of": timezone.localdate()}
    form = SchemeRecordForm(*_bound(request), instance=record, initial=initial, scheme=scheme)
    stale = {}
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.fields if name != "version"}
        try:
            services.set_scheme_record(
                acting_user=request.user,
                commune=commune,
                scheme=scheme,
                data=data,
                read_version=form.read_version,
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        except StaleEdit as error:
            stale = refuse_stale_form(form, error)
        else:
            messages.success(request, f"{scheme.label} : l'état de {commune.name} est enregistré.")
            return redirect("governance:tracker", department.code, scheme.value)
    return _render_form(
        request,
        "governance/scheme_record_form.html",
        {
            "page_title": f"{scheme.label} — {commune.name}",
            "breadcrumb": [
                _department_crumb(department),
                {
                    "url": reverse("governance:tracker", args=[department.code, scheme.value]),
                    "title": scheme.label,
                },
            ],
            "form": form,
            "commune": commune,
            "scheme": scheme,
            "record": record,
            **stale,
        },
    )


@login_required
@require_http_methods(GET_POST)
def scheme_record_resolve(request, pk):
    record = access.get_scheme_record_for_user(request.user, pk)
    if record.commune_id is not None:
        raise Http404
    department = record.department
    scheme = Scheme(record.scheme)
    form = ResolveForm(*_bound(request), record=record)
    if request.method == "POST" and form.is_valid():
        try:
            services.resolve_scheme_record(
                acting_user=request.user,
                record=record,
                communes=list(form.cleaned_data["communes"]),
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, f"« {record.source_label} » est rapproché.")
            return redirect("governance:tracker", department.code, scheme.value)
    return render(
        request,
        "governance/resolve_form.html",
        {
            "page_title": f"Rapprocher « {record.source_label} »",
            "breadcrumb": [
                _department_crumb(department),
                {
                    "url": reverse("governance:tracker", args=[department.code, scheme.value]),
                    "title": scheme.label,
                },
            ],
            "form": form,
            "record": record,
        },
    )


@login_required
@require_http_methods(GET_POST)
def target_edit(request, code, scheme):
    department = access.get_department_for_user(request.user, code, for_edit=True)
    scheme = _scheme_or_404(scheme)
    target = SchemeTarget.objects.filter(department=department, scheme=scheme).first()
    tracker_url = reverse("governance:tracker", args=[department.code, scheme.value])
    form = SchemeTargetForm(*_bound(request), instance=target)
    stale = {}
    try:
        if request.method == "POST" and "supprimer" in request.POST:
            if target is not None:
                confirm = VersionForm(request.POST, versioned_instance=target)
                if not confirm.is_valid():
                    raise ValidationError(confirm.non_field_errors())
                services.delete_scheme_target(
                    acting_user=request.user, target=target, read_version=confirm.read_version
                )
                messages.success(request, "L'objectif est supprimé.")
            return redirect(tracker_url)
        if request.method == "POST" and form.is_valid():
            data = {name: form.cleaned_data[name] for name in form.Meta.fields}
            services.set_scheme_target(
                acting_user=request.user,
                department=department,
                scheme=scheme,
                data=data,
                read_version=form.read_version,
            )
            messages.success(request, "L'objectif est enregistré.")
            return redirect(tracker_url)
    except ValidationError as exc:
        _add_service_errors(form, exc)
    except StaleEdit as error:
        stale = refuse_stale_form(form, error)
    return _render_form(
        request,
        "governance/target_form.html",
        {
            "page_title": f"Objectif de déploiement — {scheme.label}",
            "breadcrumb": [
                _department_crumb(department),
                {"url": tracker_url, "title": scheme.label},
            ],
            "form": form,
            "target": target,
            "scheme": scheme,
            "department": department,
            **stale,
        },
    )
