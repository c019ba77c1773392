"""Demonstration figures for the Gers and Lot plans (`manage.py load_indicators_demo`).

The published plans list indicators but give no values: everything written here is invented, marked
`is_demo`, and the pages show a "Données de démonstration" notice. Deterministic (seeded) and idempotent:
running it again changes nothing; values entered by real people are never overwritten.
"""

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from vigie.audit import services as audit
from vigie.audit.enums import AuditAction
from vigie.indicators.enums import (
    Aggregation,
    CampaignStatus,
    DenominatorKind,
    Direction,
    Periodicity,
    TerritorialLevel,
    Unit,
    ValueSource,
    ValueStatus,
)
from vigie.indicators.models import ActionReport, Campaign, Indicator, IndicatorValue
from vigie.indicators.territory import Directory
from vigie.plans import services as plan_services
from vigie.plans.enums import ActionStatus
from vigie.plans.models import Action, Plan

DEMO_NOTE = "Point d'avancement de démonstration (inventé)."
COMPUTED_LABEL = (
    "Cas de violences signalés pour 1 000 habitants (indicateur calculé de démonstration)"
)


@dataclass(frozen=True)
class Spec:
    """Definition overrides for an indicator whose label starts with `prefix`."""

    prefix: str
    unit: str = Unit.NUMBER
    level: str = TerritorialLevel.DEPARTMENT
    aggregation: str = Aggregation.SUM
    direction: str = Direction.UP
    periodicity: str = Periodicity.ANNUAL
    baseline: int | None = None
    target: int | None = None
    # Share of the expected progress reached each year (drives on track / at risk / off track).
    pace: float | None = None
    description: str = ""


SPECS = {
    "32": [
        Spec(
            "nombre d'interventions en milieu scolaire",
            level=TerritorialLevel.EPCI,
            baseline=120,
            target=200,
            pace=1.05,
            description="Interventions recensées par chaque CISPD/CLSPD auprès des établissements.",
        ),
        Spec(
            "nombre d'actions menees en dehors du cadre scolaire",
            level=TerritorialLevel.COMMUNE,
            baseline=30,
            target=48,
            pace=0.75,
        ),
        Spec("nombre de tig ordonnes", baseline=1, target=10, pace=0.4),
        Spec(
            "nombre de cas de violences signales",
            direction=Direction.NEUTRAL,
            baseline=420,
            target=None,
            description="Signalements de violences aux personnes vulnérables ; suivi sans objectif de sens.",
        ),
        Spec(
            "nombre d'actions de proximite",
            periodicity=Periodicity.QUARTER,
            baseline=60,
            target=100,
            pace=1.0,
        ),
        Spec(
            "nombre de communes equipees",
            aggregation=Aggregation.LATEST,
            baseline=10,
            target=20,
            pace=0.95,
            description="Communes équipées de vidéoprotection au 31 décembre (stock).",
        ),
        Spec(
            "montant des credits deployes",
            unit=Unit.EUROS,
            baseline=150000,
            target=250000,
            pace=0.8,
        ),
        Spec("nombre de jeunes impliques", unit=Unit.PEOPLE, baseline=40, target=80, pace=1.1),
    ],
    "46": [
        Spec(
            "nombre d'eleves sensibilises",
            unit=Unit.PEOPLE,
            level=TerritorialLevel.COMMUNE,
            baseline=900,
            target=1500,
            pace=1.0,
        ),
        Spec(
            "nombre de reunions des clspd",
            level=TerritorialLevel.COMMUNE,
            baseline=6,
            target=12,
            pace=0.7,
        ),
        Spec(
            "nombre de nouvelles communes dotees de videoprotection", baseline=1, target=4, pace=0.9
        ),
        Spec(
            "nombre de personnes suivies par l'iscg",
            unit=Unit.PEOPLE,
            baseline=250,
            target=330,
            pace=1.0,
        ),
        Spec("nombre de reunions de la cellule mensuelle", baseline=10, target=12, pace=0.5),
        Spec(
            "nombre de nouveaux protocoles de participation citoyenne",
            baseline=2,
            target=8,
            pace=0.3,
        ),
    ],
}
LOCAL_COMMUNES = {
    "32": ["Auch", "Condom", "Fleurance", "Eauze", "Lectoure", "L'Isle-Jourdain", "Mirande"],
    "46": ["Cahors", "Figeac", "Gourdon", "Souillac", "Gramat", "Saint-Céré"],
}
PEOPLE_WORDS = (
    "personnes",
    "jeunes",
    "eleves",
    "victimes",
    "agents",
    "professionnels",
    "elus",
    "stagiaires",
)


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower().replace("’", "'"))
    return "".join(c for c in text if not unicodedata.combining(c))


def _spec_for(department_code: str, label: str) -> Spec:
    plain = _plain(label)
    for spec in SPECS.get(department_code, []):
        if plain.startswith(spec.prefix):
            return spec
    unit = Unit.PEOPLE if any(word in plain for word in PEOPLE_WORDS) else Unit.NUMBER
    return Spec(prefix="", unit=unit)


@dataclass
class Report:
    lines: list[str] = field(default_factory=list)

    def add(self, line: str):
        self.lines.append(line)


def _campaign(plan, year: int, *, open_: bool, today: date) -> tuple[Campaign, bool]:
    title = f"Bilan {year}"
    campaign = Campaign.objects.filter(plan=plan, title=title).first()
    if campaign is not None:
        return campaign, False
    campaign = Campaign.objects.create(
        plan=plan,
        title=title,
        period_start=date(year, 1, 1),
        period_end=date(year, 12, 31),
        deadline=today + timedelta(days=30) if open_ else date(year + 1, 3, 31),
        status=CampaignStatus.OPEN if open_ else CampaignStatus.CLOSED,
        is_demo=True,
        instructions="Campagne de démonstration : les valeurs sont inventées."
        if not open_
        else "Campagne de démonstration ouverte : saisissez ou déposez les valeurs de l'année.",
    )
    audit.record_create(
        acting_user=None,
        instance=campaign,
        parent=plan,
        department=plan.department,
        reason="Données de démonstration",
    )
    return campaign, True


def _define(indicator: Indicator, spec: Spec, plan, rng: random.Random, scale: int) -> bool:
    """Apply a plausible definition, unless someone already defined the indicator for real."""
    if not indicator.is_demo and (indicator.description or indicator.target_value is not None):
        return False
    baseline = spec.baseline if spec.baseline is not None else rng.randint(5, 60)
    if spec.baseline is not None or spec.target is not None:
        target = spec.target
    else:
        target = round(baseline * rng.uniform(1.2, 1.7))
    data = {
        "unit": spec.unit,
        "territorial_level": spec.level,
        "aggregation": spec.aggregation,
        "direction": spec.direction,
        "periodicity": spec.periodicity,
        "baseline_period": str(plan.period_start - 1),
        "baseline_value": Decimal(baseline * scale),
        "target_period": str(plan.period_end) if target is not None else "",
        "target_value": Decimal(target * scale) if target is not None else None,
        "description": spec.description
        or "Définition de démonstration (le plan ne précise ni source ni cible).",
        "is_demo": True,
    }
    before = audit.snapshot(indicator, list(data))
    for name, value in data.items():
        setattr(indicator, name, value)
    if audit.snapshot(indicator, list(data)) == before:
        return False
    indicator.save()
    audit.record_update(
        acting_user=None,
        instance=indicator,
        before=before,
        parent=indicator.measure,
        department=plan.department,
        reason="Données de démonstration",
    )
    return True


def _territories(indicator, directory, department_code):
    if indicator.territorial_level == TerritorialLevel.DEPARTMENT:
        return [directory.department_territory]
    if indicator.territorial_level == TerritorialLevel.EPCI:
        return directory.at_level(TerritorialLevel.EPCI)
    names = set(LOCAL_COMMUNES.get(department_code, []))
    return [t for t in directory.at_level(TerritorialLevel.COMMUNE) if t.name in names]


def _shares(territories) -> list[float]:
    weights = [max(t.population or 1, 1) ** 0.8 for t in territories]
    total = sum(weights) or 1
    return [w / total for w in weights]


@transaction.atomic
def load_plan(plan: Plan, report: Report, *, today: date) -> None:
    department = plan.department
    code = department.code
    directory = Directory.load(department)
    rng = random.Random(f"vigie-demo-{code}-{plan.period_start}")
    years = list(range(plan.period_start, plan.period_end + 1))
    closed_years, open_year = years[:-1], years[-1]
    campaigns = {}
    for year in closed_years:
        campaigns[year], _ = _campaign(plan, year, open_=False, today=today)
    campaigns[open_year], _ = _campaign(plan, open_year, open_=True, today=today)

    indicators = list(
        Indicator.objects.filter(measure__axis__plan=plan, is_computed=False)
        .select_related("measure")
        .order_by("measure__axis__order", "measure__order", "order", "pk")
    )
    defined = 0
    existing = set(
        IndicatorValue.objects.filter(indicator__in=indicators).values_list(
            "indicator_id", "period", "territory_key"
        )
    )
    new_values = []
    now = timezone.now()
    for indicator in indicators:
        spec = _spec_for(code, indicator.label)
        if _define(indicator, spec, plan, rng, 1):
            defined += 1
        if not indicator.is_demo:
            continue
        territories = _territories(indicator, directory, code)
        if not territories:
            continue
        new_values += _demo_values(
            indicator,
            spec,
            plan,
            territories,
            campaigns=campaigns,
            closed_years=closed_years,
            existing=existing,
            rng=rng,
            now=now,
        )
    IndicatorValue.objects.bulk_create(new_values, batch_size=1000)
    if new_values:
        audit.record(
            acting_user=None,
            action=AuditAction.UPDATE,
            instance=plan,
            department=department,
            changes={
                "demo": {
                    "label": "valeurs de démonstration",
                    "old": "",
                    "new": f"{len(new_values)} valeur(s)",
                }
            },
            reason="Données de démonstration",
        )
    computed = _computed_indicator(plan, indicators)
    actions = _action_reports(plan, campaigns[closed_years[-1]] if closed_years else None, rng)
    report.add(
        f"{department} : {defined} définition(s) d'indicateur, {len(new_values)} valeur(s), "
        f"{len(campaigns)} campagne(s), {actions} point(s) d'avancement d'action"
        + (", 1 indicateur calculé" if computed else "")
        + "."
    )


def _demo_values(
    indicator, spec, plan, territories, *, campaigns, closed_years, existing, rng, now
) -> list[IndicatorValue]:
    """Invented values of one indicator, spread over its territories by population: every closed
    year validated, about a third of the open year's submitted, the rest still to enter."""
    shares = _shares(territories)
    base = float(indicator.baseline_value or 0)
    target = float(indicator.target_value) if indicator.target_value is not None else base * 1.1
    pace = spec.pace if spec.pace is not None else rng.choice([0.3, 0.7, 1.0, 1.1])
    span = max(plan.period_end - (plan.period_start - 1), 1)
    values = []
    for year in range(plan.period_start, plan.period_end + 1):
        fraction = (year - (plan.period_start - 1)) / span
        total = base + (target - base) * fraction * pace
        total *= rng.uniform(0.95, 1.05)
        status = ValueStatus.VALIDATED if year in closed_years else None
        if status is None:
            # The open campaign: a few values already submitted, the rest still to enter.
            if rng.random() < 0.3:
                status = ValueStatus.SUBMITTED
            else:
                continue
        period_codes = [str(year)]
        if indicator.periodicity == Periodicity.QUARTER:
            period_codes = [f"{year}-T{q}" for q in range(1, 5)]
        for period in period_codes:
            per_period = total / len(period_codes)
            if indicator.aggregation in (Aggregation.LATEST, Aggregation.MEAN):
                per_period = total
            for territory, share in zip(territories, shares, strict=True):
                if (indicator.pk, period, territory.key) in existing:
                    continue
                amount = per_period * share
                if indicator.aggregation == Aggregation.MEAN:
                    amount = per_period
                decimals = 2 if indicator.unit in (Unit.PERCENT, Unit.RATE) else 0
                value = Decimal(str(round(max(amount, 0), decimals)))
                values.append(
                    IndicatorValue(
                        indicator=indicator,
                        campaign=campaigns[year],
                        period=period,
                        department_id=plan.department_id,
                        epci_id=territory.epci_id,
                        commune_id=territory.commune_id,
                        territory_key=territory.key,
                        value=value,
                        status=status,
                        source=ValueSource.DEMO,
                        is_demo=True,
                        comment="Valeur de démonstration (inventée).",
                        submitted_at=now,
                        validated_at=now if status == ValueStatus.VALIDATED else None,
                    )
                )
    return values


def _computed_indicator(plan, indicators) -> bool:
    numerator = next(
        (
            i
            for i in indicators
            if _plain(i.label).startswith("nombre de cas de violences signales")
        ),
        None,
    )
    if numerator is None or not numerator.is_demo:
        return False
    if Indicator.objects.filter(measure=numerator.measure, label=COMPUTED_LABEL).exists():
        return False
    indicator = Indicator.objects.create(
        measure=numerator.measure,
        label=COMPUTED_LABEL,
        unit=Unit.RATE,
        is_computed=True,
        numerator=numerator,
        denominator_kind=DenominatorKind.POPULATION,
        factor=Decimal("1000"),
        direction=Direction.NEUTRAL,
        order=numerator.order + 1,
        is_demo=True,
        description="Exemple de formule : nombre de cas signalés ÷ population municipale × 1 000.",
    )
    audit.record_create(
        acting_user=None,
        instance=indicator,
        parent=indicator.measure,
        department=plan.department,
        reason="Données de démonstration",
    )
    return True


def _action_reports(plan, campaign, rng) -> int:
    if campaign is None:
        return 0
    count = 0
    reported = set(
        ActionReport.objects.filter(campaign=campaign).values_list("action_id", flat=True)
    )
    actions = Action.objects.filter(measure__axis__plan=plan).select_related(
        "measure__axis__plan__department"
    )
    for action in actions.order_by("pk"):
        if action.pk in reported or action.status != ActionStatus.PLANNED or action.progress_note:
            continue
        status = rng.choices(
            [
                ActionStatus.DONE,
                ActionStatus.IN_PROGRESS,
                ActionStatus.PLANNED,
                ActionStatus.PAUSED,
            ],
            weights=[35, 40, 20, 5],
        )[0]
        report = ActionReport.objects.create(
            campaign=campaign, action=action, status=status, note=DEMO_NOTE
        )
        audit.record_create(
            acting_user=None,
            instance=report,
            parent=action.measure,
            department=plan.department,
            reason="Données de démonstration",
        )
        plan_services.update_action(
            acting_user=None, action=action, data={"status": status, "progress_note": DEMO_NOTE}
        )
        count += 1
    return count


def load_demo(*, department_codes=("32", "46"), today: date | None = None) -> Report:
    report = Report()
    today = today or timezone.localdate()
    for code in department_codes:
        plan = (
            Plan.objects.filter(department__code=code)
            .select_related("department")
            .order_by("-period_start")
            .first()
        )
        if plan is None:
            report.add(f"Département {code} : aucun plan importé, rien à faire.")
            continue
        if not plan.axes.exists():
            report.add(f"{plan.department} : le plan n'a pas d'axe, rien à faire.")
            continue
        load_plan(plan, report, today=today)
    return report
