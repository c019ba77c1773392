"""The casework demo: Condom's minors' group and the Lot ISCG cell, fictitious people, members who accept the
charter on their first visit; loading twice changes nothing."""

import pytest

from tests.casework.factories import sign_in
from tests.factories import CommuneFactory, DepartmentFactory, UserFactory
from tests.governance.factories import BodyFactory
from vigie.accounts.enums import Role
from vigie.casework import access, demo
from vigie.casework.models import Case, CaseGroup, CharterAcceptance
from vigie.governance.enums import BodyKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def councils():
    gers = DepartmentFactory(code="32", name="Gers")
    lot = DepartmentFactory(code="46", name="Lot")
    condom = CommuneFactory(department=gers, code="32107", name="Condom")
    BodyFactory(department=gers, kind=BodyKind.CLSPD, name="CLSPD de Condom", commune=condom)
    CommuneFactory(department=lot, code="46042", name="Cahors")
    BodyFactory(department=lot, kind=BodyKind.ISCG_CELL, name=demo.GROUPS[1].body_name)
    UserFactory(username="prefecture32", role=Role.PREFECTURE, department=gers)
    UserFactory(username="prefecture46", role=Role.PREFECTURE, department=lot)


def test_demo_groups_with_fictitious_people(councils, client):
    accounts = demo.load_demo(password="demo-password-123")
    assert {a.username for a in accounts} == {
        "coordo32condom",
        "referent32",
        "social32",
        "iscg46",
        "social46",
    }
    assert CaseGroup.objects.count() == 2
    assert Case.objects.count() == 5
    assert all("FICTIF" in case.last_name for case in Case.objects.all())
    # Nobody has accepted the charter: the first visit goes to it.
    assert not CharterAcceptance.objects.exists()
    referent = next(a for a in accounts if a.username == "referent32")
    group = CaseGroup.objects.get(department__code="32")
    sign_in(client, referent)
    response = client.get(f"/suivi-individualise/groupes/{group.pk}/")
    assert response["Location"].endswith(f"/groupes/{group.pk}/charte/")
    assert group.controller.username == "maire32condom"
    assert "personnes suivies" in group.controller_summary
    assert not access.is_current_member(group.controller)
    demo.load_demo(password="demo-password-123")
    assert (CaseGroup.objects.count(), Case.objects.count()) == (2, 5)
