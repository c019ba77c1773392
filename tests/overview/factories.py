"""Generated departments with plans, for the overview's tests and benchmark (bench/overview/run.py).

`generate_departments(101)` builds 101 departments over 13 regions, each with a plan (2 axes × 3 measures × 5
actions, one indicator per measure with validated values) and three councils, in a few bulk inserts. Every
department has the same known figures (`EXPECTED`), so tests can check them at scale.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from vigie.governance.enums import BodyKind, Cadence
from vigie.governance.models import Body, Meeting
from vigie.indicators.enums import ValueStatus
from vigie.indicators.models import Campaign, Indicator, IndicatorValue
from vigie.plans.enums import ActionStatus, PlanStatus
from vigie.plans.models import Action, Axis, Measure, Plan
from vigie.territories.models import Department, Region

# Five actions per measure, two of them done: 40 % done.
ACTION_STATUSES = [
    ActionStatus.DONE,
    ActionStatus.IN_PROGRESS,
    ActionStatus.DONE,
    ActionStatus.PLANNED,
    ActionStatus.ABANDONED,
]


@dataclass(frozen=True)
class Expected:
    done_percent: int
    off_track: int
    overdue: int
    never_met: int


def expected(axes: int = 2) -> Expected:
    """The figures of each generated department: the first measure of each axis has its indicator off track;
    the CDPD is overdue, the CLAV never met, the steering committee up to date."""
    return Expected(done_percent=40, off_track=axes, overdue=1, never_met=1)


def _plans(departments, today):
    return Plan.objects.bulk_create(
        Plan(
            department=d,
            title=f"Plan de prévention de la délinquance — {d.name}",
            period_start=2021,
            period_end=2026,
            status=PlanStatus.DRAFT if i % 10 == 9 else PlanStatus.ADOPTED,
        )
        for i, d in enumerate(departments)
    )


def _measures(plans, axes, measures):
    axis_rows = Axis.objects.bulk_create(
        Axis(plan=p, number=str(a + 1), title=f"Axe {a + 1}", order=a)
        for p in plans
        for a in range(axes)
    )
    return Measure.objects.bulk_create(
        Measure(axis=axis, number=f"{axis.number}.{m + 1}", title=f"Mesure {m + 1}", order=m)
        for axis in axis_rows
        for m in range(measures)
    )


def _indicators(plans, measure_rows):
    campaigns = {
        c.plan_id: c
        for c in Campaign.objects.bulk_create(
            Campaign(
                plan=p,
                title="Collecte 2024",
                period_start=date(2024, 1, 1),
                period_end=date(2024, 12, 31),
                deadline=date(2025, 1, 31),
            )
            for p in plans
        )
    }
    plan_of_axis = {
        axis.pk: axis.plan
        for axis in Axis.objects.filter(plan__in=plans).select_related("plan__department")
    }
    indicators = Indicator.objects.bulk_create(
        Indicator(
            measure=m,
            label=f"Indicateur de la mesure {m.number}",
            baseline_period="2020",
            baseline_value=Decimal(100),
            target_period="2026",
            target_value=Decimal(200),
        )
        for m in measure_rows
    )
    values = []
    for indicator, measure in zip(indicators, measure_rows, strict=True):
        plan = plan_of_axis[measure.axis_id]
        off_track = measure.number.endswith(".1")
        for year, value in ((2023, 120 if off_track else 170), (2024, 110 if off_track else 190)):
            values.append(
                IndicatorValue(
                    indicator=indicator,
                    campaign=campaigns[plan.pk],
                    period=str(year),
                    department_id=plan.department_id,
                    territory_key=f"D{plan.department.code}",
                    value=Decimal(value),
                    status=ValueStatus.VALIDATED,
                )
            )
    IndicatorValue.objects.bulk_create(values)


def _councils(departments, today):
    specs = [
        (BodyKind.CDPD, Cadence.YEARLY, today - timedelta(days=730)),
        (BodyKind.STEERING, Cadence.TWICE_A_YEAR, today - timedelta(days=30)),
        (BodyKind.CLAV, Cadence.YEARLY, None),
    ]
    bodies = Body.objects.bulk_create(
        Body(department=d, kind=kind, name=f"{kind.label} — {d.code}", cadence=cadence)
        for d in departments
        for kind, cadence, _ in specs
    )
    last = [held for _ in departments for _, _, held in specs]
    Meeting.objects.bulk_create(
        Meeting(body=body, date=held, agenda="Réunion")
        for body, held in zip(bodies, last, strict=True)
        if held is not None
    )


def generate_departments(
    count: int = 101,
    *,
    regions: int = 13,
    axes: int = 2,
    measures: int = 3,
    actions: int = 5,
    today: date | None = None,
) -> list[Department]:
    today = today or timezone.localdate()
    region_rows = [
        Region.objects.get_or_create(code=f"R{r:02d}", defaults={"name": f"Région {r + 1}"})[0]
        for r in range(regions)
    ]
    departments = Department.objects.bulk_create(
        Department(
            code=f"{i + 1:03d}", name=f"Département {i + 1}", region=region_rows[i % regions]
        )
        for i in range(count)
    )
    plans = _plans(departments, today)
    measure_rows = _measures(plans, axes, measures)
    Action.objects.bulk_create(
        Action(measure=m, text=f"Action {a + 1}", status=ACTION_STATUSES[a % 5], order=a)
        for m in measure_rows
        for a in range(actions)
    )
    _indicators(plans, measure_rows)
    _councils(departments, today)
    return departments
