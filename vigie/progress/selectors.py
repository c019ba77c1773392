"""What the public progress page of a plan shows, in a fixed number of queries whatever its size.

Only the public view: measures, actions and indicators not flagged non-public (an action or indicator of
a non-public measure is left out too), validated values only, and nothing personal: an action's timeline
gives the dates and states read from the audit log, never who changed them.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import CharField, Max
from django.db.models.functions import Cast

from vigie.audit import services as audit
from vigie.core.charts import Bars, Line, Reference, bar_chart, line_chart
from vigie.core.formatting import BelowThreshold, number
from vigie.indicators import periods
from vigie.indicators import progress as indicator_progress
from vigie.indicators.enums import ValueStatus
from vigie.indicators.models import Indicator, IndicatorValue
from vigie.plans.models import Action, Axis, Measure, Plan

FEED_SIZE = 50


@dataclass
class Event:
    """A change of state of an action, as the public sees it."""

    action_id: int
    date: datetime
    previous: str
    state: str

    @property
    def is_creation(self) -> bool:
        return not self.previous


@dataclass
class MeasureRow:
    measure: Measure
    progress: indicator_progress.MeasureProgress
    actions: list = field(default_factory=list)


@dataclass
class AxisRow:
    axis: Axis
    measures: list[MeasureRow]
    progress: indicator_progress.AxisProgress


def public_measures(plan: Plan):
    return (
        Measure.objects.filter(axis__plan=plan, is_restricted=False)
        .select_related("axis")
        .order_by("axis__order", "axis__pk", "order", "pk")
    )


def public_actions(plan: Plan):
    return Action.objects.filter(
        measure__axis__plan=plan, measure__is_restricted=False, is_restricted=False
    )


def public_indicators(plan: Plan):
    return Indicator.objects.filter(
        measure__axis__plan=plan, measure__is_restricted=False, is_restricted=False
    )


def public_values(plan: Plan):
    """Validated values of the plan's public indicators."""
    return IndicatorValue.objects.filter(
        indicator__in=public_indicators(plan), status=ValueStatus.VALIDATED
    )


def state_events(
    plan: Plan, *, newest_first: bool = False, limit: int | None = None
) -> list[Event]:
    """The dated states of the plan's public actions, from the audit log (one query)."""
    ids = public_actions(plan).annotate(pk_text=Cast("pk", CharField())).values("pk_text")
    rows = audit.field_history(Action, ids, "status", newest_first=newest_first, limit=limit)
    return [
        Event(int(object_id), created_at, old or "", new or "")
        for object_id, created_at, old, new in rows
    ]


def last_update(plan: Plan) -> datetime | None:
    """The latest change the public page reflects: a public measure or action, or a validated value."""
    dates = [
        public_measures(plan).aggregate(last=Max("updated_at"))["last"],
        public_actions(plan).aggregate(last=Max("updated_at"))["last"],
        public_values(plan).aggregate(last=Max("validated_at"))["last"],
    ]
    dates = [d for d in dates if d is not None]
    return max(dates) if dates else None


def _structure(plan: Plan) -> tuple[list[AxisRow], dict[int, MeasureRow]]:
    axes = list(plan.axes.order_by("order", "pk"))
    measures = list(public_measures(plan))
    progress_of = {
        item.measure.pk: item
        for item in indicator_progress.measures_progress(measures, plan, public_only=True)
    }
    rows_by_axis = defaultdict(list)
    by_measure = {}
    for measure in measures:
        row = MeasureRow(measure, progress_of[measure.pk])
        rows_by_axis[measure.axis_id].append(row)
        by_measure[measure.pk] = row
    axis_rows = [
        AxisRow(
            axis,
            rows_by_axis[axis.pk],
            indicator_progress.AxisProgress(axis, [r.progress for r in rows_by_axis[axis.pk]]),
        )
        for axis in axes
    ]
    return axis_rows, by_measure


def _attach_actions(plan: Plan, by_measure: dict[int, MeasureRow]) -> list:
    timelines = defaultdict(list)
    for event in state_events(plan):
        timelines[event.action_id].append(event)
    actions = list(public_actions(plan).select_related("owner").order_by("order", "pk"))
    for action in actions:
        action.timeline = timelines.get(action.pk, [])
        action.badge = indicator_progress.ACTION_BADGE.get(action.status, "info")
        by_measure[action.measure_id].actions.append(action)
    return actions


def progress_chart(plan: Plan, axis_rows: list[AxisRow]) -> str:
    """Share of actions done per axis, as bars (the page's axis table gives the same figures)."""
    rows = [row for row in axis_rows if row.progress.actions.total]
    if not rows:
        return ""
    categories = [f"{row.axis.get_kind_display()} {row.axis.number}" for row in rows]
    values = [row.progress.actions.done_percent for row in rows]
    described = "; ".join(
        f"{label} : {value} %" for label, value in zip(categories, values, strict=True)
    )
    return bar_chart(
        chart_id=f"avancement-{plan.pk}",
        title="Part des actions réalisées, par axe",
        description=f"Part des actions réalisées de chaque axe : {described}.",
        categories=categories,
        series=[Bars("Actions réalisées", values)],
        value_suffix=" %",
        decimals=0,
    )


def indicator_chart(plan: Plan, item: indicator_progress.IndicatorProgress) -> str:
    """An indicator's validated department values over the periods, with its target (dashed)."""
    indicator = item.indicator
    # A « < 5 » count (BELOW_THRESHOLD) is not drawn: the page writes it beside the indicator.
    by_period = {k: v for k, v in item.by_period.items() if not isinstance(v, BelowThreshold)}
    if not by_period:
        return ""
    labels = [periods.label(code) for code in by_period]
    values = list(by_period.values())
    references = []
    if indicator.target_value is not None:
        target = f"Cible {indicator.target_period or plan.period_end}"
        references.append(Reference("target", target, indicator.target_value))
    described = "; ".join(
        f"{label} : {number(value)}" for label, value in zip(labels, values, strict=True)
    )
    return line_chart(
        chart_id=f"indicateur-{indicator.pk}",
        title=f"Évolution — {indicator}",
        description=f"Valeurs validées au niveau du département : {described}.",
        x_labels=labels,
        lines=[Line("Département", values, 0)],
        references=references,
        decimals=None,
    )


def plan_page(plan: Plan) -> dict:
    """Everything the public progress page shows but the maps and the territory filter."""
    axis_rows, by_measure = _structure(plan)
    actions = _attach_actions(plan, by_measure)
    totals = indicator_progress.ActionCounts()
    for row in axis_rows:
        totals.merge(row.progress.actions)
    indicators = [item for row in axis_rows for item in row.progress.indicators]
    for item in indicators:
        item.chart = indicator_chart(plan, item)
    return {
        "axis_rows": axis_rows,
        "totals": totals,
        "action_count": len(actions),
        "measure_count": len(by_measure),
        "indicators": indicators,
        "track_counts": indicator_progress._track_counts(indicators),
        "progress_chart": progress_chart(plan, axis_rows),
        "last_update": last_update(plan),
        "has_demo": any(item.indicator.is_demo for item in indicators)
        or public_values(plan).filter(is_demo=True).exists(),
    }
