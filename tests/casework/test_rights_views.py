"""The pages of the rights of the person as the coordinator uses them: export downloads (no-store, no name in the
file name), rectification and its history (seen by the group), erasure with a justification; bad input beside the
field, nothing written."""

import datetime
import json

import pytest
from django.urls import reverse

from tests.casework.factories import make_case, make_group, make_member, sign_in
from vigie.casework.enums import AccessAction, ErasureGround, MemberRole
from vigie.casework.models import AccessLogEntry, Case
from vigie.casework.rights_models import AccessRequest, CaseRectification

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(client):
    group, _ = make_group()
    coordinator = make_member(group, role=MemberRole.COORDINATOR)
    referent = make_member(group)
    case = make_case(referent)
    sign_in(client, coordinator.user)
    return {"group": group, "coordinator": coordinator, "referent": referent, "case": case}


def _url(name, case):
    return reverse(f"casework:{name}", args=[case.public_id])


def test_the_case_page_links_the_coordinator_to_the_rights(client, team):
    page = client.get(_url("case", team["case"])).content.decode()
    assert _url("rights", team["case"]) in page and _url("rectifications", team["case"]) in page
    sign_in(client, team["referent"].user)
    page = client.get(_url("case", team["case"])).content.decode()
    assert _url("rights", team["case"]) not in page
    assert _url("rectifications", team["case"]) in page


def test_the_rights_page_is_logged_and_never_cached(client, team):
    response = client.get(_url("rights", team["case"]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "DUPONT-FICTIF" in response.content.decode()
    assert AccessLogEntry.objects.filter(action=AccessAction.READ).exists()


@pytest.mark.parametrize(
    ("fmt", "content_type"), [("json", "application/json"), ("pdf", "application/pdf")]
)
def test_the_export_is_a_download_never_stored(client, team, fmt, content_type):
    response = client.post(
        _url("rights_export", team["case"]),
        {"requested_on": "2026-11-20", "export_format": fmt},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and f".{fmt}" in disposition
    assert "DUPONT" not in disposition.upper()
    assert "no-store" in response["Cache-Control"]
    if fmt == "json":
        assert json.loads(response.content)["identity"]["last_name"] == "DUPONT-FICTIF"
    assert AccessRequest.objects.get().requested_on == datetime.date(2026, 11, 20)
    page = client.get(_url("rights", team["case"])).content.decode()
    assert "20/11/2026" in page


def test_an_export_without_a_date_says_so_and_records_nothing(client, team):
    response = client.post(_url("rights_export", team["case"]), {"export_format": "json"})
    assert response.status_code == 200
    assert "Saisissez la date de la demande de la personne." in response.content.decode()
    assert not AccessRequest.objects.exists()


def _rectify_data(case, **changes):
    return {
        "last_name": case.last_name,
        "first_name": case.first_name,
        "birth_date": case.birth_date,
        "commune": case.commune_id,
        "referral_reason": case.referral_reason,
        "referral_source": case.referral_source,
        "opened_on": case.opened_on.isoformat(),
        **changes,
    }


def test_a_rectification_and_its_history_seen_by_the_group(client, team):
    case = team["case"]
    form = client.get(_url("rectify", case)).content.decode()
    assert 'value="DUPONT-FICTIF"' in form
    response = client.post(
        _url("rectify", case), _rectify_data(case, last_name="DURAND-FICTIF", requested_on="")
    )
    assert response["Location"] == _url("rectifications", case)
    assert "DUPONT" not in response["Location"].upper()
    assert Case.objects.get(pk=case.pk).last_name == "DURAND-FICTIF"
    sign_in(client, team["referent"].user)
    history = client.get(_url("rectifications", case))
    assert "no-store" in history["Cache-Control"]
    text = history.content.decode()
    assert "DUPONT-FICTIF" in text and "DURAND-FICTIF" in text and "Nom" in text
    assert _url("rights", case) not in text


def test_a_rectification_with_nothing_changed_says_so(client, team):
    case = team["case"]
    response = client.post(_url("rectify", case), _rectify_data(case))
    assert response.status_code == 200
    assert "Aucune valeur n&#x27;a changé" in response.content.decode()
    assert not CaseRectification.objects.exists()


def test_an_erasure_with_a_justification(client, team):
    case = team["case"]
    assert client.get(_url("erase", case)).status_code == 200
    response = client.post(
        _url("erase", case),
        {
            "ground": ErasureGround.OBJECTION,
            "justification": "Opposition écrite reçue, jugée fondée par le groupe",
            "confirm": "on",
        },
    )
    assert response["Location"] == reverse("casework:cases", args=[team["group"].pk])
    assert not Case.objects.exists()
    assert AccessLogEntry.objects.filter(action=AccessAction.ERASURE).count() == 1


def test_an_erasure_naming_the_person_is_refused_beside_the_field(client, team):
    response = client.post(
        _url("erase", team["case"]),
        {
            "ground": ErasureGround.OBJECTION,
            "justification": "Opposition de Léo Dupont reçue par courrier",
            "confirm": "on",
        },
    )
    assert response.status_code == 200
    assert "ne doit contenir ni le nom" in response.content.decode()
    assert Case.objects.filter(pk=team["case"].pk).exists()


def test_an_erasure_must_be_confirmed(client, team):
    response = client.post(
        _url("erase", team["case"]),
        {"ground": ErasureGround.OBJECTION, "justification": "Opposition reçue et jugée fondée"},
    )
    assert "Cochez la case pour confirmer l&#x27;effacement." in response.content.decode()
    assert Case.objects.filter(pk=team["case"].pk).exists()


def test_the_history_and_rights_pages_keep_their_queries_bounded(
    client, team, django_assert_max_num_queries
):
    case = team["case"]
    for i in range(15):
        client.post(_url("rectify", case), _rectify_data(case, first_name=f"Prénom{i}"))
        client.post(
            _url("rights_export", case), {"requested_on": "2026-11-20", "export_format": "json"}
        )
        case.refresh_from_db()
    assert CaseRectification.objects.count() == 15 and AccessRequest.objects.count() == 15
    with django_assert_max_num_queries(14):
        assert client.get(_url("rectifications", case)).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(_url("rights", case)).status_code == 200
