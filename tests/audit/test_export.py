"""Audit log CSV export (national administrators only, streamed)."""

import csv
import io

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from tests.plans.factories import two_departments
from vigie.plans import services
from vigie.plans.enums import ActionStatus

pytestmark = pytest.mark.django_db
URL = reverse("audit:export")


@pytest.fixture
def world(make_user):
    world = two_departments()
    gers_user = make_user(
        "prefecture",
        world.gers.department,
        first_name="Alix",
        last_name="Durand",
        username="adurand",
    )
    lot_user = make_user("prefecture", world.lot.department)
    services.change_action_status(
        acting_user=gers_user, action=world.gers.action, status=ActionStatus.IN_PROGRESS
    )
    services.update_measure(
        acting_user=gers_user,
        measure=world.gers.measure,
        data={"title": "Nouveau titre", "situation": "Trois dispositifs"},
    )
    services.add_comment(
        acting_user=lot_user, measure=world.lot.measure, body="Un commentaire du Lot"
    )
    return world


def read_csv(response) -> list[list[str]]:
    assert isinstance(response, StreamingHttpResponse)
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    return list(csv.reader(io.StringIO(content[1:]), delimiter=";"))


def test_export_for_administrators(client, make_user, world):
    client.force_login(make_user("admin", None))
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0] == [
        "date",
        "auteur",
        "opération",
        "type d'objet",
        "objet",
        "champ",
        "ancienne valeur",
        "nouvelle valeur",
        "motif",
    ]
    status_row = next(row for row in rows if row[5] == "état d'avancement")
    assert status_row[1] == "Alix Durand (adurand)"
    assert status_row[2] == "Modification" and status_row[3] == "action"
    assert status_row[6:8] == ["À venir", "En cours"]
    # One row per changed field.
    measure_rows = [row for row in rows if row[3] == "mesure"]
    assert {row[5] for row in measure_rows} == {"intitulé", "état des lieux"}
    assert any(row[3] == "commentaire" and row[7] == "Un commentaire du Lot" for row in rows)


def test_export_filtered_by_department(client, make_user, world):
    client.force_login(make_user("admin", None))
    rows = read_csv(client.get(URL, {"departement": "46"}))
    assert len(rows) > 1
    assert all(row[3] == "commentaire" for row in rows[1:])
    assert client.get(URL, {"departement": "999"}).status_code == 404


def test_export_is_refused_to_others(client, make_user, world):
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    for role in ("prefecture", "pilot", "coordinator", "partner", "reader"):
        client.force_login(make_user(role, world.gers.department))
        assert client.get(URL).status_code == 403, role


def test_export_with_no_entry(client, make_user, db):
    client.force_login(make_user("admin", None))
    rows = read_csv(client.get(URL))
    assert len(rows) == 1
