"""Texts and generated reviews: services, audit, frozen files, forms, and what a review holds."""

import hashlib
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from vigie.audit.models import AuditEntry
from vigie.indicators.models import Campaign, IndicatorValue
from vigie.plans import services as plan_services
from vigie.reviews import document, perms, services
from vigie.reviews.models import Review, ReviewText
from vigie.reviews.params import ReviewParams

pytestmark = pytest.mark.django_db


def _html(params) -> str:
    return services.render(params, "html").decode()


def test_texts_are_saved_audited_and_edited_in_place(make_user, small):
    prefecture = make_user("prefecture", small["gers"])
    plan, axis = small["plan"], small["axis"]
    services.save_review_text(acting_user=prefecture, plan=plan, body="Une année utile.")
    services.save_review_text(acting_user=prefecture, plan=plan, axis=axis, body="Axe suivi.")
    services.save_review_text(acting_user=prefecture, plan=plan, axis=axis, body="Axe revu.")
    assert ReviewText.objects.count() == 2
    assert ReviewText.objects.get(axis=axis).body == "Axe revu."
    entries = AuditEntry.objects.filter(object_repr__contains="bilans").order_by("pk")
    assert [e.action for e in entries] == ["create", "create", "update"]
    assert entries.last().changes["body"] == {
        "label": "texte",
        "old": "Axe suivi.",
        "new": "Axe revu.",
    }
    html = _html(ReviewParams.for_year(plan, 2024))
    assert "Une année utile." in html and "Axe revu." in html


def test_an_axis_of_another_plan_or_a_too_long_text_is_refused(make_user, small):
    from tests.factories import AxisFactory

    prefecture = make_user("prefecture", small["gers"])
    other = AxisFactory(number="9")
    with pytest.raises(ValidationError):
        services.save_review_text(acting_user=prefecture, plan=small["plan"], axis=other, body="x")
    with pytest.raises(ValidationError):
        services.save_review_text(acting_user=prefecture, plan=small["plan"], body="x" * 20001)
    assert not ReviewText.objects.exists()


def test_generation_stores_a_frozen_file_with_its_checksum_and_again_makes_a_new_one(
    make_user, small
):
    prefecture = make_user("prefecture", small["gers"])
    params = ReviewParams.for_year(small["plan"], 2024)
    first = services.generate_review(acting_user=prefecture, params=params, output_format="html")
    second = services.generate_review(acting_user=prefecture, params=params, output_format="html")
    assert first.pk != second.pk and Review.objects.count() == 2
    content = first.file.open("rb").read()
    assert hashlib.sha256(content).hexdigest() == first.sha256 and first.size == len(content)
    assert first.created_by == prefecture and first.parameters["date_to"] == "2024-12-31"
    assert first.filename == "bilan-32-2024-01-01-2024-12-31.html"
    assert AuditEntry.objects.filter(action="create", object_repr=first.title).count() == 2


def test_the_review_holds_measures_indicators_late_actions_and_changes(make_user, small):
    prefecture = make_user("prefecture", small["gers"])
    indicator = small["indicator"]
    campaign = Campaign.objects.create(
        plan=small["plan"],
        title="Bilans",
        period_start=date(2022, 1, 1),
        period_end=date(2025, 12, 31),
        deadline=date(2026, 3, 31),
    )
    for period, value in (("2022", 130), ("2023", 150), ("2025", 999)):
        IndicatorValue.objects.create(
            indicator=indicator,
            campaign=campaign,
            department=small["gers"],
            territory_key="D32",
            period=period,
            value=Decimal(value),
            status="validated",
        )
    action = small["m21"].actions.get()
    plan_services.change_action_status(acting_user=prefecture, action=action, status="done")
    today = timezone.localdate()
    recent = _html(ReviewParams(small["plan"], "annual", today - timedelta(days=3), today))
    assert "En cours → Réalisée" in recent
    assert "999 (2025)" in recent
    html = _html(ReviewParams.for_year(small["plan"], 2024))
    assert "Mesure 1.1 — Prévenir au plus tôt" in html and "Mesure 2.1" in html
    assert "Nombre d&#x27;interventions en milieu scolaire" in html
    assert "150 (2023)" in html and "200 (2024)" in html
    assert "999" not in html  # a value after the period is left out
    assert "En cours → Réalisée" not in html  # changed after the period
    assert "Ouvrir un point écoute" in html.split("Ce qui est en retard")[1]


def test_the_end_of_plan_review_tells_what_was_done_per_axis(small):
    html = _html(ReviewParams.for_whole_plan(small["plan"]))
    assert (
        "Bilan du plan départemental" in html and "du 1er janvier 2021 au 31 décembre 2024" in html
    )
    assert "Ce qui a été fait" in html and "Former les référents" in html
    assert "Ce que montrent les indicateurs" in html


def test_sections_come_in_order_and_the_table_of_contents_lists_them(small):
    doc = document.assemble(ReviewParams.for_year(small["plan"], 2024))
    assert [s.key for s in doc.sections] == [
        "chiffres-cles",
        "axes",
        "statistiques",
        "gouvernance",
        "retards",
    ]
    titles = [entry.title for entry in doc.toc]
    assert "Axe 1 — Les jeunes" in titles and "Ce qui est en retard" in titles


def test_reversed_dates_are_refused(small):
    with pytest.raises(ValidationError):
        ReviewParams(small["plan"], "annual", date(2024, 5, 1), date(2024, 4, 1))


def test_generate_form_errors_are_shown_beside_the_fields(client, make_user, small):
    client.force_login(make_user("prefecture", small["gers"]))
    url = reverse("reviews:generate", args=[small["plan"].pk])
    response = client.post(url, {"kind": "annual", "year": "", "output_format": "pdf"})
    assert response.status_code == 200
    assert "Indiquez une date, ou choisissez une année." in response.content.decode()
    response = client.post(
        url,
        {
            "kind": "annual",
            "year": "",
            "date_from": "2024-05-01",
            "date_to": "2024-04-01",
            "output_format": "pdf",
        },
    )
    assert "La fin de la période doit suivre son début." in response.content.decode()
    assert not Review.objects.exists()


def test_the_page_saves_texts_and_generates(client, make_user, small):
    client.force_login(make_user("prefecture", small["gers"]))
    plan = small["plan"]
    response = client.post(
        reverse("reviews:texts", args=[plan.pk]),
        {"introduction": "Introduction 2024", f"axe_{small['axis'].pk}": "Bon axe"},
    )
    assert response.status_code == 302
    assert ReviewText.objects.count() == 2
    response = client.post(
        reverse("reviews:generate", args=[plan.pk]),
        {"kind": "annual", "year": "2024", "output_format": "html"},
    )
    review = Review.objects.get()
    page = client.get(reverse("reviews:plan", args=[plan.pk])).content.decode()
    assert review.sha256 in page
    download = client.get(reverse("reviews:download", args=[review.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert b"Introduction 2024" in b"".join(download.streaming_content)
    plan_page = client.get(plan.get_absolute_url()).content.decode()
    assert "Bilans du plan" in plan_page and review.sha256 in plan_page


def test_plan_page_lists_no_review_to_visitors(client, small, stored_review):
    page = client.get(small["plan"].get_absolute_url()).content.decode()
    assert "Bilans du plan" not in page


@pytest.mark.parametrize(
    ("role", "same", "view", "write"),
    [
        ("admin", True, True, True),
        ("prefecture", True, True, True),
        ("reader", True, True, False),
        ("pilot", True, True, False),
        ("partner", True, True, False),
        ("coordinator", True, True, False),
        ("prefecture", False, False, False),
        ("reader", False, False, False),
        ("anonymous", True, False, False),
    ],
)
def test_perms(make_user, small, role, same, view, write):
    user = make_user(role, small["gers"] if same else small["lot"])
    assert perms.can_view_reviews(user, small["plan"]) is view
    assert perms.can_write_reviews(user, small["plan"]) is write


def _stored_files() -> set[str]:
    from vigie.reviews.models import review_storage

    storage = review_storage()
    if not storage.exists("reviews"):
        return set()
    folders = storage.listdir("reviews")[0]
    return {
        f"{folder}/{name}" for folder in folders for name in storage.listdir(f"reviews/{folder}")[1]
    }


def test_a_failed_write_leaves_no_file(make_user, small, monkeypatch):
    def fail(**kwargs):
        raise RuntimeError("audit down")

    before = _stored_files()
    monkeypatch.setattr(services.audit, "record_create", fail)
    with pytest.raises(RuntimeError):
        services._store(
            acting_user=make_user("prefecture", small["gers"]),
            params=ReviewParams.for_year(small["plan"], 2024),
            output_format="html",
            content=b"<p>x</p>",
        )
    assert not Review.objects.exists()
    assert _stored_files() == before


def test_required_meetings_follow_the_cadence():
    from vigie.reviews.sections.governance import months_in, required_meetings

    assert months_in(date(2024, 1, 1), date(2024, 12, 31)) == 12
    assert months_in(date(2021, 1, 1), date(2024, 12, 31)) == 48
    assert required_meetings("annuelle", 12) == 1
    assert required_meetings("semestrielle", 12) == 2
    assert required_meetings("mensuelle", 12) == 12
    assert required_meetings("annuelle", 48) == 4
    assert required_meetings("annuelle", 3) == 1
    assert required_meetings("aucune", 12) is None


def test_a_reader_sees_the_reviews_but_no_form(client, make_user, small, stored_review):
    client.force_login(make_user("reader", small["gers"]))
    page = client.get(reverse("reviews:plan", args=[small["plan"].pk])).content.decode()
    assert "Bilan annuel — télécharger" in page
    assert "Générer le bilan" not in page and "Enregistrer les textes" not in page


def test_actions_are_counted_in_the_state_they_had_at_the_end_of_the_period(make_user, small):
    from vigie.reviews.source import ReviewSource

    prefecture = make_user("prefecture", small["gers"])
    action = small["m21"].actions.get()
    plan_services.change_action_status(acting_user=prefecture, action=action, status="done")
    plan_services.change_action_status(acting_user=prefecture, action=action, status="paused")
    past = ReviewSource(ReviewParams.for_year(small["plan"], 2024))
    [then] = past.actions_by_measure[small["m21"].pk]
    assert then.status == "in_progress"
    assert past.action_counts_by_measure[small["m21"].pk].counts == {"in_progress": 1}
    today = timezone.localdate()
    now = ReviewSource(ReviewParams(small["plan"], "annual", today - timedelta(days=1), today))
    assert now.actions_by_measure[small["m21"].pk][0].status == "paused"
    action.refresh_from_db()
    assert action.status == "paused"  # nothing saved
    html = _html(ReviewParams.for_year(small["plan"], 2024))
    assert "1 action : en cours 1." in html and "réalisée 1, en pause" not in html


def test_text_versions_are_in_the_plan_history(client, make_user, small):
    prefecture = make_user("prefecture", small["gers"])
    plan = small["plan"]
    services.save_review_text(acting_user=prefecture, plan=plan, body="Première version")
    services.save_review_text(acting_user=prefecture, plan=plan, body="Seconde version")
    client.force_login(prefecture)
    page = client.get(reverse("plans:plan_history", args=[plan.pk])).content.decode()
    assert "Introduction des bilans du plan 2021-2024" in page
    assert "Première version" in page and "Seconde version" in page


def test_the_preview_shows_the_asked_period(client, make_user, small):
    client.force_login(make_user("reader", small["gers"]))
    url = reverse("reviews:preview", args=[small["plan"].pk])
    page = client.get(url + "?periode=2022").content.decode()
    assert "Bilan annuel 2022" in page and "Mesure 1.1 — Prévenir au plus tôt" in page
    page = client.get(url + "?periode=plan").content.decode()
    assert "Ce qui a été fait" in page
    page = client.get(url + "?periode=1999").content.decode()
    assert "Bilan annuel 2024" in page  # unknown: the plan's latest year that has begun
