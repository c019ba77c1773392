"""Funders' committee pages: sessions of the department, a session's agenda, the live programming (HTMX: each
proposed amount saved as it is typed, envelopes and checks redrawn), the decisions in bulk, the minutes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vigie.funding import committee, programming_html
from vigie.funding.instruction_access import get_department_for_user, get_session_for_user
from vigie.funding.instruction_enums import CommitteeOutcome
from vigie.funding.instruction_forms import OUTCOME_CHOICES, ProposalForm, SessionForm
from vigie.funding.instruction_views import add_service_errors
from vigie.funding.models import CommitteeItem, CommitteeSession, Fund, GrantApplication


def _crumbs(department) -> list[dict]:
    return [
        {
            "url": reverse("instruction:sessions", args=[department.code]),
            "title": f"Comité des financeurs — {department.name}",
        }
    ]


@login_required
@require_http_methods(["GET", "POST"])
def sessions(request, code):
    department = get_department_for_user(request.user, code)
    form = SessionForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        year = data.pop("year")
        try:
            session = committee.create_session(
                acting_user=request.user, department=department, year=year, data=data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(session.get_absolute_url())
    return render(
        request,
        "funding/instruction/sessions.html",
        {
            "page_title": f"Comité des financeurs — {department.name}",
            "department": department,
            "sessions": CommitteeSession.objects.filter(department=department).select_related(
                "meeting"
            ),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


def _extra_funders(request) -> list[int]:
    return [int(value) for value in request.GET.getlist("financeur") if value.isdigit()]


def _extra_query(extra: list[int]) -> str:
    return "?" + "&".join(f"financeur={pk}" for pk in extra) if extra else ""


@login_required
@require_GET
def session(request, pk):
    session = get_session_for_user(request.user, pk, for_programming=False)
    extra = _extra_funders(request)
    waiting = committee.waiting_applications(session) if session.decided_at is None else []
    view = committee.programming(session, extra, agenda=committee.load_agenda(session))
    return render(
        request,
        "funding/instruction/session.html",
        {
            "page_title": str(session),
            "breadcrumb": _crumbs(session.department),
            "session": session,
            "programming": view,
            # Demo applications belong to demo calls (vigie/funding/demo.py).
            "is_demo": any(row.application.call.is_demo for row in view.rows),
            "extra_query": _extra_query(extra),
            "extra": extra,
            "waiting": waiting,
            "outcome_choices": OUTCOME_CHOICES,
        },
    )


@login_required
@require_POST
def agenda_add(request, pk):
    session = get_session_for_user(request.user, pk)
    ids = [value for value in request.POST.getlist("applications") if value.isdigit()]
    applications = GrantApplication.objects.filter(pk__in=ids).select_related(
        "call", "instruction_review"
    )
    try:
        items = committee.add_to_agenda(
            acting_user=request.user, session=session, applications=applications
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"{len(items)} demande(s) ajoutée(s) à l'ordre du jour.")
    return redirect(session.get_absolute_url())


@login_required
@require_POST
def proposal(request, pk, item_pk, fund_pk):
    """One funder's amount for one item. With HTMX, only what it changes, swapped out of band: the amount's cell,
    the row's checks and public share, the envelopes, the error (not the whole table: bench/funding/instruction.py).
    Without HTMX, back to the page."""
    session = get_session_for_user(request.user, pk, for_programming=False)
    item = get_object_or_404(
        CommitteeItem.objects.select_related("application__call"), session=session, pk=item_pk
    )
    item.session = session
    fund = get_object_or_404(Fund, pk=fund_pk)
    form = ProposalForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            committee.set_proposal(
                acting_user=request.user, item=item, fund=fund, amount=form.cleaned_data["amount"]
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = " ".join(form.errors["amount"])
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(session.get_absolute_url())
    [entry] = committee.load_agenda(session, item_pk=item.pk)
    row = committee.programming_row(entry, {f.pk: f for f in Fund.objects.all()})
    table = programming_html.Table(session, [], _extra_query(_extra_funders(request)))
    context = {
        "error": error,
        "envelopes": committee.session_envelopes(session),
        "changes": programming_html.changed_cells(table, row, fund, error),
    }
    # Without the request: the page's context processors (navigation, site settings) have nothing to add here.
    return HttpResponse(
        render_to_string("funding/instruction/partials/programming_changes.html", context)
    )


@login_required
@require_POST
def decisions(request, pk):
    session = get_session_for_user(request.user, pk)
    outcomes = {}
    for item in session.items.all():
        value = request.POST.get(f"outcome-{item.pk}", "")
        outcomes[item.pk] = value if value in CommitteeOutcome.values else ""
    try:
        committee.record_decisions(
            acting_user=request.user,
            session=session,
            outcomes=outcomes,
            message=request.POST.get("message", ""),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(session.get_absolute_url())
    messages.success(request, "Décisions enregistrées ; le procès-verbal est prêt.")
    return redirect("instruction:minutes", pk=session.pk)


@login_required
@require_GET
def minutes(request, pk):
    session = get_session_for_user(request.user, pk)
    context = committee.minutes_context(session)
    context.update(
        {"page_title": f"Procès-verbal — {session}", "breadcrumb": _crumbs(session.department)}
    )
    return render(request, "funding/instruction/minutes.html", context)


@login_required
@require_GET
def minutes_pdf(request, pk):
    session = get_session_for_user(request.user, pk)
    html = render_to_string(
        "funding/instruction/minutes_print.html", committee.minutes_context(session)
    )
    pdf = committee.minutes_pdf(html)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="pv-comite-financeurs-{session.meeting.date:%Y-%m-%d}.pdf"'
    )
    return response
