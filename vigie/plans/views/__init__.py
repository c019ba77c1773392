"""Plan pages. One module per object: plans (department home, plan), measures, actions."""

from vigie.plans.views.actions import (
    action_create,
    action_delete,
    action_edit,
    action_history,
    action_status,
)
from vigie.plans.views.measures import (
    measure_comments,
    measure_detail,
    measure_edit,
    measure_history,
)
from vigie.plans.views.plans import department_home, plan_detail, plan_edit, plan_history

__all__ = [
    "action_create",
    "action_delete",
    "action_edit",
    "action_history",
    "action_status",
    "department_home",
    "measure_comments",
    "measure_detail",
    "measure_edit",
    "measure_history",
    "plan_detail",
    "plan_edit",
    "plan_history",
]
