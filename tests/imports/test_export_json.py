"""A plan in Vigie back into the import schema: what ``import_plan --dry-run --json`` printed."""

import io
import json

import pytest
from django.core.management import call_command

from tests.imports.conftest import SEED_FILES
from vigie.imports.exporting.plan_json import plan_to_import_json
from vigie.indicators.models import Indicator
from vigie.plans.models import Action, GoodPractice, Measure, Plan


def dry_run_json(path, code: str) -> dict:
    out = io.StringIO()
    call_command("import_plan", str(path), department=code, dry_run=True, json=True, stdout=out)
    return json.loads(out.getvalue())


def imported(path, code: str) -> Plan:
    call_command("import_plan", str(path), department=code, stdout=io.StringIO())
    return Plan.objects.get(department__code=code)


@pytest.mark.parametrize(("name", "code"), [("gers", "32"), ("lot", "46")])
def test_export_json_is_what_the_import_read(name, code, gers, lot, django_assert_max_num_queries):
    expected = dry_run_json(SEED_FILES[name], code)
    plan = imported(SEED_FILES[name], code)
    with django_assert_max_num_queries(14):
        exported = plan_to_import_json(plan)
    assert json.loads(json.dumps(exported, ensure_ascii=False)) == expected
    assert exported["axes"] and any(
        m["indicators"] for a in exported["axes"] for m in a["measures"]
    )
    if name == "gers":
        assert exported["annexes"] and any(
            m["good_practices"] for a in exported["axes"] for m in a["measures"]
        )
    else:
        assert exported["glossary"]


def test_include_leaves_items_out_with_what_they_contain(gers):
    plan = imported(SEED_FILES["gers"], "32")
    practice = GoodPractice.objects.filter(measure__axis__plan=plan, action__isnull=False).first()
    hidden_action = practice.action
    hidden_indicator = Indicator.objects.filter(measure__axis__plan=plan).first()
    hidden_measure = Measure.objects.filter(axis__plan=plan).order_by("pk").last()

    def include(obj) -> bool:
        return obj not in (hidden_action, hidden_indicator, hidden_measure)

    exported = plan_to_import_json(plan, include=include)
    measures = [m for part in ("axes", "annexes") for a in exported[part] for m in a["measures"]]
    texts = [a["text"] for m in measures for a in m["actions"]]
    assert hidden_action.text not in texts
    assert all(
        practice.text not in m["good_practices"]
        for m in measures
        if m["number"] == practice.measure.number
    )
    labels = [i for m in measures for i in m["indicators"]]
    assert labels.count(hidden_indicator.label) == (
        Indicator.objects.filter(measure__axis__plan=plan, label=hidden_indicator.label).count() - 1
    )
    numbers = [(m["number"], m["title"]) for m in measures]
    assert (hidden_measure.number, hidden_measure.title) not in numbers
    everything = plan_to_import_json(plan)
    assert len(
        [
            a
            for p in ("axes", "annexes")
            for x in everything[p]
            for m in x["measures"]
            for a in m["actions"]
        ]
    ) == (Action.objects.filter(measure__axis__plan=plan).count())
