"""Acceptance on the demo data (`manage.py load_demo`, loaded once for this module and rolled back after):
the Gers 2024 review, generated from the review page, holds every measure number, each indicator with its
value and target, the statistics page's SSMSI table with the same numbers, and the five local councils with
their last meeting; its ODT opens in LibreOffice.

LibreOffice may be missing on a developer's machine: the ODT test is then skipped, except when
VIGIE_REQUIRE_SOFFICE=1 (set by .ci/run), where a missing soffice is a failure.
"""

import os
import re
import shutil
import subprocess
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from pypdf import PdfReader

from vigie.core.formatting import MISSING_TEXT, french_date, number
from vigie.governance.enums import LOCAL_COUNCIL_KINDS
from vigie.governance.selectors import body_statuses
from vigie.plans.models import Measure, Plan
from vigie.reviews import services
from vigie.reviews.models import Review, ReviewText
from vigie.reviews.params import ReviewParams
from vigie.reviews.source import ReviewSource
from vigie.statistics.pages import build_department

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
REQUIRE_SOFFICE = os.environ.get("VIGIE_REQUIRE_SOFFICE") == "1"


@pytest.fixture(scope="module")
def gers_plan(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=StringIO())
        yield Plan.objects.select_related("department").get(department__code="32")
        transaction.set_rollback(True)


def normalized(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\xa0", " ")).strip()


def pdf_text(content: bytes) -> str:
    return normalized(" ".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages))


def _figure(value, period) -> str:
    if value is None:
        return MISSING_TEXT
    return f"{number(value)} ({period})" if period else number(value)


@pytest.mark.django_db
def test_the_gers_2024_review_pdf_holds_the_plan_its_figures_and_councils(
    client, make_user, gers_plan
):
    plan = gers_plan
    client.force_login(make_user("prefecture", plan.department))
    response = client.post(
        reverse("reviews:generate", args=[plan.pk]),
        {"kind": "annual", "year": "2024", "output_format": "pdf"},
    )
    assert response.status_code == 302
    review = Review.objects.get(plan=plan)
    assert review.file.open("rb").read(5) == b"%PDF-"
    text = pdf_text(review.file.open("rb").read())

    measures = list(Measure.objects.filter(axis__plan=plan))
    assert len(measures) == 15
    for measure in measures:
        assert f"Mesure {measure.number} — " in text, measure.number

    source = ReviewSource(ReviewParams.for_year(plan, 2024))
    assert len(source.indicators) > 10
    for item in source.indicators:
        indicator = item.indicator
        row = " ".join(
            [
                indicator.display_label,
                _figure(indicator.baseline_value, indicator.baseline_period),
                _figure(item.track.value, str(item.track.year or "")),
                _figure(indicator.target_value, indicator.target_period),
            ]
        )
        assert normalized(row) in text, row

    page = build_department(plan.department.code, {})
    assert len(page["key_table"].rows) > 10
    for table in (page["key_table"], page["counts_table"]):
        assert normalized(table.source) in text
        for row in table.rows:
            assert normalized(" ".join(cell.text for cell in row)) in text, row[0].text

    councils = [
        row
        for row in body_statuses(plan.department, review.date_to)
        if row.body.kind in LOCAL_COUNCIL_KINDS
    ]
    assert len(councils) == 5
    for row in councils:
        assert row.last_meeting is not None
        assert f"{row.body.name} 0 {french_date(row.last_meeting)}" in text, row.body.name

    assert "Sommaire" in text and re.search(r"Page \d+ sur \d+", text)


@pytest.mark.django_db
def test_the_gers_review_odt_opens_in_libreoffice(gers_plan, tmp_path):
    if SOFFICE is None:
        if REQUIRE_SOFFICE:
            pytest.fail("VIGIE_REQUIRE_SOFFICE=1 but LibreOffice (soffice) is not installed.")
        pytest.skip(
            "LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui"
        )
    content = services.render(ReviewParams.for_year(gers_plan, 2024), "odt")
    source = tmp_path / "bilan.odt"
    source.write_bytes(content)
    result = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        timeout=180,
        check=False,
    )
    converted = tmp_path / "bilan.pdf"
    assert result.returncode == 0 and converted.exists(), result.stderr.decode()
    text = pdf_text(converted.read_bytes())
    assert "Mesure 4.1 — " in text and "Indicateurs clés 2024" in text


@pytest.mark.django_db
def test_the_review_page_runs_a_bounded_number_of_queries(
    client, make_user, gers_plan, django_assert_max_num_queries
):
    prefecture = make_user("prefecture", gers_plan.department)
    for axis in gers_plan.axes.all():
        ReviewText.objects.create(plan=gers_plan, axis=axis, body="Commentaire")
    stored = services.render(ReviewParams.for_year(gers_plan, 2023), "html")
    for _ in range(30):
        services._store(
            acting_user=prefecture,
            params=ReviewParams.for_year(gers_plan, 2023),
            output_format="html",
            content=stored,
        )
    client.force_login(prefecture)
    url = reverse("reviews:plan", args=[gers_plan.pk])
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert response.status_code == 200 and response.content.decode().count("télécharger") == 30


@pytest.mark.django_db
def test_build_review_command_writes_the_file(gers_plan, tmp_path):
    output = tmp_path / "bilan.html"
    out = StringIO()
    call_command(
        "build_review",
        str(gers_plan.pk),
        "--year",
        "2024",
        "--format",
        "html",
        "--output",
        str(output),
        stdout=out,
    )
    html = output.read_text(encoding="utf-8")
    assert "Bilan annuel 2024" in html and "Mesure 4.1" in html
    assert not Review.objects.filter(plan=gers_plan).exists()  # the command stores nothing
