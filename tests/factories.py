"""factory_boy factories for the domain models."""

import factory
from factory.django import DjangoModelFactory

from vigie.accounts.enums import Role
from vigie.accounts.models import User
from vigie.indicators.models import Indicator
from vigie.organisations.enums import OrganisationKind
from vigie.organisations.models import Organisation
from vigie.plans.enums import ActionStatus, ActorRole, NationalAxis, PlanStatus
from vigie.plans.models import Action, Axis, Measure, MeasureActor, Plan
from vigie.territories.models import Commune, Department, Epci, Region

DEFAULT_PASSWORD = "mot-de-passe-de-test"


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "76"
    name = "Occitanie"


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{10 + n % 80:02d}")
    name = factory.LazyAttribute(lambda o: f"Département {o.code}")
    region = factory.SubFactory(RegionFactory)


class EpciFactory(DjangoModelFactory):
    class Meta:
        model = Epci
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"2{n:08d}")
    name = factory.Sequence(lambda n: f"CC Test {n}")
    kind = "CC"
    population = 15000


class CommuneFactory(DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ("code",)

    department = factory.SubFactory(DepartmentFactory)
    code = factory.Sequence(lambda n: f"{n:05d}")
    name = factory.Sequence(lambda n: f"Commune {n}")
    population = 1000


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    department = factory.SubFactory(DepartmentFactory)
    name = factory.Sequence(lambda n: f"Service {n}")
    acronym = factory.Sequence(lambda n: f"SRV{n}")
    kind = OrganisationKind.STATE


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    role = Role.PREFECTURE
    department = factory.SubFactory(DepartmentFactory)
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PlanFactory(DjangoModelFactory):
    class Meta:
        model = Plan

    department = factory.SubFactory(DepartmentFactory)
    title = "Plan départemental de prévention de la délinquance"
    period_start = 2021
    period_end = 2024
    status = PlanStatus.ADOPTED


class AxisFactory(DjangoModelFactory):
    class Meta:
        model = Axis

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: str(n + 1))
    title = factory.Sequence(lambda n: f"Axe de test {n}")
    national_axis = NationalAxis.YOUTH
    order = factory.Sequence(lambda n: n)


class MeasureFactory(DjangoModelFactory):
    class Meta:
        model = Measure

    axis = factory.SubFactory(AxisFactory)
    number = factory.Sequence(lambda n: f"1.{n + 1}")
    title = factory.Sequence(lambda n: f"Mesure de test {n}")
    findings = "Un constat\nUn autre constat"
    objectives = "Un objectif"
    order = factory.Sequence(lambda n: n)


class MeasureActorFactory(DjangoModelFactory):
    class Meta:
        model = MeasureActor

    measure = factory.SubFactory(MeasureFactory)
    role = ActorRole.PILOT
    wording = factory.LazyAttribute(lambda o: o.organisation.name if o.organisation else "Acteur")
    organisation = None


class ActionFactory(DjangoModelFactory):
    class Meta:
        model = Action

    measure = factory.SubFactory(MeasureFactory)
    text = factory.Sequence(lambda n: f"Action de test numéro {n}")
    status = ActionStatus.PLANNED
    order = factory.Sequence(lambda n: n)


class IndicatorFactory(DjangoModelFactory):
    class Meta:
        model = Indicator

    measure = factory.SubFactory(MeasureFactory)
    label = factory.Sequence(lambda n: f"Nombre d'actions de test {n}")
    order = factory.Sequence(lambda n: n)
