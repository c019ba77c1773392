"""Roll-ups and traffic lights: how far each indicator and each measure's actions have got.

Rules (also shown to people on the progress pages, see templates/indicators/includes/rules.html):

* Only validated values count. Values are consolidated from the collection level up to the department:
  sum (or mean) of the territories that reported; "latest" sums each territory's value (stocks);
  "none" gives no department figure unless the indicator is collected at department level.
* Within a year, sub-annual periods are summed (sum), averaged (mean) or the last one is kept (latest).
* Position against target, on the latest year with data, for an indicator with a target and a direction:
  the expected value follows a straight line from the baseline (period, value) to the target
  (period, value); without a baseline, the first known year is the starting point.
  r = (value − baseline) ÷ (expected − baseline) is the share of the expected progress achieved.
  On track when r ≥ 90 %; at risk when 50 % ≤ r < 90 %; off track below 50 % (or moving the wrong way).
  When no progress is expected yet (the baseline year) the indicator is on track if it is not worse
  than the baseline, at risk otherwise. When the target does not ask to move away from the baseline
  (keep a level), it is on track at or beyond the target, at risk within 10 %, off track beyond.
* No validated value: "no data". No target, or a neutral direction: "no target".
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, Prefetch, Q, Sum

from vigie.indicators import periods
from vigie.indicators.enums import (
    Aggregation,
    DenominatorKind,
    Direction,
    TerritorialLevel,
    TrackStatus,
    ValueStatus,
)
from vigie.indicators.models import Indicator, IndicatorValue
from vigie.plans.enums import ActionStatus
from vigie.plans.models import Action, Measure
from vigie.territories.models import Commune

ON_TRACK_RATIO = Decimal("0.9")
AT_RISK_RATIO = Decimal("0.5")
KEEP_LEVEL_TOLERANCE = Decimal("0.1")

BADGE = {
    TrackStatus.ON_TRACK: "success",
    TrackStatus.AT_RISK: "warning",
    TrackStatus.OFF_TRACK: "error",
    TrackStatus.NO_DATA: "info",
    TrackStatus.NO_TARGET: "new",
}
ACTION_BADGE = {
    ActionStatus.PLANNED: "info",
    ActionStatus.IN_PROGRESS: "new",
    ActionStatus.DONE: "success",
    ActionStatus.PAUSED: "warning",
    ActionStatus.ABANDONED: "error",
}


@dataclass
class Track:
    status: str
    year: int | None = None
    value: Decimal | None = None
    expected: Decimal | None = None
    ratio: Decimal | None = None

    @property
    def label(self) -> str:
        return TrackStatus(self.status).label

    @property
    def badge(self) -> str:
        return BADGE[TrackStatus(self.status)]

    @property
    def percent(self) -> int | None:
        return None if self.ratio is None else int((self.ratio * 100).to_integral_value())


def _year_or(code: str, default: int | None) -> int | None:
    year = periods.year_of(periods.normalize(code)) if code else None
    return year if year is not None else default


def track(indicator: Indicator, annual: dict[int, Decimal], plan=None) -> Track:
    """Position of an indicator against its target, from its department-level annual series."""
    if not annual:
        return Track(TrackStatus.NO_DATA)
    year = max(annual)
    value = annual[year]
    if indicator.target_value is None or indicator.direction == Direction.NEUTRAL:
        return Track(TrackStatus.NO_TARGET, year, value)
    plan = plan or indicator.measure.axis.plan
    target = Decimal(indicator.target_value)
    target_year = _year_or(indicator.target_period, plan.period_end)
    if indicator.baseline_value is not None:
        base = Decimal(indicator.baseline_value)
        base_year = _year_or(indicator.baseline_period, plan.period_start - 1)
    else:
        base_year = min(annual)
        base = annual[base_year]
    sign = 1 if indicator.direction == Direction.UP else -1
    if sign * (target - base) <= 0:
        gap = sign * (value - target)
        if gap >= 0:
            return Track(TrackStatus.ON_TRACK, year, value, target)
        tolerance = abs(target) * KEEP_LEVEL_TOLERANCE
        status = TrackStatus.AT_RISK if -gap <= tolerance else TrackStatus.OFF_TRACK
        return Track(status, year, value, target)
    if target_year <= base_year:
        fraction = Decimal(1)
    else:
        fraction = min(
            max(Decimal(year - base_year) / Decimal(target_year - base_year), Decimal(0)),
            Decimal(1),
        )
    expected = base + (target - base) * fraction
    if expected == base:
        status = TrackStatus.ON_TRACK if sign * (value - base) >= 0 else TrackStatus.AT_RISK
        return Track(status, year, value, expected)
    ratio = (value - base) / (expected - base)
    if ratio >= ON_TRACK_RATIO:
        status = TrackStatus.ON_TRACK
    elif ratio >= AT_RISK_RATIO:
        status = TrackStatus.AT_RISK
    else:
        status = TrackStatus.OFF_TRACK
    return Track(status, year, value, expected.quantize(Decimal("0.01")), ratio)


# ---------------------------------------------------------------- roll-up


def _period_rollup(indicators: list[Indicator]) -> dict[int, dict[str, Decimal]]:
    """{indicator_id: {period: department-level value}} from validated values, one query."""
    collected = [i for i in indicators if not i.is_computed]
    ids = {i.pk for i in collected}
    for i in indicators:
        if i.is_computed:
            ids |= {pk for pk in (i.numerator_id, i.denominator_id) if pk}
    if not ids:
        return {}
    rows = (
        IndicatorValue.objects.filter(indicator_id__in=ids, status=ValueStatus.VALIDATED)
        .values_list("indicator_id", "period")
        .annotate(total=Sum("value"), mean=Avg("value"), n=Count("id"))
        .order_by()
    )
    by_id = {i.pk: i for i in indicators}
    missing = ids - set(by_id)
    if missing:
        by_id.update({i.pk: i for i in Indicator.objects.filter(pk__in=missing)})
    result: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for indicator_id, period, total, mean, _n in rows:
        indicator = by_id[indicator_id]
        if indicator.aggregation == Aggregation.MEAN:
            result[indicator_id][period] = Decimal(mean).quantize(Decimal("0.0001"))
        elif (
            indicator.aggregation == Aggregation.NONE
            and indicator.territorial_level != TerritorialLevel.DEPARTMENT
        ):
            continue
        else:
            result[indicator_id][period] = total
    return result


def annualise(indicator: Indicator, by_period: dict[str, Decimal]) -> dict[int, Decimal]:
    grouped: dict[int, list[tuple[str, Decimal]]] = defaultdict(list)
    for code, value in by_period.items():
        year = periods.year_of(code)
        if year is not None:
            grouped[year].append((code, value))
    annual = {}
    for year, items in grouped.items():
        items.sort(key=lambda item: periods.sort_key(item[0]))
        values = [v for _, v in items]
        if indicator.aggregation == Aggregation.LATEST:
            annual[year] = values[-1]
        elif indicator.aggregation == Aggregation.MEAN:
            annual[year] = (sum(values) / len(values)).quantize(Decimal("0.0001"))
        else:
            annual[year] = sum(values)
    return dict(sorted(annual.items()))


def department_population(department_id: int) -> int | None:
    return Commune.objects.filter(department_id=department_id).aggregate(total=Sum("population"))[
        "total"
    ]


def _computed(indicator: Indicator, rollup, population_of) -> dict[str, Decimal]:
    numerator = rollup.get(indicator.numerator_id, {})
    result = {}
    for code, value in numerator.items():
        if indicator.denominator_kind == DenominatorKind.POPULATION:
            below = population_of()
        elif indicator.denominator_kind == DenominatorKind.INDICATOR and indicator.denominator_id:
            below = rollup.get(indicator.denominator_id, {}).get(code)
        else:
            below = 1
        if below:
            result[code] = (Decimal(value) / Decimal(below) * indicator.factor).quantize(
                Decimal("0.01")
            )
    return result


@dataclass
class IndicatorProgress:
    indicator: Indicator
    by_period: dict[str, Decimal]
    annual: dict[int, Decimal]
    track: Track


def indicators_progress(indicators: list[Indicator], plan) -> list[IndicatorProgress]:
    rollup = _period_rollup(indicators)
    population_cache: list = []

    def population_of():
        if not population_cache:
            population_cache.append(department_population(plan.department_id))
        return population_cache[0]

    result = []
    for indicator in indicators:
        if indicator.is_computed:
            by_period = _computed(indicator, rollup, population_of)
        else:
            by_period = rollup.get(indicator.pk, {})
        by_period = dict(sorted(by_period.items(), key=lambda item: periods.sort_key(item[0])))
        annual = annualise(indicator, by_period)
        result.append(
            IndicatorProgress(indicator, by_period, annual, track(indicator, annual, plan))
        )
    return result


@dataclass
class ActionCounts:
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, status: str, n: int):
        self.counts[status] = self.counts.get(status, 0) + n

    def merge(self, other: "ActionCounts"):
        for status, n in other.counts.items():
            self.add(status, n)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def done(self) -> int:
        return self.counts.get(ActionStatus.DONE, 0)

    @property
    def rows(self) -> list[dict]:
        return [
            {
                "status": s,
                "label": s.label,
                "count": self.counts.get(s, 0),
                "badge": ACTION_BADGE[s],
            }
            for s in ActionStatus
        ]

    @property
    def done_percent(self) -> int | None:
        return round(100 * self.done / self.total) if self.total else None


def _track_counts(items: list[IndicatorProgress]) -> list[dict]:
    counts = {s: 0 for s in TrackStatus}
    for item in items:
        counts[TrackStatus(item.track.status)] += 1
    return [
        {"status": s, "label": s.label, "count": counts[s], "badge": BADGE[s]} for s in TrackStatus
    ]


@dataclass
class MeasureProgress:
    measure: object
    actions: ActionCounts
    indicators: list[IndicatorProgress]

    @property
    def track_counts(self):
        return _track_counts(self.indicators)


@dataclass
class AxisProgress:
    axis: object
    measures: list[MeasureProgress]

    @property
    def actions(self) -> ActionCounts:
        total = ActionCounts()
        for m in self.measures:
            total.merge(m.actions)
        return total

    @property
    def indicators(self) -> list[IndicatorProgress]:
        return [i for m in self.measures for i in m.indicators]

    @property
    def track_counts(self):
        return _track_counts(self.indicators)


def measures_progress(measures: list, plan) -> list[MeasureProgress]:
    """Progress of several measures of one plan: four queries whatever their number."""
    measure_ids = [m.pk for m in measures]
    indicators = list(
        Indicator.objects.filter(measure_id__in=measure_ids).select_related(
            "numerator", "denominator"
        )
    )
    progress = indicators_progress(indicators, plan)
    by_measure: dict[int, list[IndicatorProgress]] = defaultdict(list)
    for item in progress:
        by_measure[item.indicator.measure_id].append(item)
    actions: dict[int, ActionCounts] = defaultdict(ActionCounts)
    if all(hasattr(m, _ACTION_COUNTS[ActionStatus.DONE]) for m in measures):
        for m in measures:  # counted by the query that read the measures (plan_progress)
            for status, name in _ACTION_COUNTS.items():
                if getattr(m, name):
                    actions[m.pk].add(status, getattr(m, name))
    else:
        for measure_id, status, n in (
            Action.objects.filter(measure_id__in=measure_ids)
            .values_list("measure_id", "status")
            .annotate(n=Count("id"))
            .order_by()
        ):
            actions[measure_id].add(status, n)
    return [MeasureProgress(m, actions[m.pk], by_measure[m.pk]) for m in measures]


# Measures annotated with their number of actions in each status (one grouped query with the measures).
_ACTION_COUNTS = {status: f"progress_actions_{status.value}" for status in ActionStatus}


def plan_progress(plan) -> list[AxisProgress]:
    counted = Measure.objects.annotate(
        **{
            name: Count("actions", filter=Q(actions__status=status))
            for status, name in _ACTION_COUNTS.items()
        }
    )
    axes = list(plan.axes.prefetch_related(Prefetch("measures", queryset=counted)))
    measures = [m for axis in axes for m in axis.measures.all()]
    by_measure = {mp.measure.pk: mp for mp in measures_progress(measures, plan)}
    return [AxisProgress(axis, [by_measure[m.pk] for m in axis.measures.all()]) for axis in axes]


def axis_progress(axis) -> AxisProgress:
    measures = list(axis.measures.all())
    return AxisProgress(axis, measures_progress(measures, axis.plan))


def measure_progress(measure) -> MeasureProgress:
    return measures_progress([measure], measure.axis.plan)[0]
