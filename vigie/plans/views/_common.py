"""Helpers shared by the plan views: status counts, breadcrumbs, history pages."""

from django.core.paginator import Paginator
from django.db.models import Count, Q

from vigie.plans.enums import ActionStatus, ActorRole

HISTORY_PAGE_SIZE = 50
STATUS_FIELD = "n_{}"


def status_annotations(relation: str = "actions", *, public_only: bool = False) -> dict:
    """`Count(..., filter=...)` per action status, for annotating measures (one grouped query).
    `public_only`: non-public actions are not counted (pages seen by the public)."""
    shown = Q(**{f"{relation}__is_restricted": False}) if public_only else Q()
    return {
        STATUS_FIELD.format(status.value): Count(
            relation, filter=Q(**{f"{relation}__status": status.value}) & shown
        )
        for status in ActionStatus
    }


def counts_from_annotations(obj) -> dict[str, int]:
    return {
        status.value: getattr(obj, STATUS_FIELD.format(status.value), 0) or 0
        for status in ActionStatus
    }


def counts_from_actions(actions) -> dict[str, int]:
    return counts_from_statuses(action.status for action in actions)


def counts_from_statuses(statuses) -> dict[str, int]:
    counts = dict.fromkeys(ActionStatus.values, 0)
    for status in statuses:
        counts[status] = counts.get(status, 0) + 1
    return counts


def add_counts(total: dict[str, int], counts: dict[str, int]) -> None:
    for key, value in counts.items():
        total[key] = total.get(key, 0) + value


def status_rows(counts: dict[str, int], *, keep_zero: bool = True) -> list[dict]:
    """[{"status", "label", "count"}] in the order of ActionStatus, for the templates."""
    return [
        {"status": status.value, "label": status.label, "count": counts.get(status.value, 0)}
        for status in ActionStatus
        if keep_zero or counts.get(status.value, 0)
    ]


def pilots_as_worded(actors) -> list:
    """Pilots of a measure as worded in the plan; the Gers plan only has "pilotes et partenaires"."""
    pilots = [actor for actor in actors if actor.role == ActorRole.PILOT]
    return pilots or [actor for actor in actors if actor.role == ActorRole.PILOT_OR_PARTNER]


def department_crumbs(department) -> list[dict]:
    from django.urls import reverse

    return [
        {"url": reverse("plans:home"), "title": "Accueil"},
        {"url": reverse("plans:department", args=[department.code]), "title": department.name},
    ]


def plan_crumbs(plan) -> list[dict]:
    return [
        *department_crumbs(plan.department),
        {"url": plan.get_absolute_url(), "title": plan_short_title(plan)},
    ]


def measure_crumbs(measure) -> list[dict]:
    return [
        *plan_crumbs(measure.axis.plan),
        {"url": measure.get_absolute_url(), "title": f"Mesure {measure.number}"},
    ]


def plan_short_title(plan) -> str:
    return f"Plan {plan.period_label}"


def paginate_history(request, entries):
    paginator = Paginator(entries, HISTORY_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    for entry in page.object_list:
        model = entry.content_type.model_class()
        entry.object_type = str(model._meta.verbose_name) if model else entry.content_type.model
        entry.change_list = list(entry.changes.values()) if isinstance(entry.changes, dict) else []
    return page
