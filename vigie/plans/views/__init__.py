"""Plan pages. One module per object: plans (department home, plan), measures, actions; public
pages listing plan data (home page, commune, organisation)."""

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
from vigie.plans.views.public import commune, home, organisation

__all__ = [
    "action_create",
    "action_delete",
    "action_edit",
    "action_history",
    "action_status",
    "commune",
    "department_home",
    "home",
    "measure_comments",
    "measure_detail",
    "measure_edit",
    "measure_history",
    "organisation",
    "plan_detail",
    "plan_edit",
    "plan_history",
]
