"""The data a review is made of, computed once and shared by its sections.

Nothing is recomputed differently from the pages that already show it: indicators go through
`vigie.indicators.progress` (the traffic lights) and `vigie.indicators.charts`; statistics through the
statistics page's own builder; governance through `vigie.governance.selectors`; what changed through the
audit log's read API.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import cached_property

from django.db.models import Count, Q
from django.utils import timezone

from vigie.audit import services as audit
from vigie.audit.enums import AuditAction
from vigie.governance import selectors as governance
from vigie.governance.models import Meeting
from vigie.indicators import periods, progress
from vigie.indicators.charts import indicator_chart
from vigie.indicators.progress import ActionCounts
from vigie.plans.enums import ActionStatus
from vigie.plans.models import Action
from vigie.reviews.models import ReviewText
from vigie.reviews.params import ReviewParams
from vigie.statistics.pages import build_department


@dataclass
class IndicatorReview:
    """An indicator as of the end of the period: its values up to then, its position, its chart."""

    indicator: object
    by_period: dict
    annual: dict
    track: progress.Track
    chart: str


@dataclass
class ActionChange:
    action: Action
    when: datetime
    text: str


def _aware(day, *, next_day: bool = False) -> datetime:
    moment = datetime.combine(day + timedelta(days=1) if next_day else day, time.min)
    return timezone.make_aware(moment)


STATUS_BY_LABEL = {label: code for code, label in ActionStatus.choices}


def _rewind_states(actions: list[Action], *, after: datetime) -> None:
    """Give each action the state it had at `after`: today's state, unless the audit log shows a change of state
    since then, whose "before" value is the state at that moment. (A review of a past year shows that year's
    states; actions added since stay in, an imported plan's actions being all "added" on its import day.)"""
    by_pk = {action.pk: action for action in actions}
    entries = audit.history_between(
        Action, list(by_pk), start=after, end=timezone.now() + timedelta(days=1)
    )
    rewound = set()
    for entry in entries:
        pk = int(entry.object_id)
        status = (entry.changes or {}).get("status")
        if pk in rewound or entry.action != AuditAction.UPDATE or not status:
            continue
        rewound.add(pk)
        code = STATUS_BY_LABEL.get(status["old"])
        if code is not None:
            by_pk[pk].status = code


class ReviewSource:
    def __init__(self, params: ReviewParams):
        self.params = params
        self.plan = params.plan
        self.department = params.plan.department

    @cached_property
    def progress(self) -> list[progress.AxisProgress]:
        return progress.plan_progress(self.plan)

    @cached_property
    def texts(self) -> dict:
        """{axis id or None (the introduction): text}."""
        return {t.axis_id: t.body for t in ReviewText.objects.filter(plan=self.plan)}

    @cached_property
    def actions_by_measure(self) -> dict[int, list[Action]]:
        """The plan's actions, each with its state at the end of the period (in memory, never saved)."""
        result = defaultdict(list)
        actions = list(Action.objects.filter(measure__axis__plan=self.plan).select_related("owner"))
        _rewind_states(actions, after=_aware(self.params.date_to, next_day=True))
        for action in actions:
            result[action.measure_id].append(action)
        return result

    @cached_property
    def action_counts_by_measure(self) -> dict[int, ActionCounts]:
        result = defaultdict(ActionCounts)
        for measure_id, actions in self.actions_by_measure.items():
            for action in actions:
                result[measure_id].add(action.status, 1)
        return result

    @cached_property
    def changes_by_action(self) -> dict[int, list[ActionChange]]:
        """State changes and additions of actions during the period, from the audit log."""
        actions = {a.pk: a for group in self.actions_by_measure.values() for a in group}
        entries = audit.history_between(
            Action,
            list(actions),
            start=_aware(self.params.date_from),
            end=_aware(self.params.date_to, next_day=True),
        )
        result = defaultdict(list)
        for entry in entries:
            action = actions.get(int(entry.object_id))
            status = (entry.changes or {}).get("status")
            if entry.action == AuditAction.CREATE:
                text = "Action ajoutée au plan"
            elif entry.action == AuditAction.UPDATE and status:
                text = f"État : {status['old'] or '—'} → {status['new']}"
            else:
                continue
            result[action.pk].append(ActionChange(action, entry.created_at, text))
        return result

    @cached_property
    def indicators_by_measure(self) -> dict[int, list[IndicatorReview]]:
        """Each indicator's validated values up to the end of the period, and its traffic light then."""
        last_year = self.params.date_to.year
        result = defaultdict(list)
        for axis in self.progress:
            for item in axis.indicators:
                by_period = {
                    code: value
                    for code, value in item.by_period.items()
                    if (periods.year_of(code) or 0) <= last_year
                }
                annual = {year: v for year, v in item.annual.items() if year <= last_year}
                indicator = item.indicator
                result[indicator.measure_id].append(
                    IndicatorReview(
                        indicator,
                        by_period,
                        annual,
                        progress.track(indicator, annual, self.plan),
                        indicator_chart(
                            indicator, self.plan, by_period, chart_id=f"bilan-ind-{indicator.pk}"
                        ),
                    )
                )
        return result

    @cached_property
    def indicators(self) -> list[IndicatorReview]:
        return [i for group in self.indicators_by_measure.values() for i in group]

    @cached_property
    def statistics(self) -> dict:
        """The statistics page of the department, as that page builds it (same tables, same numbers)."""
        return build_department(self.department.code, {})

    @cached_property
    def body_statuses(self) -> list[governance.BodyStatus]:
        return governance.body_statuses(self.department, self.params.date_to)

    @cached_property
    def meetings_held(self) -> dict[int, int]:
        """{body id: meetings held during the period}."""
        rows = (
            Meeting.objects.filter(
                body__department=self.department,
                is_cancelled=False,
                date__gte=self.params.date_from,
                date__lte=self.params.date_to,
            )
            .values("body_id")
            .annotate(n=Count("id"))
            .order_by()
        )
        return {row["body_id"]: row["n"] for row in rows}

    @cached_property
    def coverage(self) -> list[governance.CoverageRow]:
        return governance.local_council_coverage(self.department)

    @cached_property
    def follow_ups(self) -> list:
        """Followed decisions taken up to the end of the period."""
        return list(
            governance.follow_ups(self.department).filter(Q(meeting__date__lte=self.params.date_to))
        )

    @cached_property
    def overdue_follow_ups(self) -> list:
        return list(
            governance.overdue_follow_ups(self.department, self.params.date_to).filter(
                meeting__date__lte=self.params.date_to
            )
        )
