"""Extra factories and ready-made scenarios for the plan, organisation, territory and audit page tests.

`two_departments()` builds the Gers (32) and the Lot (46), each with an adopted plan and a draft plan,
organisations, a glossary, communes and an EPCI, without the seed importer.
"""

from dataclasses import dataclass
from datetime import date

import factory
from factory.django import DjangoModelFactory

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
    RegionFactory,
)
from vigie.organisations.models import GlossaryEntry, Organisation
from vigie.plans.enums import ActionStatus, ActorRole, PlanStatus
from vigie.plans.models import (
    Action,
    Axis,
    Comment,
    GoodPractice,
    Measure,
    MeasureActor,
    Plan,
    Signatory,
)
from vigie.territories.enums import SecurityAreaKind, SecurityZone
from vigie.territories.models import Arrondissement, Department, SecurityArea


class SignatoryFactory(DjangoModelFactory):
    class Meta:
        model = Signatory

    plan = factory.SubFactory(PlanFactory)
    name = factory.Sequence(lambda n: f"Dominique Signataire {n}")
    office = "Préfet du département"
    order = factory.Sequence(lambda n: n)


class GoodPracticeFactory(DjangoModelFactory):
    class Meta:
        model = GoodPractice

    measure = factory.SubFactory(MeasureFactory)
    action = None
    text = factory.Sequence(lambda n: f"Bonne pratique de test {n}")


class CommentFactory(DjangoModelFactory):
    class Meta:
        model = Comment

    measure = factory.SubFactory(MeasureFactory)
    author = None
    body = factory.Sequence(lambda n: f"Commentaire de test {n}")


class GlossaryEntryFactory(DjangoModelFactory):
    class Meta:
        model = GlossaryEntry

    department = factory.SubFactory(DepartmentFactory)
    acronym = factory.Sequence(lambda n: f"SIG{n}")
    definition = factory.Sequence(lambda n: f"Définition du sigle {n}")


class ArrondissementFactory(DjangoModelFactory):
    class Meta:
        model = Arrondissement
        django_get_or_create = ("code",)

    department = factory.SubFactory(DepartmentFactory)
    code = factory.Sequence(lambda n: f"9{n:03d}")
    name = factory.Sequence(lambda n: f"Arrondissement {n}")


class SecurityAreaFactory(DjangoModelFactory):
    class Meta:
        model = SecurityArea

    department = factory.SubFactory(DepartmentFactory)
    kind = SecurityAreaKind.GENDARMERIE_COMPANY
    name = factory.Sequence(lambda n: f"Zone {n}")


@dataclass
class DepartmentScenario:
    department: Department
    plan: Plan
    axis: Axis
    measure: Measure
    action: Action
    other_measure: Measure
    draft_plan: Plan
    draft_measure: Measure
    draft_action: Action
    pilot_org: Organisation
    partner_org: Organisation
    owner_org: Organisation


def department_scenario(code: str, name: str, chef_lieu: str) -> DepartmentScenario:
    region = RegionFactory()
    department = DepartmentFactory(code=code, name=name, region=region)
    pilot_org = OrganisationFactory(
        department=department,
        name=f"Direction départementale de l'emploi ({name})",
        acronym="DDETS",
        aliases="Direction de l'emploi\nDDETS-PP",
    )
    partner_org = OrganisationFactory(
        department=department,
        name=f"Groupement de gendarmerie départementale ({name})",
        acronym="GGD",
        kind="securite",
    )
    owner_org = OrganisationFactory(
        department=department, name=f"Conseil départemental ({name})", acronym="CD"
    )
    plan = PlanFactory(
        department=department,
        title=f"Plan départemental de prévention de la délinquance — {name}",
        period_start=2021,
        period_end=2024,
        status=PlanStatus.ADOPTED,
        signed_on=date(2021, 9, 28),
        signed_at=chef_lieu,
        introduction="Le plan rassemble l'État et ses partenaires.\nIl a quatre axes.",
    )
    SignatoryFactory(plan=plan, name="Camille Préfète", office=f"Préfète du {name}")
    axis = AxisFactory(plan=plan, number="1", title="Prévenir la délinquance des jeunes", order=1)
    measure = MeasureFactory(
        axis=axis,
        number="1.1",
        title="Prévenir le décrochage scolaire",
        order=1,
        findings="Le décrochage touche les collégiens\nLes familles sont isolées",
        objectives="Repérer tôt les élèves\nAccompagner les familles",
        national_objectives="Agir plus tôt auprès des jeunes",
        situation="Deux dispositifs existent",
        actors_wording="Pilotes et partenaires : DDETS, gendarmerie, conseil départemental",
    )
    MeasureActorFactory(
        measure=measure, role=ActorRole.PILOT, wording="DDETS", organisation=pilot_org, order=1
    )
    MeasureActorFactory(
        measure=measure,
        role=ActorRole.PARTNER,
        wording="la gendarmerie",
        organisation=partner_org,
        order=2,
    )
    MeasureActorFactory(
        measure=measure, role=ActorRole.PARTNER, wording="les communes", organisation=None, order=3
    )
    action = ActionFactory(
        measure=measure,
        title="Cellule de veille",
        text="Réunir chaque mois la cellule de veille éducative.",
        status=ActionStatus.PLANNED,
        owner=owner_org,
        due_date=date(2024, 6, 30),
        order=1,
    )
    ActionFactory(
        measure=measure, text="Former les personnels.", status=ActionStatus.IN_PROGRESS, order=2
    )
    ActionFactory(measure=measure, text="Évaluer le dispositif.", status=ActionStatus.DONE, order=3)
    GoodPracticeFactory(
        measure=measure, action=action, text="À Auch, la cellule se réunit au collège."
    )
    IndicatorFactory(
        measure=measure,
        label="Nombre d'élèves repérés",
        unit="number",
        baseline_period="2020",
        baseline_value=1234,
        target_period="2024",
        target_value="12500.50",
    )
    other_measure = MeasureFactory(
        axis=axis, number="1.2", title="Lutter contre les rixes", order=2
    )
    ActionFactory(
        measure=other_measure, text="Médiation dans les quartiers.", status=ActionStatus.PAUSED
    )
    draft_plan = PlanFactory(
        department=department,
        title=f"Projet de plan 2025-2028 — {name}",
        period_start=2025,
        period_end=2028,
        status=PlanStatus.DRAFT,
    )
    draft_axis = AxisFactory(plan=draft_plan, number="1", title="Axe du projet", order=1)
    draft_measure = MeasureFactory(
        axis=draft_axis, number="1.1", title="Mesure du projet confidentiel"
    )
    MeasureActorFactory(
        measure=draft_measure, role=ActorRole.PILOT, wording="DDETS", organisation=pilot_org
    )
    draft_action = ActionFactory(measure=draft_measure, text="Action du projet confidentiel.")
    return DepartmentScenario(
        department=department,
        plan=plan,
        axis=axis,
        measure=measure,
        action=action,
        other_measure=other_measure,
        draft_plan=draft_plan,
        draft_measure=draft_measure,
        draft_action=draft_action,
        pilot_org=pilot_org,
        partner_org=partner_org,
        owner_org=owner_org,
    )


@dataclass
class TwoDepartments:
    gers: DepartmentScenario
    lot: DepartmentScenario


def two_departments() -> TwoDepartments:
    gers = department_scenario("32", "Gers", "Auch")
    lot = department_scenario("46", "Lot", "Cahors")
    for scenario, prefix in ((gers, "32"), (lot, "46")):
        GlossaryEntryFactory(
            department=scenario.department,
            acronym="CLSPD",
            definition="Conseil local de sécurité et de prévention de la délinquance",
        )
        GlossaryEntryFactory(
            department=scenario.department,
            acronym="DDETS",
            definition="Direction départementale de l'emploi, du travail et des solidarités",
        )
        GlossaryEntryFactory(
            department=scenario.department,
            acronym="PJJ",
            definition="Protection judiciaire de la jeunesse",
        )
        arrondissement = ArrondissementFactory(
            department=scenario.department, code=f"{prefix}1", name="Arrondissement test"
        )
        epci = EpciFactory(
            code=f"2{prefix}0000000"[:9],
            name=f"Grand {scenario.department.name}",
            kind="CA",
            population=40000,
        )
        epci.departments.add(scenario.department)
        main = CommuneFactory(
            department=scenario.department,
            code=f"{prefix}013",
            name="Préfecture-sur-Rivière",
            population=21986,
            arrondissement=arrondissement,
            epci=epci,
            security_zone=SecurityZone.POLICE,
            postal_codes="32000",
        )
        CommuneFactory(
            department=scenario.department,
            code=f"{prefix}100",
            name="Abbaye",
            population=450,
            epci=epci,
        )
        CommuneFactory(
            department=scenario.department,
            code=f"{prefix}200",
            name="Zèbre",
            population=3000,
            epci=epci,
        )
        area = SecurityAreaFactory(
            department=scenario.department,
            kind=SecurityAreaKind.POLICE_DISTRICT,
            name="Préfecture-sur-Rivière",
        )
        area.communes.add(main)
    return TwoDepartments(gers=gers, lot=lot)


def build_large_plan(
    department, *, axes: int, measures_per_axis: int, actions_per_measure: int
) -> Plan:
    """A plan of axes × measures × actions, created with bulk_create (fast)."""
    plan = PlanFactory(
        department=department, period_start=2010, period_end=2014, status=PlanStatus.ADOPTED
    )
    SignatoryFactory(plan=plan)
    organisation = OrganisationFactory(department=department)
    axis_objs = Axis.objects.bulk_create(
        [Axis(plan=plan, number=str(i + 1), title=f"Axe {i + 1}", order=i) for i in range(axes)]
    )
    measures = Measure.objects.bulk_create(
        [
            Measure(axis=axis, number=f"{a + 1}.{m + 1}", title=f"Mesure {a + 1}.{m + 1}", order=m)
            for a, axis in enumerate(axis_objs)
            for m in range(measures_per_axis)
        ]
    )
    MeasureActor.objects.bulk_create(
        [
            MeasureActor(
                measure=measure,
                role=ActorRole.PILOT,
                wording=organisation.name,
                organisation=organisation,
            )
            for measure in measures
        ]
        + [
            MeasureActor(measure=measure, role=ActorRole.PARTNER, wording="Partenaire")
            for measure in measures
        ]
    )
    statuses = list(ActionStatus.values)
    Action.objects.bulk_create(
        [
            Action(
                measure=measure,
                text=f"Action {i}",
                status=statuses[(i + m) % len(statuses)],
                order=i,
                owner=organisation,
            )
            for m, measure in enumerate(measures)
            for i in range(actions_per_measure)
        ]
    )
    return plan
