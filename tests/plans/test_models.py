import pytest

from tests.factories import PlanFactory


@pytest.mark.django_db
def test_plan_label_does_not_repeat_a_period_already_in_the_title():
    assert (
        str(PlanFactory.build(title="Plan 2021-2024", period_start=2021, period_end=2024))
        == "Plan 2021-2024"
    )
    assert (
        str(PlanFactory.build(title="Plan du Lot", period_start=2020, period_end=2024))
        == "Plan du Lot (2020-2024)"
    )
