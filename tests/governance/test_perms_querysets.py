"""The rules moved out of governance views and selectors: coordinated_bodies, can_choose_department."""

import pytest

from tests.factories import CommuneFactory, DepartmentFactory, EpciFactory
from tests.governance.factories import BodyFactory, ClspdFactory
from vigie.governance import perms
from vigie.governance.enums import BodyKind
from vigie.governance.models import Body

pytestmark = pytest.mark.django_db


@pytest.fixture
def bodies():
    gers, lot = DepartmentFactory(code="32"), DepartmentFactory(code="46")
    condom = CommuneFactory(department=gers, name="Condom")
    auch = CommuneFactory(department=gers, name="Auch")
    epci = EpciFactory()
    clspd = ClspdFactory(department=gers, commune=condom)
    other_clspd = ClspdFactory(department=gers, commune=auch)
    cispd = BodyFactory(department=gers, kind=BodyKind.CISPD, epci=epci)
    group = BodyFactory(department=gers, kind=BodyKind.WORKING_GROUP, parent=clspd)
    cispd_group = BodyFactory(department=gers, kind=BodyKind.WORKING_GROUP, parent=cispd)
    cdpd = BodyFactory(department=gers)
    lot_cispd = BodyFactory(department=lot, kind=BodyKind.CISPD, epci=epci)
    return locals()


def test_coordinated_bodies_follow_is_coordinator_of(make_user, bodies):
    gers = bodies["gers"]
    users = [
        make_user("coordinator", gers, commune=bodies["condom"]),
        make_user("coordinator", gers, epci=bodies["epci"]),
        make_user("coordinator", gers, commune=bodies["auch"], epci=bodies["epci"]),
        make_user("coordinator", gers),
        make_user("coordinator", bodies["lot"], epci=bodies["epci"]),
        make_user("prefecture", gers, commune=bodies["condom"]),
        make_user("anonymous"),
    ]
    everything = list(Body.objects.select_related("parent"))
    for user in users:
        expected = {b.pk for b in everything if perms.is_coordinator_of(user, b)}
        got = set(Body.objects.filter(perms.coordinated_bodies(user)).values_list("pk", flat=True))
        assert got == expected, user
    condom = users[0]
    assert set(Body.objects.filter(perms.coordinated_bodies(condom))) == {
        bodies["clspd"],
        bodies["group"],
    }


@pytest.mark.parametrize(
    ("role", "with_department", "expected"),
    [
        ("anonymous", False, False),
        ("admin", False, True),
        ("admin", True, True),
        ("prefecture", True, False),
        ("coordinator", True, False),
        ("reader", True, False),
        ("reader", False, True),
    ],
)
def test_can_choose_department(make_user, role, with_department, expected):
    user = make_user(role, DepartmentFactory() if with_department else None)
    assert perms.can_choose_department(user) is expected
