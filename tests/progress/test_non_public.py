"""A non-public action and a non-public indicator appear on no public page, feed, data package file or
public API response; nor does a non-public measure with its actions and indicators.

"Public" is what a visitor sees, and what a person of another department sees: both are checked. The
people of the plan's department still see the items (the control that shows the test can fail).
"""

import io
import zipfile

import pytest
from django.urls import reverse

from tests.factories import ActionFactory, IndicatorFactory, MeasureFactory, UserFactory
from tests.progress.conftest import validated_value
from vigie.imports.models import PlanVersion
from vigie.imports.versions import frozen_snapshot
from vigie.progress import services

API_NAMES = ["plan", "axis", "measure", "action", "indicator", "value"]


def _public_urls(w) -> list[str]:
    plan, measure = w.plan, w.measure
    progress = reverse("progress:plan", args=[plan.pk])
    return [
        reverse("plans:home"),
        reverse("plans:department", args=[w.gers.code]),
        reverse("plans:plan", args=[plan.pk]),
        reverse("plans:measure", args=[measure.pk]),
        reverse("plans:commune", args=[w.condom.code]),
        reverse("plans:organisation", args=[w.ddsp.pk]),
        reverse("indicators:plan_progress", args=[plan.pk]),
        reverse("indicators:axis_progress", args=[w.axis.pk]),
        reverse("indicators:measure_progress", args=[measure.pk]),
        reverse("indicators:export", args=[plan.pk, "csv"]),
        reverse("imports:plan_export", args=[plan.pk, "current", "json"]),
        reverse("imports:plan_export", args=[plan.pk, "signed", "json"]),
        reverse("progress:index"),
        progress,
        progress + "?territoire=commune-32107",
        progress + "?territoire=epci-243200409",
        reverse("progress:feed", args=[plan.pk]),
        reverse("api:indicator-list"),
        reverse("api:value-list"),
        *[reverse(f"api:public-{name}-list") for name in API_NAMES],
        *[reverse(f"api:public-{name}-list") + f"?plan={plan.pk}" for name in API_NAMES[1:]],
    ]


def _version_urls(w) -> list[str]:
    """Plan versions (frozen snapshots) are read by any signed-in person who sees the plan."""
    before = frozen_snapshot(w.plan, {})
    for axis in before["axes"]:
        for measure in axis["measures"]:  # the secret items came with the amendment
            measure["actions"] = [a for a in measure["actions"] if a["id"] != w.secret_action.pk]
            measure["indicators"] = [
                i for i in measure["indicators"] if i["id"] != w.secret_indicator.pk
            ]
    first = PlanVersion.objects.create(
        plan=w.plan, number=1, label="Version signée", snapshot=before
    )
    second = PlanVersion.objects.create(
        plan=w.plan, number=2, label="Avenant", snapshot=frozen_snapshot(w.plan, {})
    )
    return [
        reverse("imports:versions", args=[w.plan.pk]),
        reverse("imports:version", args=[first.pk]),
        reverse("imports:version_diff", args=[second.pk]),
    ]


def _bodies(client, w, *, signed_in: bool = False) -> dict[str, str]:
    bodies = {}
    for url in _public_urls(w) + (_version_urls(w) if signed_in else []):
        response = client.get(url)
        assert response.status_code == 200, url
        bodies[url] = response.content.decode("utf-8")
    archive = client.get(reverse("progress:data", args=[w.plan.pk]))
    assert archive.status_code == 200
    with zipfile.ZipFile(io.BytesIO(archive.content)) as package:
        for name in package.namelist():
            bodies[f"donnees.zip:{name}"] = package.read(name).decode("utf-8-sig")
    assert {
        "donnees.zip:actions.csv",
        "donnees.zip:datapackage.json",
        "donnees.zip:plan.json",
    } <= set(bodies)
    return bodies


def _secret_urls(w) -> list[str]:
    return [
        reverse("indicators:indicator", args=[w.secret_indicator.pk]),
        reverse("api:indicator-detail", args=[w.secret_indicator.pk]),
        reverse("api:public-indicator-detail", args=[w.secret_indicator.pk]),
        reverse("api:public-action-detail", args=[w.secret_action.pk]),
    ]


def _as(client, user):
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("who", ["anonymous", "other_department"])
def test_non_public_items_appear_nowhere_public(world, client, who):
    w = world
    user = None if who == "anonymous" else w.users.lot_prefecture
    bodies = _bodies(_as(client, user), w, signed_in=user is not None)
    secrets = [w.secrets.action, w.secrets.indicator, "987654", "987 654", "987\u202f654"]
    leaks = [
        (where, secret) for where, body in bodies.items() for secret in secrets if secret in body
    ]
    assert leaks == []
    # The public items are there: the pages were not simply empty.
    assert "Intervenir dans les écoles de Condom" in bodies["donnees.zip:actions.csv"]
    assert "Intervenir dans les écoles de Condom" in bodies["donnees.zip:plan.json"]
    progress = reverse("progress:plan", args=[w.plan.pk])
    assert "Intervenir dans les écoles de Condom" in bodies[progress]
    assert "Nombre d&#x27;interventions en milieu scolaire" in bodies[progress]
    for url in _secret_urls(w):
        assert client.get(url).status_code == 404, url


def test_people_of_the_department_still_see_them(world, client):
    w = world
    client.force_login(w.users.reader)
    measure_page = client.get(reverse("plans:measure", args=[w.measure.pk])).content.decode()
    assert w.secrets.action in measure_page
    assert w.secrets.indicator in measure_page
    assert client.get(_secret_urls(w)[0]).status_code == 200
    # The public progress page is the public view, whoever looks at it.
    progress = client.get(reverse("progress:plan", args=[w.plan.pk])).content.decode()
    assert w.secrets.action not in progress and w.secrets.indicator not in progress


def test_a_non_public_measure_hides_its_actions_and_indicators(world, client):
    w = world
    hidden = MeasureFactory(axis=w.axis, number="1.9", title="Mesure du site sensible de Condom")
    ActionFactory(measure=hidden, text="Action publique d'une mesure masquée")
    indicator = IndicatorFactory(measure=hidden, label="Indicateur public d'une mesure masquée")
    validated_value(w, indicator, "D32", "2025", "4242")
    services.set_publication(
        acting_user=w.users.prefecture,
        plan=w.plan,
        measure_ids={hidden.pk},
        action_ids={w.secret_action.pk},
        indicator_ids={w.secret_indicator.pk},
    )
    outsider = UserFactory(username="pref46bis", role="prefecture", department=w.lot)
    bodies = _bodies(_as(client, outsider), w)
    secrets = ["Mesure du site sensible", "mesure masquée", "4242", "4\u202f242"]
    assert [(where, s) for where, body in bodies.items() for s in secrets if s in body] == []
    assert client.get(reverse("plans:measure", args=[hidden.pk])).status_code == 404


def _docx_text(content: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_stored_plan_documents_are_kept_apart_for_the_public_and_the_department(world, client):
    """The generated documents are stored once per content: the public one never serves the department's
    (and the reverse), whoever asks first."""
    w = world
    url = reverse("imports:plan_export", args=[w.plan.pk, "current", "docx"])
    client.force_login(
        w.users.reader
    )  # the department first: its document holds the non-public items
    inside = _docx_text(b"".join(client.get(url).streaming_content))
    assert w.secrets.action in inside
    client.logout()
    outside = _docx_text(b"".join(client.get(url).streaming_content))
    assert w.secrets.action not in outside
    assert "Intervenir dans les écoles de Condom" in outside
