import pytest

from tests.factories import DepartmentFactory, RegionFactory


@pytest.fixture
def territories(db):
    """Occitanie (Gers, Lot) and Nouvelle-Aquitaine (Landes)."""
    occitanie = RegionFactory(code="76", name="Occitanie")
    aquitaine = RegionFactory(code="75", name="Nouvelle-Aquitaine")
    return {
        "occitanie": occitanie,
        "aquitaine": aquitaine,
        "gers": DepartmentFactory(code="32", name="Gers", region=occitanie),
        "lot": DepartmentFactory(code="46", name="Lot", region=occitanie),
        "landes": DepartmentFactory(code="40", name="Landes", region=aquitaine),
    }


@pytest.fixture
def regional(make_user, territories):
    return make_user("regional", None, region=territories["occitanie"], username="region76")
