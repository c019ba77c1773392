"""The review page of a plan (texts, generation, generated reviews) and the download of a generated review.

Generation runs inline: the Gers review costs about 4 s of CPU as PDF and 0.2 s as ODT (bench/reviews/run.py,
docs/benchmarks.md), under the 10 s and 3 s targets; WeasyPrint is imported by the gunicorn master and the
statistics totals are computed after each import, so the first review of a process pays nothing more.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from vigie.reviews import access, perms, services
from vigie.reviews.document import assemble
from vigie.reviews.enums import CONTENT_TYPES
from vigie.reviews.forms import GenerateReviewForm, ReviewTextsForm
from vigie.reviews.models import Review, ReviewText
from vigie.reviews.params import ReviewParams


def _texts(plan) -> dict:
    return {t.axis_id: t.body for t in ReviewText.objects.filter(plan=plan)}


def _page(request, plan, *, texts_form=None, generate_form=None, status=200):
    can_write = perms.can_write_reviews(request.user, plan)
    axes = list(plan.axes.all())
    if can_write:
        texts_form = texts_form or ReviewTextsForm(plan=plan, axes=axes, texts=_texts(plan))
        generate_form = generate_form or GenerateReviewForm(plan=plan)
    context = {
        "page_title": f"Bilans du plan — {plan.department.name} {plan.period_label}",
        "breadcrumb": [
            {
                "url": plan.get_absolute_url(),
                "title": f"Plan {plan.department.name} {plan.period_label}",
            }
        ],
        "plan": plan,
        "can_write": can_write,
        "texts_form": texts_form,
        "generate_form": generate_form,
        "reviews": list(Review.objects.filter(plan=plan).select_related("created_by")),
    }
    return render(request, "reviews/plan_reviews.html", context, status=status)


@login_required
@require_GET
def plan_reviews(request, pk):
    plan = access.get_plan_for_user(request.user, pk)
    return _page(request, plan)


@login_required
@require_POST
def edit_texts(request, pk):
    plan = access.get_plan_for_user(request.user, pk, for_edit=True)
    form = ReviewTextsForm(request.POST, plan=plan, axes=list(plan.axes.all()), texts=_texts(plan))
    if not form.is_valid():
        return _page(request, plan, texts_form=form)
    for axis, body in form.changed_texts():
        services.save_review_text(acting_user=request.user, plan=plan, axis=axis, body=body)
    messages.success(request, "Les textes du bilan sont enregistrés.")
    return redirect(reverse("reviews:plan", args=[plan.pk]) + "#textes")


@login_required
@require_POST
def generate(request, pk):
    plan = access.get_plan_for_user(request.user, pk, for_edit=True)
    form = GenerateReviewForm(request.POST, plan=plan)
    if not form.is_valid():
        return _page(request, plan, generate_form=form)
    try:
        review = services.generate_review(
            acting_user=request.user,
            params=form.cleaned_data["params"],
            output_format=form.cleaned_data["output_format"],
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _page(request, plan, generate_form=form)
    messages.success(
        request, f"Le bilan « {review.title} » est généré ({review.get_output_format_display()})."
    )
    return redirect(reverse("reviews:plan", args=[plan.pk]) + "#bilans")


def _preview_params(request, plan) -> tuple[ReviewParams, str]:
    """?periode=2024 (a year of the plan) or ?periode=plan (the end-of-plan review); default: the plan's latest
    year that has begun."""
    years = list(range(plan.period_start, plan.period_end + 1))
    choice = request.GET.get("periode", "")
    if choice == "plan":
        return ReviewParams.for_whole_plan(plan), choice
    if choice.isdigit() and int(choice) in years:
        return ReviewParams.for_year(plan, int(choice)), choice
    year = max([y for y in years if y <= timezone.localdate().year] or [years[0]])
    return ReviewParams.for_year(plan, year), str(year)


@login_required
@require_GET
def preview(request, pk):
    """The review as it would be generated now, as a page of Vigie (nothing stored)."""
    plan = access.get_plan_for_user(request.user, pk)
    params, choice = _preview_params(request, plan)
    context = {
        "page_title": params.title,
        "breadcrumb": [
            {
                "url": plan.get_absolute_url(),
                "title": f"Plan {plan.department.name} {plan.period_label}",
            },
            {"url": reverse("reviews:plan", args=[plan.pk]), "title": "Bilans du plan"},
        ],
        "plan": plan,
        "doc": assemble(params),
        "choice": choice,
        "years": list(range(plan.period_start, plan.period_end + 1)),
    }
    return render(request, "reviews/preview.html", context)


@login_required
@require_GET
def download(request, pk):
    review = access.get_review_for_user(request.user, pk)
    response = FileResponse(
        review.file.open("rb"),
        as_attachment=True,
        filename=review.filename,
        content_type=CONTENT_TYPES.get(review.output_format, "application/octet-stream"),
    )
    response["Cache-Control"] = "private, no-store"
    return response
