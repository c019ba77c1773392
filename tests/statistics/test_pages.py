import csv
import io
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.statistics.conftest import CAHORS_2024
from tests.statistics.helpers import DEPARTMENTAL_HEADER, dep_row, write
from vigie.statistics import pages
from vigie.statistics.pages.common import WITHHELD_TEXT
from vigie.statistics.services import import_ssmsi_file

NNBSP = "\u202f"


@pytest.mark.django_db
def test_department_page_shows_key_indicators_trends_and_plan_figures(
    client, subset_data, django_assert_max_num_queries
):
    url = reverse("statistics:department", args=["46"])
    with django_assert_max_num_queries(16):
        client.get(url)  # builds the SSMSI part and puts it in the cache
    with django_assert_max_num_queries(7):
        response = client.get(url)  # the SSMSI part from the cache
    assert response.status_code == 200
    # What the page shows, as data (the page itself receives the SSMSI part rendered; the export, as data).
    context = pages.build_department("46", {})
    assert context["years"] == list(range(2016, 2025))
    cards = {card["indicator"].name: card for card in context["cards"]}
    assert len(cards) == 17
    cbv = cards["Coups et blessures volontaires"]
    assert cbv["count"] == "648" and cbv["unit"] == "victimes"
    assert cbv["trend"]["direction"] == "up" and cbv["trend"]["text"] == f"+11,3{NNBSP}%"
    assert cbv["rate"] == f"3,69{NNBSP}‰"
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in str(cbv["chart"]) and 'role="img"' in str(
        cbv["chart"]
    )
    key = {row[0].text: [c.text for c in row] for row in context["key_table"].rows}
    # Region and France are computed from the departments of the edition (here, the four imported ones).
    assert key["Coups et blessures volontaires"][1:4] == ["582", "648", f"+11,34{NNBSP}%"]
    assert context["key_table"].columns[4:7] == [
        "Taux Lot",
        "Taux Occitanie (calculé)",
        "Taux France (calculé)",
    ]
    assert context["key_table"].rows[0][0].note == "victimes"
    assert "France et région calculées par Vigie" in context["key_table"].source
    counts = {row[0].text: [c.text for c in row[2:]] for row in context["counts_table"].rows}
    assert counts["Coups et blessures volontaires"] == [
        "317",
        "369",
        "392",
        "414",
        "462",
        "483",
        "566",
        "582",
        "648",
    ]
    captions = [table.caption for table in context["plan_tables"]]
    assert any("France entière et Lot, 2016-2019" in caption for caption in captions)
    content = response.content.decode()
    assert "Base SSMSI, édition du 26 janvier 2025 (géographie 2024)" in content
    assert (
        "Source : Plan départemental de prévention de la délinquance du Lot 2020-2024, signé à Cahors le 5 février 2021."
        in content
    )


@pytest.mark.django_db
def test_burglary_rate_is_per_thousand_dwellings(client, subset_data):
    response = client.get(reverse("statistics:indicator", args=["46", "cambriolages-de-logement"]))
    rows = {row[0].text: [c.text for c in row] for row in response.context["series_table"].rows}
    assert rows["2019"][3] == f"119{NNBSP}499 (2019)"
    assert rows["2019"][4] == f"4,65{NNBSP}‰"
    assert response.context["base_label"] == "pour 1 000 logements"
    assert "Logements (millésime)" in response.context["series_table"].columns


@pytest.mark.django_db
def test_indicator_page_series_region_france_rank(
    client, subset_data, django_assert_max_num_queries
):
    with django_assert_max_num_queries(16):
        response = client.get(
            reverse("statistics:indicator", args=["46", "coups-et-blessures-volontaires"])
        )
    context = response.context
    rows = {row[0].text: [c.text for c in row] for row in context["series_table"].rows}
    assert rows["2019"][1:5] == ["414", f"+5,61{NNBSP}%", f"174{NNBSP}094 (2019)", f"2,38{NNBSP}‰"]
    assert rows["2016"][2] == "—"
    assert rows["2024"][7].endswith(" sur 4")  # among the four departments imported
    assert context["evolution_text"].startswith(f"+104,42{NNBSP}% entre 2016 et 2024")
    content = response.content.decode()
    assert "Définition" in content and "Unité de compte : victimes." in content
    assert 'aria-labelledby="chart-serie-title chart-serie-desc"' in content
    # The plan's own figures for the same indicator, labelled with their source.
    assert [t.caption for t in context["plan_tables"]]


@pytest.mark.django_db
def test_compare_page_several_departments(client, subset_data, django_assert_max_num_queries):
    url = (
        reverse("statistics:compare")
        + "?departements=46&departements=32&indicateur=cambriolages-de-logement"
    )
    with django_assert_max_num_queries(16):
        response = client.get(url)
    table = response.context["comparison_table"]
    assert table.columns == ["Année", "Lot (46)", "Gers (32)", "France (calculé)"]
    assert len(table.rows) == 9
    counts = client.get(url + "&mesure=nombre").context["comparison_table"]
    assert [c.text for c in counts.rows[3]] == ["2019", "556", counts.rows[3][2].text]
    evolution = response.context["evolution_table"]
    assert evolution.rows[0][0].text == "Lot (46)"


@pytest.mark.django_db
def test_compare_page_draws_the_last_year_rates_as_bars(client, subset_data):
    url = (
        reverse("statistics:compare")
        + "?departements=46&departements=32&indicateur=cambriolages-de-logement"
    )
    response = client.get(url)
    content = response.content.decode()
    start = content.index(
        '<svg xmlns="http://www.w3.org/2000/svg" class="vigie-chart vigie-chart--bars"'
    )
    svg = content[start : content.index("</svg>", start) + len("</svg>")]
    assert (
        '<title id="chart-compare-latest-title">Cambriolages de logement : taux pour 1 000 logements '
        "en 2024, Lot (46), Gers (32), France (calculé)</title>"
    ) in svg
    # One bar per territory, its figure written as in the table's last row (the chart's data table).
    last_row = [cell.text for cell in response.context["comparison_table"].rows[-1]]
    assert last_row == ["2024", f"4,59{NNBSP}‰", f"7,29{NNBSP}‰", f"7,03{NNBSP}‰"]
    assert svg.count('class="vigie-bar"') == 3
    for label, text in zip(
        ["Lot (46)", "Gers (32)", "France (calculé)"], last_row[1:], strict=True
    ):
        assert f"<title>{label} : {text}</title>" in svg
        assert f">{text}</text>" in svg
    assert content.index(svg) < content.index("<table")  # the table follows the chart


@pytest.mark.django_db
def test_compare_page_without_choice_and_unknown_pages(client, subset_data):
    assert client.get(reverse("statistics:compare")).status_code == 200
    assert client.get(reverse("statistics:department", args=["99"])).status_code == 404
    assert client.get(reverse("statistics:indicator", args=["46", "inconnu"])).status_code == 404
    assert (
        client.get(reverse("statistics:export", args=["inconnu", "csv"]) + "?code=46").status_code
        == 404
    )
    assert (
        client.get(
            reverse("statistics:export", args=["departement", "pdf"]) + "?code=46"
        ).status_code
        == 404
    )
    assert client.get(reverse("statistics:export", args=["departement", "csv"])).status_code == 404


@pytest.mark.django_db
def test_edition_selector_never_mixes_editions(client, subset_data, tmp_path):
    newer = write(
        tmp_path / "donnee-dep-data.gouv-2025-geographie2025-produit-le2026-01-30.csv",
        DEPARTMENTAL_HEADER,
        [
            dep_row("46", year, "Coups et blessures volontaires", "Victime", 1000 + year)
            for year in range(2017, 2026)
        ],
    )
    newer_batch = import_ssmsi_file(acting_user=None, path=newer, partial=True)
    response = client.get(reverse("statistics:department", args=["46"]))
    assert response.context["edition"] == newer_batch.edition  # newest first
    content = response.content.decode()
    assert (
        "édition du 30 janvier 2026" in content and "Nombres enregistrés, Lot, 2017-2025" in content
    )
    older = client.get(
        reverse("statistics:department", args=["46"]) + f"?edition={subset_data.edition.pk}"
    )
    content = older.content.decode()
    assert (
        "édition du 26 janvier 2025" in content and "Nombres enregistrés, Lot, 2016-2024" in content
    )


def _cbv_file(path, latest_count):
    rows = [
        dep_row("46", year, "Coups et blessures volontaires", "Victime", 1000 + year)
        for year in range(2017, 2025)
    ]
    rows.append(dep_row("46", 2025, "Coups et blessures volontaires", "Victime", latest_count))
    return write(
        path / "donnee-dep-data.gouv-2025-geographie2025-produit-le2026-01-30.csv",
        DEPARTMENTAL_HEADER,
        rows,
    )


@pytest.mark.django_db
def test_department_page_is_never_stale_after_an_import_into_its_edition(
    client, subset_data, tmp_path
):
    """The SSMSI part of the page is cached per version of the edition: a corrected file imported into the
    same edition shows at once, and the other department's page keeps its own figures."""
    url = reverse("statistics:department", args=["46"])
    first = import_ssmsi_file(acting_user=None, path=_cbv_file(tmp_path, 3025), partial=True)
    assert f"3{NNBSP}025" in client.get(url).content.decode()
    assert f"3{NNBSP}025" in client.get(url).content.decode()  # from the cache
    second = import_ssmsi_file(acting_user=None, path=_cbv_file(tmp_path, 4321), partial=True)
    assert second.edition == first.edition and second.pk != first.pk
    response = client.get(url)
    cards = {card["indicator"].name: card for card in pages.build_department("46", {})["cards"]}
    assert cards["Coups et blessures volontaires"]["count"] == f"4{NNBSP}321"
    content = response.content.decode()
    assert f"4{NNBSP}321" in content and f"3{NNBSP}025" not in content
    gers = client.get(
        reverse("statistics:department", args=["32"]) + f"?edition={first.edition.pk}"
    )
    assert gers.status_code == 200 and "Aucune série de la base SSMSI" in gers.content.decode()


@pytest.mark.django_db
def test_department_exports_hold_what_is_shown_with_source(client, subset_data):
    base = reverse("statistics:export", args=["departement", "csv"]) + "?code=46"
    response = client.get(base)
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header = next(r for r in rows if r[:2] == ["Indicateur", "Unité de compte"])
    assert header[-1] == "Source et édition"
    cbv = next(r for r in rows if r[:2] == ["Coups et blessures volontaires", "victimes"])
    assert cbv[2:11] == ["317", "369", "392", "414", "462", "483", "566", "582", "648"]
    assert "édition du 26 janvier 2025" in cbv[-1]

    xlsx = client.get(reverse("statistics:export", args=["departement", "xlsx"]) + "?code=46")
    workbook = load_workbook(io.BytesIO(xlsx.content))
    assert any("Nombres enregistrés" in name for name in workbook.sheetnames)
    ods = client.get(reverse("statistics:export", args=["departement", "ods"]) + "?code=46")
    assert ods["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    with zipfile.ZipFile(io.BytesIO(ods.content)) as archive:
        content = archive.read("content.xml").decode()
    assert "Coups et blessures volontaires" in content and "édition du 26 janvier 2025" in content


@pytest.mark.django_db
def test_plan_comparison_queries_are_bounded(client, subset_data, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        response = client.get(reverse("statistics:plan_comparison", args=["46"]))
    assert len(response.context["checks_table"].rows) == 38


@pytest.mark.django_db
def test_plan_comparison_export(client, subset_data):
    response = client.get(reverse("statistics:export", args=["plan", "csv"]) + "?code=46")
    text = response.content.decode("utf-8-sig")
    assert (
        "Coups et blessures volontaires;Coups et blessures volontaires;Lot;2019;421;414;-7" in text
    )


# -------------------------------------------------------------------------------------- communes


def _commune_rows(table):
    return {row[0].text: [c.text for c in row] for row in table.rows}


@pytest.mark.django_db
def test_withheld_commune_is_never_shown_as_a_number_and_its_epci_is_estimated(
    client, communal_data, django_assert_max_num_queries
):
    url = (
        reverse("statistics:communes", args=["46"])
        + "?indicateur=cambriolages-de-logement&annee=2024"
    )
    with django_assert_max_num_queries(14):
        response = client.get(url)
    communes = _commune_rows(response.context["commune_table"])
    assert communes["Albas"][3:] == [WITHHELD_TEXT, WITHHELD_TEXT]
    assert communes["Cahors"][3] == str(CAHORS_2024)
    assert communes["Albiac"][3] == "0"
    epcis = _commune_rows(response.context["epci_table"])
    grand_cahors = epcis["CA du Grand Cahors"]
    assert grand_cahors[2] == f"≈ {CAHORS_2024 + 1} (estimation)"
    assert grand_cahors[3].startswith("estimation (1 commune non diffusée")
    assert epcis["CC Causse de Labastide-Murat"][2:4] == ["3", "exact"]
    content = response.content.decode()
    assert WITHHELD_TEXT in content
    for leak in ("1,43", "1,428", "1.43", "2,1"):
        assert leak not in content
    # The department page does not show communes; it links to them.
    assert (
        reverse("statistics:communes", args=["46"])
        in client.get(reverse("statistics:department", args=["46"])).content.decode()
    )


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods"])
def test_withheld_commune_in_every_export(client, communal_data, fmt):
    response = client.get(
        reverse("statistics:export", args=["communes", fmt])
        + "?code=46&indicateur=cambriolages-de-logement&annee=2024"
    )
    assert response.status_code == 200
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    elif fmt == "xlsx":
        workbook = load_workbook(io.BytesIO(response.content))
        rows = [
            [("" if v is None else v) for v in row]
            for sheet in workbook
            for row in sheet.iter_rows(values_only=True)
        ]
    else:
        from odf.opendocument import load
        from odf.table import TableCell, TableRow

        document = load(io.BytesIO(response.content))
        rows = [
            [str(cell) for cell in row.getElementsByType(TableCell)]
            for row in document.getElementsByType(TableRow)
        ]
    albas = next(r for r in rows if r and r[0] == "Albas")
    assert albas[3] == WITHHELD_TEXT and albas[4] == WITHHELD_TEXT
    grand_cahors = next(r for r in rows if r and r[0] == "CA du Grand Cahors")
    assert str(grand_cahors[3]).startswith("estimation")
    flat = " ".join(str(v) for r in rows for v in r)
    assert "1,4285714" not in flat and "1.4285714" not in flat and "1,43" not in flat


@pytest.mark.django_db
def test_aggregate_is_incomplete_without_imputed_value():
    from vigie.statistics.selectors import Point, aggregate_points

    assert (
        aggregate_points([Point(value=Decimal(2)), Point(value=None, is_withheld=True)]).complete
        is False
    )
    estimate = aggregate_points(
        [Point(value=Decimal(2)), Point(value=None, is_withheld=True, imputed_value=Decimal("1.5"))]
    )
    assert (estimate.value, estimate.estimated, estimate.complete) == (Decimal("3.5"), True, True)
    assert aggregate_points([Point(value=Decimal(2)), None]).complete is False
