"""Every write to a plan goes through here, with its audit entry in the same transaction.

Edits of plans, measures and actions take `read_version`, the version the person read (see
`vigie.core.concurrency`): a stale one raises StaleEdit and writes nothing; None is a write by the system.
"""

from django.db import transaction

from vigie.audit import services as audit
from vigie.core.concurrency import claim
from vigie.plans.models import Action, Comment, Measure, Plan


def _apply(instance, data: dict, read_version: int | None) -> dict:
    """Set `data` on `instance` and save it under the next version; nothing when nothing changes."""
    before = audit.snapshot(instance, list(data))
    for name, value in data.items():
        setattr(instance, name, value)
    instance.full_clean()
    if audit.snapshot(instance, list(data)) != before:
        claim(instance, read_version)
        instance.save()
    return before


@transaction.atomic
def update_plan(*, acting_user, plan: Plan, data: dict, read_version: int | None = None) -> Plan:
    before = _apply(plan, data, read_version)
    audit.record_update(
        acting_user=acting_user, instance=plan, before=before, department=plan.department
    )
    return plan


@transaction.atomic
def update_measure(
    *, acting_user, measure: Measure, data: dict, read_version: int | None = None
) -> Measure:
    before = _apply(measure, data, read_version)
    audit.record_update(
        acting_user=acting_user,
        instance=measure,
        before=before,
        department=measure.axis.plan.department,
    )
    return measure


@transaction.atomic
def update_action(
    *, acting_user, action: Action, data: dict, read_version: int | None = None
) -> Action:
    before = _apply(action, data, read_version)
    audit.record_update(
        acting_user=acting_user,
        instance=action,
        before=before,
        parent=action.measure,
        department=action.measure.axis.plan.department,
    )
    return action


def change_action_status(
    *, acting_user, action: Action, status: str, read_version: int | None = None
) -> Action:
    return update_action(
        acting_user=acting_user, action=action, data={"status": status}, read_version=read_version
    )


@transaction.atomic
def create_action(*, acting_user, measure: Measure, data: dict) -> Action:
    last = measure.actions.order_by("-order").values_list("order", flat=True).first()
    action = Action(measure=measure, order=(last or 0) + 1, **data)
    action.full_clean()
    action.save()
    audit.record_create(
        acting_user=acting_user,
        instance=action,
        parent=measure,
        department=measure.axis.plan.department,
    )
    return action


@transaction.atomic
def delete_action(*, acting_user, action: Action, read_version: int | None = None) -> None:
    """Refused (StaleEdit) when someone changed the action since the person read it."""
    claim(action, read_version)
    measure = action.measure
    audit.record_delete(
        acting_user=acting_user,
        instance=action,
        parent=measure,
        department=measure.axis.plan.department,
    )
    action.delete()


@transaction.atomic
def add_comment(*, acting_user, measure: Measure, body: str) -> Comment:
    comment = Comment(measure=measure, author=acting_user, body=body)
    comment.full_clean()
    comment.save()
    audit.record_create(
        acting_user=acting_user,
        instance=comment,
        parent=measure,
        department=measure.axis.plan.department,
    )
    return comment
