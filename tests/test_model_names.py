"""No two models of the project share a class name (issue #10: the statistics and the plan indicator were both
`Indicator`, which made every import and admin listing ambiguous)."""

from collections import Counter

from django.apps import apps


def test_no_two_project_models_share_a_name():
    names = Counter(
        model.__name__ for model in apps.get_models() if model.__module__.startswith("vigie.")
    )
    assert [name for name, count in names.items() if count > 1] == []
