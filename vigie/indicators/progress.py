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
* A count too small to publish (`IndicatorValue.is_below_threshold`, 1 to 4 people) is « < 5 »: a period whose
  values are all such counts is BELOW_THRESHOLD (and so is its year), a period mixing them with published values
  is left out (its sum would be a guess); the traffic light of a « < 5 » year is "no target" (not judged).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, F, Prefetch, Q, Sum

from vigie.core.formatting import BELOW_THRESHOLD, BelowThreshold
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
    if isinstance(value, BelowThreshold):
        return Track(TrackStatus.NO_TARGET, year, value)
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
        .annotate(
            total=Sum("value"),
            mean=Avg("value"),
            n=Count("id"),
            below=Count("id", filter=Q(is_below_threshold=True)),
        )
        .order_by()
    )
    by_id = {i.pk: i for i in indicators}
    missing = ids - set(by_id)
    if missing:
        by_id.update({i.pk: i for i in Indicator.objects.filter(pk__in=missing)})
    result: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for indicator_id, period, total, mean, n, below in rows:
        indicator = by_id[indicator_id]
        if below:
            if below == n:
                result[indicator_id][period] = BELOW_THRESHOLD
            continue
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
        if any(isinstance(v, BelowThreshold) for v in values):
            annual[year] = BELOW_THRESHOLD
        elif indicator.aggregation == Aggregation.LATEST:
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
        if isinstance(value, BelowThreshold):
            continue
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

    return _progress_items(indicators, rollup, population_of, plan)


def _progress_items(indicators, rollup, population_of, plan) -> list[IndicatorProgress]:
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


# What the roll-up and the traffic light read of an indicator (and its label): loading only these keeps the
# overview of a hundred plans fast.
TRACK_FIELDS = (
    "measure",
    "label",
    "is_computed",
    "numerator",
    "denominator",
    "denominator_kind",
    "factor",
    "aggregation",
    "territorial_level",
    "direction",
    "baseline_period",
    "baseline_value",
    "target_period",
    "target_value",
)


def plans_indicators_progress(plans: list) -> dict[int, list[IndicatorProgress]]:
    """{plan_id: progress of its indicators} for several plans (of different departments) at once: at most four
    queries whatever their number, with the same rules as `indicators_progress`. Each indicator carries its
    measure's number (`measure_number`) and whether it or its measure is non-public (`hidden_outside`)."""
    by_id = {plan.pk: plan for plan in plans}
    indicators = list(
        Indicator.objects.filter(measure__axis__plan_id__in=by_id)
        .only(*TRACK_FIELDS, "is_restricted")
        .annotate(
            plan_pk=F("measure__axis__plan_id"),
            measure_number=F("measure__number"),
            hidden_outside=Q(is_restricted=True) | Q(measure__is_restricted=True),
        )
        .order_by("measure__axis__plan_id", "pk")
    )
    rollup = _period_rollup(indicators)
    populations: dict[int, int] = {}
    loaded: list[bool] = []

    def population_for(department_id):
        if not loaded:
            loaded.append(True)
            populations.update(
                Commune.objects.filter(department_id__in={p.department_id for p in plans})
                .values_list("department_id")
                .annotate(total=Sum("population"))
                .order_by()
            )
        return populations.get(department_id)

    grouped: dict[int, list[Indicator]] = defaultdict(list)
    for indicator in indicators:
        grouped[indicator.plan_pk].append(indicator)
    return {
        plan_id: _progress_items(
            grouped[plan_id], rollup, lambda p=plan: population_for(p.department_id), plan
        )
        for plan_id, plan in by_id.items()
    }


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


def measures_progress(measures: list, plan, *, public_only: bool = False) -> list[MeasureProgress]:
    """Progress of several measures of one plan: four queries whatever their number.
    `public_only`: leaves out the non-public measures, actions and indicators (flag `is_restricted`)."""
    if public_only:
        measures = [m for m in measures if not m.is_restricted]
    measure_ids = [m.pk for m in measures]
    indicators = Indicator.objects.filter(measure_id__in=measure_ids)
    action_rows = Action.objects.filter(measure_id__in=measure_ids)
    if public_only:
        indicators = indicators.filter(is_restricted=False)
        action_rows = action_rows.filter(is_restricted=False)
    indicators = list(indicators.select_related("numerator", "denominator"))
    progress = indicators_progress(indicators, plan)
    by_measure: dict[int, list[IndicatorProgress]] = defaultdict(list)
    for item in progress:
        by_measure[item.indicator.measure_id].append(item)
    actions: dict[int, ActionCounts] = defaultdict(ActionCounts)
    if all(hasattr(m, _action_counts(public_only)[ActionStatus.DONE]) for m in measures):
        for m in measures:  # counted by the query that read the measures (plan_progress)
            for status, name in _action_counts(public_only).items():
                if getattr(m, name):
                    actions[m.pk].add(status, getattr(m, name))
    else:
        for measure_id, status, n in (
            action_rows.values_list("measure_id", "status").annotate(n=Count("id")).order_by()
        ):
            actions[measure_id].add(status, n)
    return [MeasureProgress(m, actions[m.pk], by_measure[m.pk]) for m in measures]


def plans_action_counts(plans: list) -> dict[int, ActionCounts]:
    """{plan_id: its actions counted by state} for several plans: one query."""
    counts: dict[int, ActionCounts] = {plan.pk: ActionCounts() for plan in plans}
    for plan_id, status, n in (
        Action.objects.filter(measure__axis__plan_id__in=list(counts))
        .values_list("measure__axis__plan_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[plan_id].add(status, n)
    return counts


def _action_counts(public_only: bool) -> dict:
    """Names of the annotations holding a measure's number of actions in each status (every action, or only
    the public ones), counted by one grouped query with the measures (plan_progress)."""
    prefix = "progress_public_actions" if public_only else "progress_actions"
    return {status: f"{prefix}_{status.value}" for status in ActionStatus}


def plan_progress(plan, *, public_only: bool = False) -> list[AxisProgress]:
    counted_actions = Q(actions__is_restricted=False) if public_only else Q()
    counted = Measure.objects.annotate(
        **{
            name: Count("actions", filter=Q(actions__status=status) & counted_actions)
            for status, name in _action_counts(public_only).items()
        }
    )
    axes = list(plan.axes.prefetch_related(Prefetch("measures", queryset=counted)))
    measures = [m for axis in axes for m in axis.measures.all()]
    by_measure = {
        mp.measure.pk: mp for mp in measures_progress(measures, plan, public_only=public_only)
    }
    return [
        AxisProgress(axis, [by_measure[m.pk] for m in axis.measures.all() if m.pk in by_measure])
        for axis in axes
    ]


def axis_progress(axis, *, public_only: bool = False) -> AxisProgress:
    measures = list(axis.measures.all())
    return AxisProgress(axis, measures_progress(measures, axis.plan, public_only=public_only))


def measure_progress(measure, *, public_only: bool = False) -> MeasureProgress:
    return measures_progress([measure], measure.axis.plan, public_only=public_only)[0]
