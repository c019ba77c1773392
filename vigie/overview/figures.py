"""The figures of the overview, for many departments at once, in a bounded number of queries.

Each figure is computed by the function that computes it for the department's own pages, never differently:
share of actions done (`indicators.progress.ActionCounts`), indicators off track (`indicators.progress` traffic
lights), councils overdue (`governance.selectors` cadence statuses).

Money per fund: the funding app, when it lands, sits in the layer below this one (see pyproject's import-linter
contract) and adds one figure here, computed for all departments at once like the others.
"""

from dataclasses import dataclass, field
from datetime import date

from vigie.governance.enums import CadenceStatus
from vigie.governance.selectors import BodyStatus, body_statuses_by_department
from vigie.indicators.enums import TrackStatus
from vigie.indicators.progress import (
    ActionCounts,
    IndicatorProgress,
    plans_action_counts,
    plans_indicators_progress,
)
from vigie.plans.enums import PlanStatus
from vigie.plans.models import Plan

# Which of a department's plans the overview shows: the plan in force, else the one being prepared, else the
# last closed one; the most recent first within each.
STATUS_PREFERENCE = {PlanStatus.ADOPTED: 2, PlanStatus.DRAFT: 1, PlanStatus.CLOSED: 0}


@dataclass
class DepartmentFigures:
    department: object
    plan: Plan | None = None
    actions: ActionCounts = field(default_factory=ActionCounts)
    indicators: list[IndicatorProgress] = field(default_factory=list)
    bodies: list[BodyStatus] = field(default_factory=list)

    @property
    def off_track(self) -> list[IndicatorProgress]:
        return [i for i in self.indicators if i.track.status == TrackStatus.OFF_TRACK]

    @property
    def tracked_count(self) -> int:
        """Indicators with a traffic light (data and a target)."""
        untracked = (TrackStatus.NO_DATA, TrackStatus.NO_TARGET)
        return sum(1 for i in self.indicators if i.track.status not in untracked)

    @property
    def overdue(self) -> list[BodyStatus]:
        return [row for row in self.bodies if row.status == CadenceStatus.OVERDUE]

    @property
    def never_met(self) -> list[BodyStatus]:
        return [row for row in self.bodies if row.status == CadenceStatus.NEVER_MET]

    @property
    def with_cadence_count(self) -> int:
        return sum(1 for row in self.bodies if row.status != CadenceStatus.NO_CADENCE)


def _current_plans(department_ids) -> dict[int, Plan]:
    """{department_id: the plan the overview shows} (one query)."""
    chosen: dict[int, Plan] = {}
    for plan in Plan.objects.filter(department_id__in=department_ids).select_related("department"):
        current = chosen.get(plan.department_id)
        if current is None or _preference(plan) > _preference(current):
            chosen[plan.department_id] = plan
    return chosen


def _preference(plan: Plan) -> tuple[int, int]:
    return STATUS_PREFERENCE.get(plan.status, -1), plan.period_start


def department_figures(departments, today: date | None = None) -> list[DepartmentFigures]:
    """The figures of each department, in the departments' order: about six queries whatever their number."""
    departments = list(departments)
    ids = [d.pk for d in departments]
    plans = _current_plans(ids)
    plan_list = list(plans.values())
    actions = plans_action_counts(plan_list)
    indicators = plans_indicators_progress(plan_list)
    bodies = body_statuses_by_department(ids, today)
    rows = []
    for department in departments:
        plan = plans.get(department.pk)
        row = DepartmentFigures(department, plan, bodies=bodies[department.pk])
        if plan is not None:
            row.actions = actions[plan.pk]
            row.indicators = indicators[plan.pk]
        rows.append(row)
    return rows
