"""Factories for governance models (tests/factories.py belongs to the whole project; these stay here)."""

from datetime import date

import factory
from factory.django import DjangoModelFactory

from tests.factories import CommuneFactory, DepartmentFactory
from vigie.governance.enums import BodyKind, Cadence, SchemeState
from vigie.governance.models import Body, BodyMember, Decision, Meeting, SchemeRecord


class BodyFactory(DjangoModelFactory):
    class Meta:
        model = Body

    department = factory.SubFactory(DepartmentFactory)
    kind = BodyKind.CDPD
    name = factory.Sequence(lambda n: f"Instance de test {n}")
    cadence = Cadence.YEARLY


class ClspdFactory(BodyFactory):
    kind = BodyKind.CLSPD
    commune = factory.SubFactory(CommuneFactory, department=factory.SelfAttribute("..department"))
    name = factory.LazyAttribute(lambda o: f"CLSPD de {o.commune.name}")


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting

    body = factory.SubFactory(BodyFactory)
    date = date(2024, 1, 15)
    agenda = "Bilan annuel"


class DecisionFactory(DjangoModelFactory):
    class Meta:
        model = Decision

    meeting = factory.SubFactory(MeetingFactory)
    text = factory.Sequence(lambda n: f"Décision de test {n}")


class BodyMemberFactory(DjangoModelFactory):
    class Meta:
        model = BodyMember

    body = factory.SubFactory(BodyFactory)


class SchemeRecordFactory(DjangoModelFactory):
    class Meta:
        model = SchemeRecord

    commune = factory.SubFactory(CommuneFactory)
    department = factory.LazyAttribute(lambda o: o.commune.department)
    scheme = "videoprotection"
    state = SchemeState.IN_PLACE
    as_of = date(2021, 6, 30)
