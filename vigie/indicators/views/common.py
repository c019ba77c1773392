from django.urls import reverse

from vigie.indicators.models import Indicator, IndicatorValue


def plan_crumbs(plan) -> list[dict]:
    return [
        {
            "url": plan.get_absolute_url(),
            "title": f"Plan {plan.department.name} {plan.period_label}",
        },
        {"url": reverse("indicators:plan_progress", args=[plan.pk]), "title": "Suivi du plan"},
    ]


def plan_has_demo(plan, indicators=None) -> bool:
    """Whether the plan shows demonstration indicators or values. `indicators`: every indicator of the plan,
    when the caller has already read them (one query fewer)."""
    if indicators is not None:
        return any(i.is_demo for i in indicators) or (
            IndicatorValue.objects.filter(
                indicator__measure__axis__plan=plan, is_demo=True
            ).exists()
        )
    return (
        Indicator.objects.filter(measure__axis__plan=plan, is_demo=True).exists()
        or IndicatorValue.objects.filter(indicator__measure__axis__plan=plan, is_demo=True).exists()
    )
