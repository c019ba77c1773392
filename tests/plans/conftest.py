"""Fixtures for the plan import tests: the two seed plans and the departments they belong to."""

from pathlib import Path

import pytest

import vigie.plans
from vigie.imports.parsing.structure import parse_plan
from vigie.imports.reading.text import parse_text
from vigie.territories.models import Department, Region

SEEDS = Path(vigie.plans.__file__).resolve().parent / "seeds"
GERS_SEED = SEEDS / "gers-2021-2024.txt"
LOT_SEED = SEEDS / "lot-2020-2024.txt"


@pytest.fixture
def occitanie(db):
    return Region.objects.get_or_create(code="76", defaults={"name": "Occitanie"})[0]


@pytest.fixture
def gers(occitanie):
    return Department.objects.get_or_create(
        code="32", defaults={"name": "Gers", "region": occitanie}
    )[0]


@pytest.fixture
def lot(occitanie):
    return Department.objects.get_or_create(
        code="46", defaults={"name": "Lot", "region": occitanie}
    )[0]


@pytest.fixture(scope="session")
def gers_plan():
    """The Gers seed, parsed once (no database needed)."""
    return parse_plan(parse_text(GERS_SEED.read_text(encoding="utf-8")), proper_nouns=("Gers",))


@pytest.fixture(scope="session")
def lot_plan():
    return parse_plan(parse_text(LOT_SEED.read_text(encoding="utf-8")), proper_nouns=("Lot",))
