"""Instruction pages: the department's queue, an application's instruction file (private notes, analysis,
opinions, everything else the applicant asked for, decisions of the life cycle), opinions asked and given."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vigie.funding import instruction, transitions
from vigie.funding.enums import CorrectablePart
from vigie.funding.instruction_access import (
    get_department_for_user,
    get_instructed_application_for_user,
    get_opinion_for_user,
)
from vigie.funding.instruction_forms import (
    NoteForm,
    OpinionForm,
    OpinionRequestForm,
    QueueFilterForm,
    ReviewForm,
    TransitionForm,
)
from vigie.funding.models import InstructionReview

QUEUE_PAGE_SIZE = 50


def add_service_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _queue_crumb(department) -> dict:
    return {
        "url": reverse("instruction:queue", args=[department.code]),
        "title": f"Instruction — {department.name}",
    }


@login_required
@require_GET
def queue(request, code):
    department = get_department_for_user(request.user, code)
    form = QueueFilterForm(request.GET or None, department=department)
    filters = instruction.QueueFilters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = instruction.QueueFilters(
            call=data["call"].pk if data["call"] else None,
            state=data["state"],
            measure=data["measure"].pk if data["measure"] else None,
            commune=data["commune"].pk if data["commune"] else None,
            epci=data["epci"].pk if data["epci"] else None,
            late=data["late"],
        )
    today = timezone.localdate()
    page = Paginator(instruction.queue(department, filters, today), QUEUE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [(application, instruction.is_late(application, today)) for application in page]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "funding/instruction/queue.html",
        {
            "page_title": f"Demandes à instruire — {department.name}",
            "department": department,
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
        },
    )


def _file_context(request, application, **forms) -> dict:
    today = timezone.localdate()
    review = InstructionReview.objects.filter(application=application).first()
    department = application.call.department
    context = {
        "page_title": application.title,
        "breadcrumb": [_queue_crumb(department)],
        "application": application,
        "review": review,
        "notes": application.instruction_notes.select_related("author"),
        "opinions": application.opinion_requests.select_related("expert", "requested_by"),
        "others": instruction.other_applications(application),
        "final_reports": instruction.past_final_reports(application),
        "transitions": transitions.available(request.user, application),
        "today": today,
        "note_form": NoteForm(),
        "review_form": ReviewForm(
            initial={
                "eligible_base": review.eligible_base if review else None,
                "proposed_amount": review.proposed_amount if review else None,
            }
        ),
        "transition_form": TransitionForm(),
        "correctable_parts": CorrectablePart.choices,
        "opinion_form": OpinionRequestForm(department=department),
    }
    context.update(forms)
    return context


@login_required
@require_GET
def application_file(request, pk):
    application = get_instructed_application_for_user(request.user, pk)
    return render(request, "funding/instruction/file.html", _file_context(request, application))


def _rerender(request, application, status=400, **forms):
    return render(
        request,
        "funding/instruction/file.html",
        _file_context(request, application, **forms),
        status=status,
    )


@login_required
@require_POST
def note_add(request, pk):
    application = get_instructed_application_for_user(request.user, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            instruction.add_note(
                acting_user=request.user, application=application, text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
    if form.errors:
        return _rerender(request, application, note_form=form)
    messages.success(request, "Note enregistrée.")
    return redirect("instruction:file", pk=application.pk)


@login_required
@require_POST
def review_save(request, pk):
    """The analysis; with HTMX, the fragment with the computed rate."""
    application = get_instructed_application_for_user(request.user, pk)
    form = ReviewForm(request.POST)
    review = None
    if form.is_valid():
        try:
            review = instruction.save_review(
                acting_user=request.user, application=application, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
    if request.htmx:
        context = {
            "application": application,
            "review_form": form,
            "review": review,
            "saved": not form.errors,
        }
        return render(request, "funding/instruction/partials/review.html", context)
    if form.errors:
        return _rerender(request, application, review_form=form)
    messages.success(request, "Analyse enregistrée.")
    return redirect("instruction:file", pk=application.pk)


@login_required
@require_POST
def transition(request, pk):
    """A step of the life cycle decided by the prefecture (begin, send back « à corriger », refuse…)."""
    application = get_instructed_application_for_user(request.user, pk)
    form = TransitionForm(request.POST)
    if form.is_valid():
        decision = transitions.Decision(
            message=form.cleaned_data["message"], fields=tuple(form.cleaned_data["fields"])
        )
        try:
            change = transitions.change_state(
                acting_user=request.user,
                application=application,
                target=form.cleaned_data["target"],
                decision=decision,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
    if form.errors:
        return _rerender(request, application, transition_form=form)
    messages.success(request, f"Demande passée à l'état « {change.get_to_state_display()} ».")
    return redirect("instruction:file", pk=application.pk)


@login_required
@require_http_methods(["GET", "POST"])
def opinion_request(request, pk):
    application = get_instructed_application_for_user(request.user, pk)
    department = application.call.department
    form = OpinionRequestForm(request.POST or None, department=department)
    if request.method == "POST" and form.is_valid():
        try:
            instruction.request_opinion(
                acting_user=request.user, application=application, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Demande d'avis envoyée.")
            return redirect("instruction:file", pk=application.pk)
    return render(
        request,
        "funding/instruction/opinion_request.html",
        {
            "page_title": "Demander un avis",
            "breadcrumb": [
                _queue_crumb(department),
                {
                    "url": reverse("instruction:file", args=[application.pk]),
                    "title": application.title,
                },
            ],
            "application": application,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def my_opinions(request):
    """The opinions asked of the signed-in person (any role): the only applications they see this way."""
    return render(
        request,
        "funding/instruction/my_opinions.html",
        {
            "page_title": "Avis demandés",
            "requests": instruction.opinions_asked_of(request.user),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def opinion(request, pk):
    """The application as the expert needs it (no private notes, no other opinions), and the answer form."""
    opinion_request = get_opinion_for_user(request.user, pk, for_answer=request.method == "POST")
    form = OpinionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            instruction.give_opinion(
                acting_user=request.user, request=opinion_request, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Votre avis est transmis à la préfecture.")
            return redirect("instruction:opinion", pk=opinion_request.pk)
    application = opinion_request.application
    return render(
        request,
        "funding/instruction/opinion.html",
        {
            "page_title": f"Avis sur « {application.title} »",
            "breadcrumb": [{"url": reverse("instruction:my_opinions"), "title": "Avis demandés"}],
            "opinion_request": opinion_request,
            "application": application,
            "measures": application.measures.select_related("axis"),
            "budget_lines": application.budget_lines.select_related("fund"),
            "is_expert": opinion_request.expert_id == request.user.pk,
            "form": form,
        },
        status=400 if form.errors else 200,
    )
