"""Template helpers of the reviews: French dates, and the list of a plan's reviews shown on the plan page."""

from django import template

from vigie.core.formatting import french_date
from vigie.reviews import perms
from vigie.reviews.models import Review

register = template.Library()


@register.filter
def date_fr(value):
    """date(2024, 3, 1) → "1er mars 2024" (vigie.core.formatting.french_date)."""
    if hasattr(value, "date") and callable(value.date):
        value = value.date()
    return french_date(value)


@register.inclusion_tag("reviews/includes/plan_reviews.html", takes_context=True)
def plan_reviews(context, plan, limit=5):
    """The plan's latest generated reviews (the review page lists them all), for people of its department,
    nothing for anyone else."""
    user = context["request"].user
    if not perms.can_view_reviews(user, plan):
        return {"visible": False}
    reviews = Review.objects.filter(plan=plan).select_related("created_by")[: int(limit)]
    return {
        "visible": True,
        "plan": plan,
        "reviews": list(reviews),
        "can_write": perms.can_write_reviews(user, plan),
    }
