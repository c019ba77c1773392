"""A small Gers-like world: two EPCIs, a few communes, a plan with indicators at each level, a campaign."""

from datetime import date
from types import SimpleNamespace

from tests.factories import (
    ActionFactory,
    AxisFactory,
    CommuneFactory,
    DepartmentFactory,
    EpciFactory,
    IndicatorFactory,
    MeasureActorFactory,
    MeasureFactory,
    OrganisationFactory,
    PlanFactory,
    UserFactory,
)
from vigie.indicators.enums import Aggregation, Direction, Periodicity, TerritorialLevel
from vigie.indicators.models import Campaign


def build_world():
    gers = DepartmentFactory(code="32", name="Gers")
    lot = DepartmentFactory(code="46", name="Lot")
    grand_auch = EpciFactory(
        code="200066926", name="CA Grand Auch Cœur de Gascogne", kind="CA", population=40000
    )
    grand_auch.departments.add(gers)
    tenareze = EpciFactory(code="243200409", name="CC de la Ténarèze", kind="CC", population=15000)
    tenareze.departments.add(gers)
    auch = CommuneFactory(
        code="32013", name="Auch", department=gers, epci=grand_auch, population=22000
    )
    pavie = CommuneFactory(
        code="32307", name="Pavie", department=gers, epci=grand_auch, population=2600
    )
    condom = CommuneFactory(
        code="32107", name="Condom", department=gers, epci=tenareze, population=6500
    )
    cahors = CommuneFactory(code="46042", name="Cahors", department=lot, population=19000)

    plan = PlanFactory(department=gers, period_start=2021, period_end=2024, title="Plan du Gers")
    lot_plan = PlanFactory(department=lot, period_start=2020, period_end=2024, title="Plan du Lot")
    axis = AxisFactory(plan=plan, number="1", title="Les jeunes")
    measure = MeasureFactory(axis=axis, number="1.1", title="Prévenir la délinquance des jeunes")
    other_measure = MeasureFactory(axis=axis, number="1.2", title="Suivi individualisé")
    ddsp = OrganisationFactory(
        department=gers, name="Direction départementale de la sécurité publique", acronym="DDSP"
    )
    pjj = OrganisationFactory(
        department=gers, name="Protection judiciaire de la jeunesse", acronym="PJJ"
    )
    MeasureActorFactory(measure=measure, organisation=ddsp)
    MeasureActorFactory(measure=other_measure, organisation=pjj)
    action = ActionFactory(measure=measure, text="Intervenir dans les écoles")
    ActionFactory(measure=measure, text="Former les parents", status="done")

    dept_indicator = IndicatorFactory(
        measure=measure,
        label="Nombre d'interventions en milieu scolaire",
        baseline_period="2020",
        baseline_value=100,
        target_period="2024",
        target_value=200,
    )
    commune_indicator = IndicatorFactory(
        measure=measure,
        label="Nombre de réunions du CLSPD",
        territorial_level=TerritorialLevel.COMMUNE,
        aggregation=Aggregation.SUM,
        direction=Direction.UP,
    )
    epci_indicator = IndicatorFactory(
        measure=other_measure,
        label="Nombre de jeunes suivis par le CISPD",
        territorial_level=TerritorialLevel.EPCI,
    )
    quarterly = IndicatorFactory(
        measure=other_measure,
        label="Stages de responsabilité parentale",
        periodicity=Periodicity.QUARTER,
    )
    lot_axis = AxisFactory(plan=lot_plan, number="1", title="Jeunesse")
    lot_measure = MeasureFactory(axis=lot_axis, number="1", title="Sensibiliser")
    lot_indicator = IndicatorFactory(measure=lot_measure, label="Nombre d'élèves sensibilisés")

    campaign = Campaign.objects.create(
        plan=plan,
        title="Bilan 2025",
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
        deadline=date(2026, 3, 31),
    )
    lot_campaign = Campaign.objects.create(
        plan=lot_plan,
        title="Bilan 2025",
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
        deadline=date(2026, 3, 31),
    )
    users = SimpleNamespace(
        prefecture=UserFactory(username="pref32", role="prefecture", department=gers),
        pilot=UserFactory(username="pilot32", role="pilot", department=gers, organisation=ddsp),
        other_pilot=UserFactory(username="pjj32", role="pilot", department=gers, organisation=pjj),
        coordinator=UserFactory(
            username="coord-auch", role="coordinator", department=gers, epci=grand_auch
        ),
        clspd=UserFactory(
            username="coord-condom", role="coordinator", department=gers, commune=condom
        ),
        partner=UserFactory(username="partner32", role="partner", department=gers),
        reader=UserFactory(username="reader32", role="reader", department=gers),
        lot_prefecture=UserFactory(username="pref46", role="prefecture", department=lot),
        lot_coordinator=UserFactory(
            username="coord-cahors", role="coordinator", department=lot, commune=cahors
        ),
        admin=UserFactory(
            username="admin", role="admin", department=None, is_staff=True, is_superuser=True
        ),
    )
    return SimpleNamespace(
        gers=gers,
        lot=lot,
        grand_auch=grand_auch,
        tenareze=tenareze,
        auch=auch,
        pavie=pavie,
        condom=condom,
        cahors=cahors,
        plan=plan,
        lot_plan=lot_plan,
        axis=axis,
        measure=measure,
        other_measure=other_measure,
        ddsp=ddsp,
        pjj=pjj,
        action=action,
        dept_indicator=dept_indicator,
        commune_indicator=commune_indicator,
        epci_indicator=epci_indicator,
        quarterly=quarterly,
        lot_indicator=lot_indicator,
        lot_measure=lot_measure,
        campaign=campaign,
        lot_campaign=lot_campaign,
        users=users,
    )
