"""Choosing what the public sees: the non-public flag of measures, actions and indicators, audited."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from vigie.audit import services as audit
from vigie.core.concurrency import claim
from vigie.indicators.models import Indicator
from vigie.plans.models import Action, Measure, Plan
from vigie.progress import perms


def _set_flags(acting_user, plan: Plan, items, restricted_ids: set[int], parent_of) -> int:
    changed = 0
    for item in items:
        wanted = item.pk in restricted_ids
        if item.is_restricted == wanted:
            continue
        before = audit.snapshot(item, ["is_restricted"])
        # One change, one version, one audit entry (vigie.core.concurrency): an edit form read before
        # is refused and shows this change.
        claim(item, None)
        item.is_restricted = wanted
        item.save(update_fields=["is_restricted", "version"])
        audit.record_update(
            acting_user=acting_user,
            instance=item,
            before=before,
            parent=parent_of(item),
            department=plan.department,
            reason="Publication : élément marqué non public"
            if wanted
            else "Publication : élément rendu public",
        )
        changed += 1
    return changed


@transaction.atomic
def set_publication(
    *,
    acting_user,
    plan: Plan,
    measure_ids: set[int],
    action_ids: set[int],
    indicator_ids: set[int],
) -> int:
    """Marks non-public exactly the given measures, actions and indicators of the plan (the others
    become public); ids of another plan are ignored. One audit entry per item changed; returns
    their number."""
    if not perms.can_manage_publication(acting_user, plan):
        raise PermissionDenied("Seule la préfecture du département choisit ce qui est public.")
    measures = Measure.objects.filter(axis__plan=plan).select_for_update()
    actions = Action.objects.filter(measure__axis__plan=plan).select_for_update()
    indicators = Indicator.objects.filter(measure__axis__plan=plan).select_for_update()
    return (
        _set_flags(acting_user, plan, measures, measure_ids, lambda m: plan)
        + _set_flags(acting_user, plan, actions, action_ids, lambda a: Measure(pk=a.measure_id))
        + _set_flags(
            acting_user, plan, indicators, indicator_ids, lambda i: Measure(pk=i.measure_id)
        )
    )
