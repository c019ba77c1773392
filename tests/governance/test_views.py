"""Pages: what they show, forms with French errors beside the field, HTMX fragments, files, calendar feed."""

import io
import zipfile
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from tests.factories import OrganisationFactory
from tests.governance.factories import BodyMemberFactory, DecisionFactory, MeetingFactory
from vigie.audit.models import AuditEntry
from vigie.governance import ics
from vigie.governance.enums import FollowUpStatus
from vigie.governance.models import Body, Decision, Meeting, SchemeRecord, SchemeTarget
from vigie.territories.models import Commune

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def prefect(demo, make_user):
    return make_user("prefecture", demo["gers"])


@pytest.fixture
def condom():
    return Body.objects.get(name="CLSPD de Condom")


@pytest.fixture
def coordinator(demo, make_user, condom):
    return make_user("coordinator", demo["gers"], commune=condom.commune)


def pdf_file(name="compte-rendu.pdf", size=0):
    return SimpleUploadedFile(
        name, b"%PDF-1.4\n" + b"0" * size + b"\n%%EOF", content_type="application/pdf"
    )


def odt_file(name="compte-rendu.odt", *, mimetype="application/vnd.oasis.opendocument.text"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mimetype)
        archive.writestr("content.xml", "<office:document-content/>")
    return SimpleUploadedFile(
        name, buffer.getvalue(), content_type="application/vnd.oasis.opendocument.text"
    )


def docx_file(name="compte-rendu.docx", *, valid=True):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml" if valid else "autre.xml", "<w:document/>")
    return SimpleUploadedFile(name, buffer.getvalue())


# --- dashboard ------------------------------------------------------------------------------------


def test_gers_dashboard(client, prefect):
    client.force_login(prefect)
    content = client.get(reverse("governance:dashboard", args=["32"])).content.decode()
    for name, when in [
        ("CISPD du Grand Auch Cœur de Gascogne", "11 juin 2019"),
        ("CISPD de la Gascogne Toulousaine", "13 décembre 2019"),
        ("CLSPD de Condom", "16 janvier 2018"),
        ("CLSPD d&#x27;Eauze", "28 juin 2019"),
        ("CLSPD de Fleurance", "19 mars 2019"),
    ]:
        row = content.split(name, 1)[1].split("</tr>", 1)[0]
        assert when in row
        assert "En retard" in row
    coverage = content.split('id="coverage"', 1)[1]
    assert "Auch" in coverage and "CISPD du Grand Auch Cœur de Gascogne" in coverage
    assert 'id="uncovered"' not in content
    assert "tolérance de 7 jours" in content


def test_index_sends_people_to_their_department(client, prefect):
    client.force_login(prefect)
    assert client.get(reverse("governance:index")).url == reverse(
        "governance:dashboard", args=["32"]
    )


def test_index_lists_departments_for_administrators(client, demo, make_user):
    client.force_login(make_user("admin"))
    content = client.get(reverse("governance:index")).content.decode()
    assert "Gers" in content and "Lot" in content


# --- bodies ---------------------------------------------------------------------------------------


def test_body_form_errors_are_french_and_beside_the_field(client, prefect):
    client.force_login(prefect)
    response = client.post(
        reverse("governance:body_create", args=["32"]),
        {"kind": "clspd", "name": "CLSPD d'Auch", "cadence": "annuelle"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["commune"] == [
        "Un CLSPD est rattaché à une commune : choisissez-la."
    ]
    assert 'id="id_commune-desc-error"' in response.content.decode()
    assert not Body.objects.filter(name="CLSPD d'Auch").exists()


def test_create_a_body(client, prefect):
    client.force_login(prefect)
    auch = Commune.objects.get(code="32013")
    response = client.post(
        reverse("governance:body_create", args=["32"]),
        {
            "kind": "clspd",
            "name": "CLSPD d'Auch",
            "cadence": "annuelle",
            "commune": auch.pk,
            "is_active": "on",
        },
    )
    body = Body.objects.get(name="CLSPD d'Auch")
    assert response.url == body.get_absolute_url()
    assert body.commune == auch


def test_edit_a_body(client, prefect, condom):
    client.force_login(prefect)
    response = client.post(
        reverse("governance:body_edit", args=[condom.pk]),
        {
            "kind": "clspd",
            "name": condom.name,
            "cadence": "semestrielle",
            "commune": condom.commune_id,
            "is_active": "on",
            "version": condom.version,
        },
    )
    assert response.status_code == 302
    condom.refresh_from_db()
    assert condom.cadence == "semestrielle"
    assert AuditEntry.objects.filter(action="update", object_id=str(condom.pk)).exists()


def test_members_are_managed_with_htmx(client, coordinator, condom, demo):
    client.force_login(coordinator)
    organisation = OrganisationFactory(department=demo["gers"], name="Mairie de Condom")
    url = reverse("governance:body_members", args=[condom.pk])
    response = client.post(url, {"organisation": organisation.pk, "role": "president"}, **HTMX)
    content = response.content.decode()
    assert "<html" not in content
    assert "Mairie de Condom" in content
    member = condom.members.get()
    again = client.post(
        url, {"organisation": organisation.pk, "role": "membre"}, **HTMX
    ).content.decode()
    assert "Cette organisation est déjà membre de l&#x27;instance." in again
    empty = client.post(url, {"role": "membre"}, **HTMX).content.decode()
    assert "Choisissez une organisation, une personne, ou les deux." in empty
    removed = client.post(
        reverse("governance:body_member_remove", args=[condom.pk, member.pk]), **HTMX
    )
    assert "Aucun membre" in removed.content.decode()


def test_members_without_htmx_redirect(client, prefect, condom, demo):
    client.force_login(prefect)
    organisation = OrganisationFactory(department=demo["gers"])
    url = reverse("governance:body_members", args=[condom.pk])
    assert client.post(url, {"organisation": organisation.pk, "role": "membre"}).url == url
    member = condom.members.get()
    assert (
        client.post(reverse("governance:body_member_remove", args=[condom.pk, member.pk])).url
        == url
    )


# --- meetings and uploads -------------------------------------------------------------------------


def meeting_data(**extra):
    return {
        "date": timezone.localdate().isoformat(),
        "title": "Réunion plénière",
        "agenda": "Bilan",
        **extra,
    }


def test_coordinator_records_a_meeting_with_a_pdf(client, coordinator, condom):
    client.force_login(coordinator)
    response = client.post(
        reverse("governance:meeting_create", args=[condom.pk]),
        meeting_data(minutes_file=pdf_file()),
    )
    meeting = Meeting.objects.get(title="Réunion plénière")
    assert response.url == meeting.get_absolute_url()
    assert meeting.minutes_file.name.endswith("/compte-rendu.pdf")
    assert meeting.created_by == coordinator


@pytest.mark.parametrize("upload", [odt_file, docx_file])
def test_odt_and_docx_are_accepted(client, coordinator, condom, upload):
    client.force_login(coordinator)
    response = client.post(
        reverse("governance:meeting_create", args=[condom.pk]), meeting_data(minutes_file=upload())
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            lambda: SimpleUploadedFile("cr.exe", b"MZ..."),
            "Format non accepté (.exe) : déposez un fichier PDF (.pdf), LibreOffice (.odt) ou "
            "Word (.docx).",
        ),
        (lambda: SimpleUploadedFile("cr.txt", b"texte"), "Format non accepté (.txt)"),
        (
            lambda: SimpleUploadedFile("cr.pdf", b"pas un pdf"),
            "Le contenu du fichier ne correspond pas à son extension : un fichier PDF (.pdf) "
            "était attendu, c'est du texte.",
        ),
        (
            lambda: SimpleUploadedFile("cr.docx", b"MZ\x90\x00"),
            "un fichier Word (.docx) était attendu, c'est un programme Windows.",
        ),
        (lambda: docx_file(valid=False), "n'est pas un document Word (.docx) valide"),
        (
            lambda: SimpleUploadedFile("cr.odt", b"PK\x03\x04broken"),
            "n'est pas un document LibreOffice (.odt) valide",
        ),
        (
            lambda: odt_file(mimetype="application/vnd.oasis.opendocument.spreadsheet"),
            "n'est pas un document LibreOffice (.odt) valide",
        ),
    ],
)
def test_bad_uploads_are_refused_beside_the_field(client, coordinator, condom, upload, message):
    client.force_login(coordinator)
    before = Meeting.objects.count()
    response = client.post(
        reverse("governance:meeting_create", args=[condom.pk]), meeting_data(minutes_file=upload())
    )
    assert response.status_code == 200
    [error] = response.context["form"].errors["minutes_file"]
    assert message in error
    assert 'id="id_minutes_file-desc-error"' in response.content.decode()
    assert Meeting.objects.count() == before


def test_too_large_uploads_are_refused(client, coordinator, condom, settings):
    settings.VIGIE_MAX_UPLOAD_BYTES = 1000
    client.force_login(coordinator)
    response = client.post(
        reverse("governance:meeting_create", args=[condom.pk]),
        meeting_data(minutes_file=pdf_file(size=2000)),
    )
    [error] = response.context["form"].errors["minutes_file"]
    assert error == "Le fichier est trop volumineux (2 ko) : la taille maximale est de 1000 octets."


def test_meeting_without_date_is_refused_in_french(client, coordinator, condom):
    client.force_login(coordinator)
    response = client.post(reverse("governance:meeting_create", args=[condom.pk]), {"agenda": "x"})
    assert response.context["form"].errors["date"] == ["Ce champ est obligatoire."]


def test_new_meeting_of_a_restricted_body_starts_restricted(client, demo, make_user):
    cell = Body.objects.get(kind="iscg")
    client.force_login(make_user("prefecture", demo["lot"]))
    response = client.get(reverse("governance:meeting_create", args=[cell.pk]))
    assert response.context["form"]["is_restricted"].initial is True


def test_edit_meeting_replaces_and_removes_the_file(
    client, coordinator, condom, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    meeting = MeetingFactory(body=condom, minutes_file=pdf_file("ancien.pdf"))
    storage = meeting.minutes_file.storage
    old_name = meeting.minutes_file.name
    url = reverse("governance:meeting_edit", args=[meeting.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url,
            meeting_data(
                date=meeting.date.isoformat(),
                minutes_file=pdf_file("nouveau.pdf"),
                version=meeting.version,
            ),
        )
    meeting.refresh_from_db()
    assert meeting.minutes_filename == "nouveau.pdf"
    assert not storage.exists(old_name)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url,
            meeting_data(
                date=meeting.date.isoformat(), remove_minutes_file="on", version=meeting.version
            ),
        )
    meeting.refresh_from_db()
    assert not meeting.minutes_file


def test_download_minutes(client, coordinator, condom):
    meeting = MeetingFactory(body=condom, minutes_file=pdf_file("cr.pdf"))
    client.force_login(coordinator)
    response = client.get(reverse("governance:meeting_minutes_file", args=[meeting.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert 'attachment; filename="cr.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_no_file_no_download(client, coordinator, condom):
    client.force_login(coordinator)
    meeting = MeetingFactory(body=condom)
    assert (
        client.get(reverse("governance:meeting_minutes_file", args=[meeting.pk])).status_code == 404
    )


# --- restricted minutes ---------------------------------------------------------------------------


@pytest.fixture
def restricted(demo):
    cell = Body.objects.get(kind="iscg")
    meeting = MeetingFactory(
        body=cell,
        is_restricted=True,
        minutes="Situation de Mme X, orientée vers France Victimes.",
        minutes_file=pdf_file("cr-nominatif.pdf"),
    )
    DecisionFactory(meeting=meeting, text="Proposer un hébergement d'urgence à Mme X.")
    return meeting


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("prefecture", True),
        ("admin", True),
        ("member_person", True),
        ("member_organisation", True),
        ("reader", False),
        ("partner", False),
        ("pilot_other_organisation", False),
    ],
)
def test_restricted_minutes_are_visible_to_members_only(
    client, demo, make_user, restricted, who, sees
):
    lot = demo["lot"]
    organisation = OrganisationFactory(department=lot, name="France Victimes 46")
    BodyMemberFactory(body=restricted.body, organisation=organisation)
    users = {
        "prefecture": lambda: make_user("prefecture", lot),
        "admin": lambda: make_user("admin"),
        "member_person": lambda: make_user("partner", lot),
        "member_organisation": lambda: make_user("partner", lot, organisation=organisation),
        "reader": lambda: make_user("reader", lot),
        "partner": lambda: make_user("partner", lot),
        "pilot_other_organisation": lambda: make_user(
            "pilot", lot, organisation=OrganisationFactory(department=lot)
        ),
    }
    user = users[who]()
    if who == "member_person":
        BodyMemberFactory(body=restricted.body, user=user)
    client.force_login(user)
    page = client.get(restricted.get_absolute_url())
    assert page.status_code == 200
    content = page.content.decode()
    assert ("Mme X" in content) is sees
    assert ("formation restreinte : son compte rendu" in content) is not sees
    download = client.get(reverse("governance:meeting_minutes_file", args=[restricted.pk]))
    assert download.status_code == (200 if sees else 403)
    decision = restricted.decisions.get()
    status_page = client.get(reverse("governance:decision_status", args=[decision.pk]))
    assert status_page.status_code == (
        200 if who in ("prefecture", "admin") else 404 if not sees else 403
    )


def test_body_page_hides_the_decision_count_of_restricted_meetings(
    client, demo, make_user, restricted
):
    client.force_login(make_user("reader", demo["lot"]))
    content = client.get(restricted.body.get_absolute_url()).content.decode()
    assert "réservées aux membres" in content


# --- decisions ------------------------------------------------------------------------------------


def test_add_a_decision_linked_to_measure_4_2_with_htmx(client, coordinator, condom, demo):
    client.force_login(coordinator)
    meeting = MeetingFactory(body=condom, date=timezone.localdate())
    measure = demo["measures"]["4.2"]
    response = client.post(
        reverse("governance:decision_create", args=[meeting.pk]),
        {
            "text": "Relancer les groupes thématiques « mineurs »",
            "measure": measure.pk,
            "is_followed": "on",
            "owner_label": "Coordonnateur du CLSPD",
            "due_date": (timezone.localdate() + timedelta(days=90)).isoformat(),
        },
        **HTMX,
    )
    content = response.content.decode()
    assert "<html" not in content
    assert "4.2 — Développer les CLSPD/CISPD" in content
    decision = Decision.objects.get(meeting=meeting)
    assert decision.measure == measure and decision.is_followed


def test_decision_errors_come_back_in_the_fragment(client, coordinator, condom):
    client.force_login(coordinator)
    meeting = MeetingFactory(body=condom)
    response = client.post(
        reverse("governance:decision_create", args=[meeting.pk]),
        {"text": "x", "is_followed": "on"},
        **HTMX,
    )
    assert "Indiquez qui est responsable du suivi de cette décision." in response.content.decode()
    assert not Decision.objects.exists()


def test_decision_without_htmx(client, coordinator, condom):
    client.force_login(coordinator)
    meeting = MeetingFactory(body=condom)
    assert (
        client.post(
            reverse("governance:decision_create", args=[meeting.pk]), {"text": "Une décision"}
        ).url
        == meeting.get_absolute_url()
    )
    decision = Decision.objects.get()
    url = reverse("governance:decision_edit", args=[decision.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"text": "Décision corrigée", "version": decision.version})
    decision.refresh_from_db()
    assert decision.text == "Décision corrigée"


def test_owner_updates_the_status_with_htmx(client, demo, make_user, condom):
    owner = OrganisationFactory(department=demo["gers"])
    decision = DecisionFactory(
        meeting=MeetingFactory(body=condom),
        is_followed=True,
        owner=owner,
        due_date=date(2020, 1, 1),
    )
    client.force_login(make_user("pilot", demo["gers"], organisation=owner))
    prefix = f"d{decision.pk}"
    response = client.post(
        reverse("governance:decision_status", args=[decision.pk]),
        {
            f"{prefix}-status": FollowUpStatus.DONE,
            f"{prefix}-status_note": "Fait en juin",
            f"{prefix}-version": decision.version,
        },
        **HTMX,
    )
    content = response.content.decode()
    assert "État enregistré." in content and "Réalisé le" in content
    decision.refresh_from_db()
    assert decision.status == FollowUpStatus.DONE and decision.closed_on is not None


def test_invalid_status_shows_the_stored_one(client, prefect, condom):
    decision = DecisionFactory(
        meeting=MeetingFactory(body=condom), is_followed=True, owner_label="SPIP"
    )
    client.force_login(prefect)
    response = client.post(
        reverse("governance:decision_status", args=[decision.pk]),
        {f"d{decision.pk}-status": "bidon"},
        **HTMX,
    )
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert response.context["decision"].status == FollowUpStatus.OPEN


# --- calendar -------------------------------------------------------------------------------------


@pytest.fixture
def upcoming(demo, condom):
    today = timezone.localdate()
    return [
        MeetingFactory(
            body=condom,
            date=today + timedelta(days=20),
            title="Plénière de rentrée",
            location="Mairie de Condom",
        ),
        MeetingFactory(
            body=Body.objects.get(name__startswith="Réseau départemental"),
            date=today + timedelta(days=40),
            start_time=timezone.datetime(2000, 1, 1, 14, 30).time(),
            agenda="Échanges de bonnes pratiques",
        ),
    ]


def test_calendar_lists_upcoming_meetings(client, prefect, upcoming):
    client.force_login(prefect)
    content = client.get(reverse("governance:calendar", args=["32"])).content.decode()
    assert "Plénière de rentrée" in content
    assert "?cle=" in content


def test_ics_feed_parses_back_and_contains_upcoming_meetings(client, prefect, upcoming):
    client.force_login(prefect)
    response = client.get(reverse("governance:calendar_ics", args=["32"]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    events = {str(event["uid"]): event for event in calendar.walk("VEVENT")}
    first, second = upcoming
    assert set(events) >= {f"reunion-{first.pk}@vigie", f"reunion-{second.pk}@vigie"}
    event = events[f"reunion-{first.pk}@vigie"]
    assert str(event["summary"]) == "CLSPD de Condom — Plénière de rentrée"
    assert event.decoded("dtstart") == first.date
    assert str(event["location"]) == "Mairie de Condom"
    timed = events[f"reunion-{second.pk}@vigie"]
    start = timed.decoded("dtstart")
    assert (start.date(), start.hour, start.minute, str(start.tzinfo)) == (
        second.date,
        14,
        30,
        "Europe/Paris",
    )
    assert calendar.walk("VTIMEZONE"), "the time zone is described for calendar clients"
    # Old meetings (2018-2019 seed dates) stay out of the feed.
    assert all(
        e.decoded("dtstart") >= timezone.localdate() - timedelta(days=91)
        for e in events.values()
        if not hasattr(e.decoded("dtstart"), "hour")
    )


def test_ics_feed_with_a_personal_key(client, prefect, demo, upcoming):
    key = ics.subscription_key(prefect, demo["gers"])
    url = reverse("governance:calendar_ics", args=["32"])
    assert client.get(url, {"cle": key}).status_code == 200
    assert client.get(url, {"cle": key + "x"}).status_code == 404
    assert (
        client.get(reverse("governance:calendar_ics", args=["46"]), {"cle": key}).status_code == 404
    )
    assert client.get(url).status_code == 302  # anonymous without a key: log in
    prefect.is_active = False
    prefect.save()
    assert client.get(url, {"cle": key}).status_code == 404


# --- trackers -------------------------------------------------------------------------------------


def test_lot_video_tracker_page(client, demo, make_user):
    client.force_login(make_user("reader", demo["lot"]))
    response = client.get(reverse("governance:tracker", args=["46", "videoprotection"]))
    content = response.content.decode()
    short = content.split('id="short-of-target"', 1)[1].split("</ul>", 1)[0]
    for name in ("Cahors", "Figeac", "Gourdon", "Gramat", "Pradines", "Saint-Céré"):
        assert name in short
    assert "Souillac" not in short
    assert "134 caméras réparties sur 3 communes" in content
    assert "<svg" in content and 'data-code="46042"' in content
    assert "Modifier" not in content  # readers do not edit


def test_gers_video_tracker_shows_spellings_to_resolve(client, prefect):
    client.force_login(prefect)
    content = client.get(
        reverse("governance:tracker", args=["32", "videoprotection"])
    ).content.decode()
    unresolved = content.split('id="unresolved"', 1)[1].split("</ul>", 1)[0]
    assert "SAMATAN PANASSAC" in unresolved and "Panassac" in unresolved and "Samatan" in unresolved
    assert "À rapprocher" in content


def test_tracker_sorting_returns_the_table_fragment(client, prefect):
    client.force_login(prefect)
    response = client.get(
        reverse("governance:tracker", args=["32", "videoprotection"]),
        {"tri": "population"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="tracker-table",
    )
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="tracker-table">')
    assert content.index("Auch") < content.index("Condom")


def test_unknown_scheme_is_404(client, prefect):
    client.force_login(prefect)
    assert client.get(reverse("governance:tracker", args=["32", "inconnu"])).status_code == 404


def test_record_the_state_of_a_commune(client, prefect):
    client.force_login(prefect)
    url = reverse("governance:scheme_record_edit", args=["32", "videoprotection", "32296"])
    response = client.post(
        url,
        {
            "state": "en_place",
            "cameras": "8",
            "as_of": "2023-05-01",
            "source": "Mairie",
            "version": 1,  # ignored when the commune has no state yet
        },
    )
    assert response.url == reverse("governance:tracker", args=["32", "videoprotection"])
    record = SchemeRecord.objects.get(commune__code="32296", scheme="videoprotection")
    assert (record.state, record.cameras) == ("en_place", 8)
    bad = client.post(url, {"state": "en_place", "cameras": "-3", "as_of": ""})
    assert "as_of" in bad.context["form"].errors and "cameras" in bad.context["form"].errors


def test_coverage_cannot_be_edited_by_hand(client, prefect):
    client.force_login(prefect)
    assert (
        client.get(
            reverse("governance:scheme_record_edit", args=["32", "clspd", "32296"])
        ).status_code
        == 404
    )


def test_resolve_samatan_panassac(client, prefect):
    client.force_login(prefect)
    pending = SchemeRecord.objects.get(source_label="SAMATAN PANASSAC")
    url = reverse("governance:scheme_record_resolve", args=[pending.pk])
    form = client.get(url).context["form"]
    assert len(form.initial["communes"]) == 2
    assert client.post(url, {}).context["form"].errors["communes"] == [
        "Choisissez au moins une commune."
    ]
    samatan = Commune.objects.get(name="Samatan")
    client.post(url, {"communes": [samatan.pk]})
    assert SchemeRecord.objects.get(commune=samatan).state == "diagnostic"
    assert client.get(url).status_code == 404


def test_set_and_delete_a_target(client, prefect, demo):
    client.force_login(prefect)
    url = reverse("governance:target_edit", args=["32", "videoprotection"])
    bad = client.post(url, {"min_population": "-1", "level": "engagee"})
    assert "min_population" in bad.context["form"].errors
    client.post(url, {"min_population": "3000", "level": "en_place", "deadline": "2024-12-31"})
    target = SchemeTarget.objects.get(department=demo["gers"], scheme="videoprotection")
    assert target.min_population == 3000
    client.post(url, {"supprimer": "1", "version": target.version})
    assert not SchemeTarget.objects.filter(pk=target.pk).exists()


def test_a_duplicate_body_name_is_refused_in_french(client, prefect, condom):
    client.force_login(prefect)
    response = client.post(
        reverse("governance:body_create", args=["32"]),
        {
            "kind": "clspd",
            "name": "CLSPD de Condom",
            "cadence": "annuelle",
            "commune": condom.commune_id,
        },
    )
    assert response.status_code == 200
    [error] = response.context["form"].non_field_errors()
    assert "existe déjà" in error
    assert Body.objects.filter(name="CLSPD de Condom").count() == 1
