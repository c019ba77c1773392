import pytest

from tests.factories import CommuneFactory, DepartmentFactory, EpciFactory
from vigie.accounts.enums import Role
from vigie.accounts.models import User
from vigie.accounts.services import DEMO_ACCOUNTS, DEMO_PASSWORD, create_demo_accounts
from vigie.audit.models import AuditEntry
from vigie.organisations.models import Organisation


@pytest.fixture
def demo_territories(db):
    gers = DepartmentFactory(code="32", name="Gers")
    lot = DepartmentFactory(code="46", name="Lot")
    EpciFactory(code="200066926", name="CA Grand Auch Coeur de Gascogne")
    CommuneFactory(code="46042", name="Cahors", department=lot)
    CommuneFactory(code="32107", name="Condom", department=gers)
    Organisation.objects.create(
        department=gers,
        name="Direction des services départementaux de l'Éducation nationale",
        acronym="DSDEN",
        kind="education",
    )
    return gers, lot


def test_one_account_per_role_and_department(demo_territories):
    users = create_demo_accounts()
    assert len(users) == len(DEMO_ACCOUNTS)
    for code in ("32", "46"):
        roles = set(User.objects.filter(department__code=code).values_list("role", flat=True))
        assert roles == {
            Role.PREFECTURE,
            Role.PILOT,
            Role.COORDINATOR,
            Role.PARTNER,
            Role.READER,
            Role.APPLICANT,
        }
    assert User.objects.get(username="admin").is_national_admin
    assert User.objects.get(username="pilote32").organisation.acronym == "DSDEN"
    assert User.objects.get(username="coordo32").epci.code == "200066926"
    assert User.objects.get(username="coordo46").commune.name == "Cahors"
    assert User.objects.get(username="coordo32condom").commune.name == "Condom"
    assert User.objects.get(username="prefecture46").check_password(DEMO_PASSWORD)


def test_demo_accounts_are_idempotent(demo_territories):
    create_demo_accounts()
    entries = AuditEntry.objects.count()
    create_demo_accounts()
    assert User.objects.count() == len(DEMO_ACCOUNTS)
    assert AuditEntry.objects.count() == entries
