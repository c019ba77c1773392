"""End-to-end: each statistics page in Chromium, doing what a person does, with an accessibility check."""

import re

import pytest

from tests.statistics.helpers import DEPARTMENTAL_HEADER, dep_row, write
from vigie.statistics.models import Observation
from vigie.statistics.pages.common import WITHHELD_TEXT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_index_leads_to_the_lot_page(page, live_server, subset_data, assert_accessible):
    page.goto(f"{live_server.url}/statistiques/")
    assert (
        page.get_by_role("heading", level=1).inner_text()
        == "Statistiques de la délinquance enregistrée"
    )
    assert_accessible(page)
    page.get_by_role("link", name="Lot (46)").click()
    assert (
        page.get_by_role("heading", level=1).inner_text()
        == "Statistiques de la délinquance — Lot (46)"
    )


def test_department_page_reads_figures(page, live_server, subset_data, assert_accessible):
    page.goto(f"{live_server.url}/statistiques/46/")
    assert (
        "Base SSMSI, édition du 26 janvier 2025 (géographie 2024)"
        in page.locator("#edition-shown").inner_text()
    )
    card = page.locator(
        ".vigie-stat-card",
        has=page.get_by_role("link", name="Coups et blessures volontaires", exact=True),
    )
    assert "648 victimes en 2024" in card.inner_text()
    assert "en hausse : +11,3" in card.inner_text()
    assert card.get_by_role("img").count() == 1
    counts = page.get_by_role("table", name=re.compile("Nombres enregistrés, Lot, 2016-2024"))
    row = counts.get_by_role("row", name=re.compile("^Coups et blessures volontaires victimes"))
    assert row.get_by_role("cell").all_inner_texts()[-1] == "648"
    plan = page.get_by_role("table", name=re.compile("France entière et Lot, 2016-2019"))
    assert plan.is_visible()
    assert_accessible(page)
    card.get_by_role("link", name="Coups et blessures volontaires").click()
    assert (
        page.get_by_role("heading", level=1).inner_text()
        == "Coups et blessures volontaires — Lot (46)"
    )


def test_indicator_page(page, live_server, subset_data, assert_accessible):
    page.goto(f"{live_server.url}/statistiques/46/indicateurs/cambriolages-de-logement/")
    assert (
        "Unité de compte : infractions. Taux pour 1 000 logements."
        in page.locator(".fr-callout").inner_text()
    )
    chart = page.get_by_role(
        "img", name=re.compile("Cambriolages de logement : taux pour 1 000 logements")
    )
    assert chart.is_visible()
    table = page.get_by_role(
        "table", name=re.compile("Cambriolages de logement, Lot : série 2016-2024")
    )
    assert "4,65" in table.get_by_role("row", name=re.compile("^2019")).inner_text()
    assert_accessible(page)


def test_compare_page(page, live_server, subset_data, assert_accessible):
    page.goto(f"{live_server.url}/statistiques/comparer/")
    page.get_by_label("Départements").select_option(["32", "46"])
    page.get_by_label("Indicateur").select_option(label="Violences sexuelles")
    page.locator("label[for=mesure-nombre]").click()
    page.get_by_role("button", name="Comparer").click()
    table = page.get_by_role("table", name=re.compile("Violences sexuelles : nombre"))
    assert table.get_by_role("columnheader").all_inner_texts()[:3] == [
        "Année",
        "Gers (32)",
        "Lot (46)",
    ]
    assert (
        table.get_by_role("row", name=re.compile("^2019")).get_by_role("cell").all_inner_texts()[-1]
        == "185"
    )
    latest = (
        table.get_by_role("row", name=re.compile("^2024")).get_by_role("cell").all_inner_texts()
    )
    bars = page.get_by_role("img", name=re.compile(r"^Violences sexuelles : nombre en 2024, Gers"))
    assert bars.is_visible()
    assert [f"Gers (32) : {latest[0]}", f"Lot (46) : {latest[1]}"] == bars.locator(
        "g title"
    ).all_text_contents()
    assert_accessible(page)
    page.locator("label[for=mesure-taux]").click()
    page.get_by_role("button", name="Comparer").click()
    rates = page.get_by_role(
        "img", name=re.compile(r"^Violences sexuelles : taux pour 1 000 habitants en 2024")
    )
    table = page.get_by_role("table", name=re.compile("Violences sexuelles : taux"))
    france = (
        table.get_by_role("row", name=re.compile("^2024")).get_by_role("cell").all_inner_texts()[-1]
    )
    assert f"France (calculé) : {france}" in rates.locator("g title").all_text_contents()
    assert_accessible(page)


def test_plan_comparison_page(page, live_server, subset_data, assert_accessible):
    page.goto(f"{live_server.url}/statistiques/46/plan/")
    table = page.get_by_role("table", name=re.compile("Chiffres du plan et de la base SSMSI"))
    row = table.get_by_role(
        "row",
        name=re.compile(r"^Coups et blessures volontaires Coups et blessures volontaires Lot 2019"),
    )
    assert row.get_by_role("cell").all_inner_texts()[3:6] == ["421", "414", "−7"]
    checks = page.get_by_role("table", name=re.compile("Chiffres calculés par le plan"))
    assert (
        "conforme"
        in checks.get_by_role(
            "row", name=re.compile("^Coups et blessures volontaires, Lot, 2018 → 2019")
        ).inner_text()
    )
    assert_accessible(page)
    page.goto(f"{live_server.url}/statistiques/32/plan/")
    checks = page.get_by_role("table", name=re.compile("Chiffres calculés par le plan"))
    assert (
        "écart : le calcul donne +15,85"
        in checks.get_by_role("row", name=re.compile("^Violences conjugales")).inner_text()
    )


def test_communes_page_never_shows_a_withheld_cell(
    page, live_server, communal_data, assert_accessible
):
    page.goto(f"{live_server.url}/statistiques/46/communes/")
    communes = page.get_by_role("table", name=re.compile("par commune"))
    albas = communes.get_by_role("row", name=re.compile("^Albas"))
    assert albas.get_by_role("cell").all_inner_texts()[2:] == [WITHHELD_TEXT, WITHHELD_TEXT]
    epci = page.get_by_role("table", name=re.compile("par intercommunalité"))
    assert (
        "(estimation)"
        in epci.get_by_role("row", name=re.compile("^CA du Grand Cahors")).inner_text()
    )
    assert_accessible(page)


def test_upload_with_a_bad_cell_shows_the_located_error(
    page, live_server, login, make_user, occitanie, tmp_path, assert_accessible
):
    agent = make_user("prefecture", occitanie["gers"])
    login(agent)
    path = write(
        tmp_path / "donnee-dep-data.gouv-2024-geographie2024-produit-le2025-01-26.csv",
        DEPARTMENTAL_HEADER,
        [
            dep_row("46", 2019, "Homicides", "Victime", 0),
            dep_row("46", 2020, "Homicides", "Victime", "douze"),
        ],
    )
    page.goto(f"{live_server.url}/statistiques/")
    page.get_by_role("link", name="Importer une base SSMSI").click()
    page.locator("input[type=file]").set_input_files(str(path))
    page.get_by_role("button", name="Importer").click()
    error = page.locator("#id_file-desc-error")
    assert (
        "Ligne 3, colonne « nombre » : « douze » n'est pas un nombre entier positif"
        in error.inner_text()
    )
    assert "Rien n'a été importé" in error.inner_text()
    assert not Observation.objects.exists()
    assert_accessible(page)


def test_council_territory_from_the_body_page(
    page, live_server, login, make_user, occitanie, tmp_path, assert_accessible
):
    from tests.factories import CommuneFactory, EpciFactory
    from tests.governance.factories import BodyFactory
    from tests.statistics.helpers import COMMUNAL_HEADER, communal_row
    from vigie.governance.enums import BodyKind
    from vigie.statistics.services import import_ssmsi_file

    lot = occitanie["lot"]
    epci = EpciFactory(code="200023737", name="CA du Grand Cahors", kind="CA")
    CommuneFactory(code="46042", name="Cahors", department=lot, epci=epci)
    CommuneFactory(code="46001", name="Albas", department=lot, epci=epci)
    rows = []
    for year, burglaries, assaults in ((2023, 110, 300), (2024, 120, 330)):
        for indicator, unit, count in (
            ("Cambriolages de logement", "Infraction", burglaries),
            ("Coups et blessures volontaires", "Victime", assaults),
        ):
            rows += [
                communal_row("46042", year, indicator, unit, count, pop=19878, log=12000),
                communal_row(
                    "46001", year, indicator, unit, "NA", diffused=False, imputed="1,4285714"
                ),
            ]
    import_ssmsi_file(
        acting_user=None,
        path=write(
            tmp_path / "donnee-comm-data.gouv-2024-geographie2024-produit-le2025-01-26.csv",
            COMMUNAL_HEADER,
            rows,
        ),
        partial=True,
    )
    body = BodyFactory(department=lot, kind=BodyKind.CISPD, epci=epci, name="CISPD du Grand Cahors")
    login(make_user("reader", lot))
    page.goto(f"{live_server.url}{body.get_absolute_url()}")
    page.get_by_role("link", name="Statistiques de délinquance du territoire").click()
    assert (
        page.get_by_role("heading", level=1).inner_text()
        == "Statistiques de délinquance du territoire — CISPD du Grand Cahors"
    )
    assert_accessible(page)
    page.get_by_label("Indicateur", exact=True).select_option(
        label="Coups et blessures volontaires"
    )
    page.get_by_role("button", name="Afficher", exact=True).click()
    page.wait_for_load_state("networkidle")
    chart = page.get_by_role("img", name=re.compile("^Coups et blessures volontaires : taux"))
    assert chart.is_visible()
    series = page.get_by_role(
        "table", name="Coups et blessures volontaires, CA du Grand Cahors : série 2023-2024"
    )
    cells = series.get_by_role("row", name=re.compile("^2024")).get_by_role("cell")
    # 330 + the value imputed to Albas (1.43), shown only as a rounded estimate.
    assert cells.all_inner_texts()[:2] == ["≈ 331 (estimation)", "≈ +9,95\u202f% (estimation)"]
    communes = page.get_by_role("table", name=re.compile("par commune"))
    albas = communes.get_by_role("row", name=re.compile("^Albas"))
    assert albas.get_by_role("cell").all_inner_texts()[1:] == [WITHHELD_TEXT, WITHHELD_TEXT]
    assert "1,43" not in page.content()
    assert_accessible(page)
