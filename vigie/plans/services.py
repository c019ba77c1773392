"""Every write to a plan goes through here, with its audit entry in the same transaction."""

from django.db import transaction

from vigie.audit import services as audit
from vigie.plans.models import Action, Comment, Measure, Plan


def _apply(instance, data: dict) -> dict:
    before = audit.snapshot(instance, list(data))
    for name, value in data.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    return before


@transaction.atomic
def update_plan(*, acting_user, plan: Plan, data: dict) -> Plan:
    before = _apply(plan, data)
    audit.record_update(
        acting_user=acting_user, instance=plan, before=before, department=plan.department
    )
    return plan


@transaction.atomic
def update_measure(*, acting_user, measure: Measure, data: dict) -> Measure:
    before = _apply(measure, data)
    audit.record_update(
        acting_user=acting_user,
        instance=measure,
        before=before,
        department=measure.axis.plan.department,
    )
    return measure


@transaction.atomic
def update_action(*, acting_user, action: Action, data: dict) -> Action:
    before = _apply(action, data)
    audit.record_update(
        acting_user=acting_user,
        instance=action,
        before=before,
        parent=action.measure,
        department=action.measure.axis.plan.department,
    )
    return action


def change_action_status(*, acting_user, action: Action, status: str) -> Action:
    return update_action(acting_user=acting_user, action=action, data={"status": status})


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
def delete_action(*, acting_user, action: Action) -> None:
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
