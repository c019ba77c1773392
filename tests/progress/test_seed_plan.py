"""The public page and the data package on the real Gers plan (imported from its seed): the states of
imported actions form their timeline, and a commune the plan names is found by the filter."""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from tests.factories import CommuneFactory
from tests.plans.conftest import GERS_SEED
from tests.plans.test_import_loader import run
from vigie.plans.models import Action, Plan
from vigie.territories.models import Department, Region


@pytest.fixture
def gers_imported(db):
    region = Region.objects.get_or_create(code="76", defaults={"name": "Occitanie"})[0]
    gers = Department.objects.get_or_create(code="32", defaults={"name": "Gers", "region": region})[
        0
    ]
    run(GERS_SEED, "--department", "32")
    return Plan.objects.get(department=gers)


def test_public_page_of_the_gers_plan(gers_imported, client):
    plan = gers_imported
    CommuneFactory(code="32107", name="Condom", department=plan.department)
    url = reverse("progress:plan", args=[plan.pk])
    body = client.get(url, {"territoire": "commune-32107"}).content.decode()
    assert "Ce qui concerne Condom (commune)" in body
    results = body[body.index('id="resultats-territoire"') : body.index("Avancement par axe")]
    assert "Mesure " in results  # the Gers plan names Condom (video protection, CLSPD)
    actions = Action.objects.filter(measure__axis__plan=plan).count()
    assert body.count('class="vigie-progress-actions"') >= 1
    assert body.count("inscrite au suivi") == actions  # each imported action has its first step
    archive = client.get(reverse("progress:data", args=[plan.pk])).content
    with zipfile.ZipFile(io.BytesIO(archive)) as package:
        data = json.loads(package.read("plan.json"))
    assert len(data["axes"]) == plan.axes.filter(kind="axis").count()
