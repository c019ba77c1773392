"""Statistics of a local council's territory: a CLSPD's commune or a CISPD's EPCI communes (issue #5)."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import CommuneFactory, EpciFactory
from tests.governance.factories import BodyFactory, ClspdFactory
from tests.statistics.conftest import CAHORS_2024, IMPUTED
from tests.statistics.helpers import COMMUNAL_HEADER, communal_row, write
from vigie.governance.enums import BodyKind
from vigie.statistics.pages.common import WITHHELD_TEXT
from vigie.statistics.services import import_ssmsi_file
from vigie.territories.models import Commune, Epci

BURGLARIES = "cambriolages-de-logement"
COMMUNAL_FILE = "donnee-comm-data.gouv-2024-geographie2024-produit-le2025-01-26.csv"
SOURCE = (
    "Source : SSMSI — base statistique de la délinquance enregistrée par la police et la gendarmerie "
    "nationales, édition du 26 janvier 2025 (géographie 2024)."
)
# The imputed value of Albas (1.4285714) and its rate (2,1) must never be shown, however rounded.
LEAKS = ("1,43", "1,428", "1.43", "1.428", "2,1")


def cispd(department, epci, name="CISPD du Grand Cahors"):
    return BodyFactory(department=department, kind=BodyKind.CISPD, epci=epci, name=name)


def clspd(department, code):
    return ClspdFactory(department=department, commune=Commune.objects.get(code=code))


def url(body, **query):
    text = "&".join(f"{k}={v}" for k, v in query.items())
    return reverse("statistics:territory", args=[body.pk]) + (f"?{text}" if text else "")


def rows_by(table, *keys):
    """{(first cells…): [cell texts]} of a page table."""
    return {tuple(row[i].text for i in keys): [c.text for c in row] for row in table.rows}


@pytest.fixture
def lot_reader(make_user, occitanie):
    return make_user("reader", occitanie["lot"])


@pytest.fixture
def grand_cahors(communal_data, occitanie):
    return cispd(occitanie["lot"], Epci.objects.get(code="200023737"))


# ------------------------------------------------------------------------------------------ page


@pytest.mark.django_db
def test_cispd_total_is_estimated_and_the_withheld_commune_shows_no_number(
    client, lot_reader, grand_cahors
):
    client.force_login(lot_reader)
    response = client.get(url(grand_cahors, indicateur=BURGLARIES, annee=2024))
    assert response.status_code == 200
    context = response.context
    assert context["territory_text"] == "CA du Grand Cahors (2 communes)"
    overview = rows_by(context["overview_table"], 0, 1)
    # 120 (Cahors) + 1.4285714 imputed to Albas; dwellings 12,000 + 400.
    assert overview[("Cambriolages de logement", "2024")][2:] == [
        f"≈ {CAHORS_2024 + 1} (estimation)",
        "≈ +8,97\u202f% (estimation)",
        "≈ 9,79\u202f‰ (estimation)",
        "estimation (1 commune non diffusée, valeur imputée)",
    ]
    assert overview[("Cambriolages de logement", "2023")][2:] == [
        "≈ 111 (estimation)",
        "—",
        "≈ 8,99\u202f‰ (estimation)",
        "estimation (1 commune non diffusée, valeur imputée)",
    ]
    series = rows_by(context["series_table"], 0)
    assert series[("2024",)] == [
        "2024",
        "≈ 121 (estimation)",
        "≈ +8,97\u202f% (estimation)",
        "12\u202f400 (2021)",
        "≈ 9,79\u202f‰ (estimation)",
        "estimation (1 commune non diffusée, valeur imputée)",
    ]
    communes = rows_by(context["commune_table"], 0)
    assert communes[("Albas",)] == ["Albas", "46001", WITHHELD_TEXT, WITHHELD_TEXT]
    assert communes[("Cahors",)] == ["Cahors", "46042", str(CAHORS_2024), "10,00\u202f‰"]
    for table in context["tables"]:
        assert table.source == SOURCE
    content = response.content.decode()
    # Under the introduction and under each of the three tables.
    assert content.count(SOURCE) == 4
    assert WITHHELD_TEXT in content
    for leak in LEAKS:
        assert leak not in content, leak
    assert 'role="img"' in content and "chart-territoire-title" in content


@pytest.mark.django_db
def test_clspd_of_one_commune_is_exact_with_its_year_over_year_change(
    client, lot_reader, communal_data, occitanie
):
    body = clspd(occitanie["lot"], "46042")
    client.force_login(lot_reader)
    response = client.get(url(body))
    context = response.context
    assert context["territory_text"] == "commune de Cahors (46042)"
    assert context["indicator"].slug == BURGLARIES and context["year"] == 2024
    series = rows_by(context["series_table"], 0)
    # 110 → 120: +9.09 %; 120 / 12,000 dwellings × 1,000 = 10.
    assert series[("2024",)] == [
        "2024",
        "120",
        "+9,09\u202f%",
        "12\u202f000 (2021)",
        "10,00\u202f‰",
        "exact",
    ]
    assert series[("2023",)] == ["2023", "110", "—", "12\u202f000 (2021)", "9,17\u202f‰", "exact"]
    assert [row[0].text for row in context["commune_table"].rows] == ["Cahors"]
    assert not [c for t in context["tables"] for r in t.rows for c in r if "≈" in c.text]


@pytest.mark.django_db
def test_territory_of_only_withheld_communes_shows_no_estimate(
    client, lot_reader, communal_data, occitanie
):
    """The total of Albas alone would be its imputed value: it is withheld like the commune."""
    body = clspd(occitanie["lot"], "46001")
    client.force_login(lot_reader)
    response = client.get(url(body))
    series = rows_by(response.context["series_table"], 0)
    assert series[("2024",)][1:3] == [WITHHELD_TEXT, "—"]
    assert series[("2024",)][4] == WITHHELD_TEXT
    assert series[("2024",)][5].startswith(WITHHELD_TEXT)
    cells = [c for t in response.context["tables"] for r in t.rows for c in r]
    assert not [c for c in cells if "≈" in c.text or c.css == "vigie-estimated"]
    content = response.content.decode()
    for leak in LEAKS:
        assert leak not in content, leak


@pytest.mark.django_db
def test_incomplete_total_when_a_commune_has_no_figure(
    client, lot_reader, communal_data, occitanie
):
    epci = EpciFactory(code="246000111", name="CC Sans Chiffres")
    lot = occitanie["lot"]
    Commune.objects.filter(code="46003").update(epci=epci)
    CommuneFactory(code="46999", name="Zeta", department=lot, epci=epci)
    body = cispd(lot, epci, name="CISPD Sans Chiffres")
    client.force_login(lot_reader)
    series = rows_by(client.get(url(body)).context["series_table"], 0)
    assert series[("2024",)][1] == "—"
    assert series[("2024",)][4] == "—"
    assert series[("2024",)][5] == "incomplet : 1 commune sans valeur dans la base"


@pytest.mark.django_db
def test_no_communal_edition_says_so(client, make_user, occitanie):
    lot = occitanie["lot"]
    CommuneFactory(code="46042", name="Cahors", department=lot)
    body = clspd(lot, "46042")
    client.force_login(make_user("reader", lot))
    response = client.get(url(body))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Aucune édition de la base communale SSMSI n'est importée dans Vigie" in content
    assert "<table" not in content
    assert not response.context["tables"]


@pytest.mark.django_db
def test_edition_without_the_departments_communes_says_so(
    client, make_user, communal_data, occitanie
):
    gers = occitanie["gers"]
    CommuneFactory(code="32107", name="Condom", department=gers)
    body = clspd(gers, "32107")
    client.force_login(make_user("reader", gers))
    response = client.get(url(body))
    assert response.status_code == 200
    content = response.content.decode()
    assert "ne contient aucun chiffre pour les communes de ce territoire" in content
    assert "<table" not in content
    export = reverse("statistics:export", args=["territoire", "csv"]) + f"?instance={body.pk}"
    assert client.get(export).status_code == 404


@pytest.mark.django_db
def test_only_local_councils_have_a_territory(client, make_user, communal_data, occitanie):
    lot = occitanie["lot"]
    cdpd = BodyFactory(department=lot, kind=BodyKind.CDPD, name="CDPD du Lot")
    client.force_login(make_user("prefecture", lot))
    assert client.get(url(cdpd)).status_code == 404
    export = reverse("statistics:export", args=["territoire", "csv"])
    assert client.get(export + f"?instance={cdpd.pk}").status_code == 404
    assert client.get(export + "?instance=abc").status_code == 404
    assert client.get(export).status_code == 404


@pytest.mark.django_db
def test_unknown_choices_fall_back_to_the_first_indicator_and_latest_year(
    client, lot_reader, grand_cahors
):
    client.force_login(lot_reader)
    context = client.get(url(grand_cahors, indicateur="inconnu", annee="x", edition="999")).context
    assert (context["indicator"].slug, context["year"]) == (BURGLARIES, 2024)


# --------------------------------------------------------------------------------------- exports


def _export_rows(response, fmt):
    if fmt == "csv":
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    if fmt == "xlsx":
        workbook = load_workbook(io.BytesIO(response.content))
        return [
            [("" if v is None else v) for v in row]
            for sheet in workbook
            for row in sheet.iter_rows(values_only=True)
        ]
    from odf.opendocument import load
    from odf.table import TableCell, TableRow

    document = load(io.BytesIO(response.content))
    return [
        [str(cell) for cell in row.getElementsByType(TableCell)]
        for row in document.getElementsByType(TableRow)
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods"])
def test_export_holds_the_withheld_text_the_estimate_and_the_source(
    client, lot_reader, grand_cahors, fmt
):
    client.force_login(lot_reader)
    page = client.get(url(grand_cahors, indicateur=BURGLARIES, annee=2024))
    query = page.context["export_query"]
    assert f"instance={grand_cahors.pk}" in query
    assert reverse("statistics:export", args=["territoire", fmt]) in page.content.decode()
    response = client.get(reverse("statistics:export", args=["territoire", fmt]) + f"?{query}")
    assert response.status_code == 200
    assert (
        f"vigie-statistiques-territoire-{grand_cahors.pk}.{fmt}" in response["Content-Disposition"]
    )
    rows = _export_rows(response, fmt)
    albas = next(r for r in rows if r and r[0] == "Albas")
    assert albas[2] == WITHHELD_TEXT and albas[3] == WITHHELD_TEXT
    assert albas[4] == SOURCE
    estimated = [
        r for r in rows if r and r[0] == "Cambriolages de logement" and str(r[1]) == "2024"
    ]
    assert len(estimated) == 1
    assert float(estimated[0][2]) == CAHORS_2024 + 1
    assert str(estimated[0][5]).startswith("estimation (1 commune non diffusée")
    assert estimated[0][-1] == SOURCE
    flat = " ".join(str(v) for r in rows for v in r)
    assert "1,4285714" not in flat and "1.4285714" not in flat and "1,43" not in flat


@pytest.mark.django_db
def test_export_follows_the_body_visibility(client, make_user, grand_cahors, occitanie):
    export = (
        reverse("statistics:export", args=["territoire", "csv"]) + f"?instance={grand_cahors.pk}"
    )
    response = client.get(export)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    client.force_login(make_user("prefecture", occitanie["gers"]))
    assert client.get(export).status_code == 404


# --------------------------------------------------------------------------------------- queries


def _communal_file(tmp_path, communes, indicators, years, withheld=()):
    rows = []
    for year in years:
        for k, (name, unit) in enumerate(indicators):
            for i, code in enumerate(communes):
                if code in withheld:
                    rows.append(
                        communal_row(code, year, name, unit, "NA", diffused=False, imputed=IMPUTED)
                    )
                else:
                    rows.append(communal_row(code, year, name, unit, (i + k + year) % 17))
    return write(tmp_path / COMMUNAL_FILE, COMMUNAL_HEADER, rows)


@pytest.mark.django_db
@pytest.mark.parametrize("size", ["small", "large"])
def test_queries_do_not_grow_with_communes_years_or_indicators(
    client, lot_reader, occitanie, tmp_path, django_assert_max_num_queries, size
):
    lot = occitanie["lot"]
    epci = EpciFactory(code="200099999", name="CC du Test")
    count, years = (2, [2023, 2024]) if size == "small" else (40, list(range(2016, 2025)))
    indicators = [("Cambriolages de logement", "Infraction")]
    if size == "large":
        indicators += [
            ("Coups et blessures volontaires", "Victime"),
            ("Vols de véhicules", "Véhicule"),
            ("Escroqueries", "Victime"),
        ]
    codes = [f"46{500 + i:03d}" for i in range(count)]
    for i, code in enumerate(codes):
        CommuneFactory(code=code, name=f"Commune {i:02d}", department=lot, epci=epci)
    import_ssmsi_file(
        acting_user=None,
        path=_communal_file(tmp_path, codes, indicators, years, withheld={codes[1]}),
        partial=True,
    )
    body = cispd(lot, epci, name="CISPD du Test")
    client.force_login(lot_reader)
    with django_assert_max_num_queries(10):
        response = client.get(url(body, indicateur=BURGLARIES, annee=2024))
    assert len(response.context["commune_table"].rows) == count
    assert len(response.context["overview_table"].rows) == len(indicators) * len(years)
    assert response.context["commune_table"].rows[1][2].text == WITHHELD_TEXT


# ------------------------------------------------------------------------------------------ links


@pytest.mark.django_db
def test_body_page_of_a_local_council_links_to_its_territory(
    client, make_user, communal_data, occitanie
):
    lot = occitanie["lot"]
    body = clspd(lot, "46042")
    cdpd = BodyFactory(department=lot, kind=BodyKind.CDPD, name="CDPD du Lot")
    client.force_login(make_user("partner", lot))
    content = client.get(body.get_absolute_url()).content.decode()
    assert "Statistiques de délinquance du territoire" in content
    assert reverse("statistics:territory", args=[body.pk]) in content
    assert (
        "Statistiques de délinquance du territoire"
        not in client.get(cdpd.get_absolute_url()).content.decode()
    )


@pytest.mark.django_db
def test_communes_page_links_to_the_councils_for_the_people_of_the_department(
    client, make_user, grand_cahors, occitanie
):
    link = reverse("statistics:territory", args=[grand_cahors.pk])
    page = reverse("statistics:communes", args=["46"])
    assert link not in client.get(page).content.decode()
    client.force_login(make_user("reader", occitanie["gers"]))
    assert link not in client.get(page).content.decode()
    client.force_login(make_user("reader", occitanie["lot"]))
    assert link in client.get(page).content.decode()
