"""Governance edits read before someone else's save are refused (409): bodies, meetings, decisions,
decision status (HTMX), scheme records and targets. Nothing is overwritten; the refusal names the change."""

import pytest
from django.urls import reverse

from tests.governance.factories import DecisionFactory, MeetingFactory
from tests.governance.test_views import HTMX, meeting_data
from vigie.audit.models import AuditEntry
from vigie.core.concurrency import StaleEdit
from vigie.governance import services
from vigie.governance.enums import FollowUpStatus
from vigie.governance.models import Body, Decision, Meeting, SchemeRecord, SchemeTarget

pytestmark = pytest.mark.django_db

REFUSED = "Vos modifications n'ont pas été enregistrées"


@pytest.fixture
def prefect(demo, make_user):
    return make_user("prefecture", demo["gers"])


@pytest.fixture
def condom():
    return Body.objects.get(name="CLSPD de Condom")


@pytest.fixture
def coordinator(demo, make_user, condom):
    return make_user("coordinator", demo["gers"], commune=condom.commune)


@pytest.fixture
def other(demo, make_user):
    return make_user("prefecture", demo["gers"], first_name="Odile", last_name="Autre")


def body_data(body, **extra):
    data = {
        "kind": body.kind,
        "name": body.name,
        "cadence": body.cadence,
        "commune": body.commune_id,
        "is_active": "on",
        "version": body.version,
    }
    return data | extra


def test_update_body_refuses_a_stale_version_and_writes_nothing(other, condom):
    services.update_body(
        acting_user=other, body=condom, data={"cadence": "mensuelle"}, read_version=1
    )
    late = Body.objects.get(pk=condom.pk)
    entries = AuditEntry.objects.count()
    with pytest.raises(StaleEdit):
        services.update_body(
            acting_user=other, body=late, data={"cadence": "aucune"}, read_version=1
        )
    assert Body.objects.get(pk=condom.pk).cadence == "mensuelle"
    assert AuditEntry.objects.count() == entries


def test_stale_body_edit_is_409(client, prefect, other, condom):
    read = body_data(condom, cadence="aucune")
    services.update_body(
        acting_user=other, body=condom, data={"cadence": "mensuelle"}, read_version=1
    )
    client.force_login(prefect)
    response = client.post(reverse("governance:body_edit", args=[condom.pk]), read)
    assert response.status_code == 409
    html = response.content.decode()
    assert REFUSED in html and "Odile Autre" in html
    assert Body.objects.get(pk=condom.pk).cadence == "mensuelle"


def test_stale_meeting_edit_is_409(client, coordinator, other, condom):
    meeting = MeetingFactory(body=condom, title="Plénière")
    services.update_meeting(
        acting_user=other, meeting=meeting, data={"title": "Plénière d'automne"}, read_version=1
    )
    client.force_login(coordinator)
    response = client.post(
        reverse("governance:meeting_edit", args=[meeting.pk]),
        meeting_data(date=meeting.date.isoformat(), title="Mon titre", version=1),
    )
    assert response.status_code == 409
    assert "Plénière d&#x27;automne" in response.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).title == "Plénière d'automne"


def test_stale_decision_edit_is_409(client, coordinator, other, condom):
    decision = DecisionFactory(meeting=MeetingFactory(body=condom), text="Texte initial")
    services.update_decision(
        acting_user=other, decision=decision, data={"text": "Texte d'Odile"}, read_version=1
    )
    client.force_login(coordinator)
    response = client.post(
        reverse("governance:decision_edit", args=[decision.pk]), {"text": "Mien", "version": 1}
    )
    assert response.status_code == 409
    assert Decision.objects.get(pk=decision.pk).text == "Texte d'Odile"


def test_stale_decision_status_with_htmx_is_409_with_the_stored_state(
    client, prefect, other, condom
):
    decision = DecisionFactory(
        meeting=MeetingFactory(body=condom), is_followed=True, owner_label="SPIP"
    )
    services.change_decision_status(
        acting_user=other, decision=decision, status=FollowUpStatus.DONE, read_version=1
    )
    client.force_login(prefect)
    prefix = f"d{decision.pk}"
    response = client.post(
        reverse("governance:decision_status", args=[decision.pk]),
        {f"{prefix}-status": FollowUpStatus.CANCELLED, f"{prefix}-version": 1},
        **HTMX,
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "<html" not in html and REFUSED in html and "Odile Autre" in html
    assert f'name="{prefix}-version" value="2"' in html
    assert Decision.objects.get(pk=decision.pk).status == FollowUpStatus.DONE


def test_stale_scheme_record_edit_is_409(client, prefect, other):
    record = SchemeRecord.objects.filter(commune__isnull=False, scheme="videoprotection").first()
    commune = record.commune
    services.set_scheme_record(
        acting_user=other,
        commune=commune,
        scheme=record.scheme,
        data={"source": "Odile"},
        read_version=record.version,
    )
    client.force_login(prefect)
    url = reverse("governance:scheme_record_edit", args=["32", record.scheme, commune.code])
    data = {"state": record.state, "as_of": "2023-05-01", "source": "Moi"}
    response = client.post(url, data | {"version": record.version})
    assert response.status_code == 409
    assert SchemeRecord.objects.get(pk=record.pk).source == "Odile"


def test_stale_target_deletion_is_409(client, prefect, other, demo):
    target = services.set_scheme_target(
        acting_user=other,
        department=demo["gers"],
        scheme="videoprotection",
        data={"min_population": 3000, "level": "en_place"},
    )
    services.set_scheme_target(
        acting_user=other,
        department=demo["gers"],
        scheme="videoprotection",
        data={"min_population": 5000},
        read_version=1,
    )
    client.force_login(prefect)
    url = reverse("governance:target_edit", args=["32", "videoprotection"])
    response = client.post(url, {"supprimer": "1", "version": 1})
    assert response.status_code == 409
    assert SchemeTarget.objects.filter(pk=target.pk).exists()
    response = client.post(url, {"supprimer": "1"})
    assert "rechargez la page" in response.content.decode()
    assert SchemeTarget.objects.filter(pk=target.pk).exists()
