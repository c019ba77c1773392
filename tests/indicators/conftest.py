"""Fixtures of the indicator tests (the world is built in tests/indicators/world.py)."""

import pytest

from tests.indicators.world import build_world


@pytest.fixture
def world(db):
    return build_world()
