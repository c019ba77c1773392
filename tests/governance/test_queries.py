"""SQL queries stay bounded on a department with hundreds of communes, bodies, meetings and decisions."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from tests.factories import DepartmentFactory, EpciFactory, OrganisationFactory
from tests.governance.factories import DecisionFactory
from vigie.governance.enums import BodyKind, SchemeState
from vigie.governance.models import Body, Meeting, SchemeRecord, SchemeTarget
from vigie.territories.models import Arrondissement, Commune

COMMUNES = 460


@pytest.fixture
def big_gers(db):
    gers = DepartmentFactory(code="32", name="Gers")
    arrondissements = [
        Arrondissement.objects.create(code=f"32{i}", name=name, department=gers)
        for i, name in enumerate(("Auch", "Condom", "Mirande"), start=1)
    ]
    epcis = [EpciFactory(name=f"CC numéro {i}") for i in range(15)]
    communes = Commune.objects.bulk_create(
        Commune(
            code=f"32{i:03d}",
            name=f"Commune {i:03d}",
            department=gers,
            population=100 + (i * 97) % 24_000,
            arrondissement=arrondissements[i % 3],
            epci=epcis[i % 15],
        )
        for i in range(COMMUNES)
    )
    SchemeRecord.objects.bulk_create(
        SchemeRecord(
            department=gers,
            scheme="videoprotection",
            commune=commune,
            state=list(SchemeState)[i % 4],
            as_of=date(2021, 6, 30),
            source="Test",
        )
        for i, commune in enumerate(communes[:300])
    )
    SchemeTarget.objects.create(
        department=gers, scheme="videoprotection", min_population=3000, level="engagee"
    )
    bodies = Body.objects.bulk_create(
        [
            Body(department=gers, kind=BodyKind.CLSPD, name=f"CLSPD {c.name}", commune=c)
            for c in communes[:40]
        ]
        + [
            Body(department=gers, kind=BodyKind.CISPD, name=f"CISPD {e.name}", epci=e)
            for e in epcis[:5]
        ]
    )
    Meeting.objects.bulk_create(
        Meeting(body=body, date=date(2024, 1, 1) + timedelta(days=7 * k + i))
        for i, body in enumerate(bodies)
        for k in range(6)
    )
    owner = OrganisationFactory(department=gers)
    for meeting in Meeting.objects.all()[:60]:
        DecisionFactory(meeting=meeting, is_followed=True, owner=owner, due_date=date(2024, 2, 1))
    return gers


@pytest.mark.django_db
def test_dashboard_queries_are_bounded(client, make_user, big_gers, django_assert_max_num_queries):
    client.force_login(make_user("reader", big_gers))
    with django_assert_max_num_queries(11):
        response = client.get(reverse("governance:dashboard", args=["32"]))
    assert response.status_code == 200
    assert response.content.decode().count("En retard") >= 40


@pytest.mark.django_db
@pytest.mark.parametrize("scheme", ["videoprotection", "clspd", "participation-citoyenne"])
def test_tracker_queries_are_bounded(
    client, make_user, big_gers, django_assert_max_num_queries, scheme
):
    client.force_login(make_user("prefecture", big_gers))
    with django_assert_max_num_queries(14):
        response = client.get(reverse("governance:tracker", args=["32", scheme]))
    assert response.status_code == 200
    assert response.content.decode().count("<tr data-code=") == COMMUNES


@pytest.mark.django_db
def test_body_and_meeting_pages_are_bounded(
    client, make_user, big_gers, django_assert_max_num_queries
):
    client.force_login(make_user("prefecture", big_gers))
    body = Body.objects.filter(kind=BodyKind.CLSPD).first()
    with django_assert_max_num_queries(14):
        assert client.get(body.get_absolute_url()).status_code == 200
    meeting = Meeting.objects.filter(decisions__isnull=False).first()
    with django_assert_max_num_queries(16):
        assert client.get(meeting.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("governance:calendar_ics", args=["32"])).status_code == 200
