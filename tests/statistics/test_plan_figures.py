from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from vigie.audit.models import AuditEntry
from vigie.statistics.enums import SourceKind
from vigie.statistics.models import Edition, Observation, Series, StatedFigure
from vigie.statistics.pages import recompute
from vigie.statistics.services import load_plan_figures, load_statistics_demo

LOT_TABLE = [
    "Homicides",
    "Coups et blessures volontaires",
    "Violences sexuelles",
    "Vols avec armes",
    "Vols violents sans armes",
    "Vols sans violence",
    "Cambriolages",
    "Vols de véhicules",
    "Vols d'accessoires de véhicules",
    "Destructions et dégradations",
    "Escroqueries",
]


def plan_value(ref: str, year: int) -> Decimal:
    return Observation.objects.get(series__ref=ref, year=year).value


@pytest.mark.django_db
def test_plan_figures_are_loaded_as_published_and_reload_is_idempotent():
    result = load_plan_figures(acting_user=None)
    assert result.editions == 2
    editions = Edition.objects.filter(source__kind=SourceKind.PLAN)
    assert {e.source.department_code for e in editions} == {"32", "46"}
    assert {e.label for e in editions} == {
        "signé à Auch le 28 septembre 2021",
        "signé à Cahors le 5 février 2021",
    }
    # Gers
    assert [plan_value("gers-mineurs-mis-en-cause-zone-police", y) for y in range(2014, 2021)] == [
        78,
        63,
        86,
        80,
        91,
        91,
        49,
    ]
    assert plan_value("gers-mineurs-mis-en-cause-zone-gendarmerie", 2020) == 216
    assert plan_value("gers-mineurs-part-zone-gendarmerie", 2020) == 13
    assert plan_value("gers-parquet-delits-mineur", 2019) == 380
    assert plan_value("gers-conjugales-zone-gendarmerie-femmes", 2019) == 228
    assert plan_value("gers-vif-zone-police-femmes", 2015) == 80
    assert [plan_value("gers-cambriolages", y) for y in range(2014, 2021)] == [
        197,
        174,
        248,
        149,
        109,
        120,
        126,
    ]
    # Lot
    assert plan_value("lot-tableau-a-lot-coups-et-blessures-volontaires", 2019) == 421
    assert plan_value("lot-tableau-a-france-vols-sans-violence", 2016) == 699800
    assert plan_value("lot-securite-routiere-tues", 2019) == 15
    assert plan_value("lot-stupefiants-cie-gourdon", 2017) == 179
    assert (
        plan_value("lot-texte-b2-avip", 2019) == 945
        and plan_value("lot-texte-b2-avip", 2018) == 917
    )
    assert plan_value("lot-texte-b1-taux-aab-lot", 2019) == Decimal("18.61")
    assert plan_value("lot-texte-b1-taux-aab-france", 2019) == Decimal("32.27")
    gendarmerie = Series.objects.get(ref="gers-vif-zone-gendarmerie")
    assert gendarmerie.zone == "gendarmerie" and gendarmerie.original_producer == "gendarmerie"
    assert "tableau « En zone gendarmerie »" in gendarmerie.context
    assert (
        Series.objects.get(ref="lot-tableau-a-lot-cambriolages").compare_with.name
        == "Cambriolages de logement"
    )

    counts = (Series.objects.count(), Observation.objects.count(), StatedFigure.objects.count())
    entries = AuditEntry.objects.count()
    again = load_plan_figures(acting_user=None)
    assert (again.observations_created, again.observations_updated) == (0, 0)
    assert (
        Series.objects.count(),
        Observation.objects.count(),
        StatedFigure.objects.count(),
    ) == counts
    assert AuditEntry.objects.count() == entries


@pytest.mark.django_db
def test_every_yoy_cell_of_the_lot_table_is_reproduced_and_gers_discrepancies_flagged():
    load_plan_figures(acting_user=None)
    table = StatedFigure.objects.filter(
        series__ref__startswith="lot-tableau-a", kind="yoy"
    ).select_related("series")
    assert table.count() == 22
    for figure in table:
        recomputed = recompute(figure).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
        assert recomputed == figure.stated_value, figure.label

    conjugal = StatedFigure.objects.get(series__ref="gers-conjugales-zone-gendarmerie")
    assert conjugal.stated_value == Decimal("15.83")
    assert recompute(conjugal).quantize(Decimal("0.01")) == Decimal("15.85")
    five_years = StatedFigure.objects.get(series__ref="gers-vif-zone-gendarmerie")
    assert five_years.stated_value == 243
    assert recompute(five_years).quantize(Decimal("0.01")) == Decimal("171.26")


@pytest.mark.django_db
def test_acceptance_after_the_demo_load(client, occitanie):
    """`make demo` calls load_statistics_demo: the Lot page and the plan-vs-SSMSI comparison."""
    call_command("load_statistics_demo")
    content = client.get(reverse("statistics:department", args=["46"])).content.decode()
    assert "Statistiques de la délinquance — Lot (46)" in content
    assert "édition du 26 janvier 2025 (géographie 2024)" in content
    for year in range(2016, 2025):
        assert f'<th scope="col">{year}</th>' in content
    assert "Plan départemental de prévention de la délinquance du Lot 2020-2024" in content
    assert "signé à Cahors le 5 février 2021" in content

    response = client.get(reverse("statistics:plan_comparison", args=["46"]))
    table = response.context["comparison_table"]
    rows = [[cell.text for cell in row] for row in table.rows]
    cbv_2019 = next(
        r
        for r in rows
        if r[0] == "Coups et blessures volontaires" and r[2] == "Lot" and r[3] == "2019"
    )
    assert cbv_2019[4:7] == ["421", "414", "−7"]
    # France of the plan against France computed from the departments of the SSMSI base (never mixed silently).
    france = next(
        r
        for r in rows
        if r[0] == "Coups et blessures volontaires" and r[2].startswith("France") and r[3] == "2019"
    )
    assert france[2] == "France (SSMSI calculé)"
    checks = {row[0].text: row[-1].text for row in response.context["checks_table"].rows}
    for wording in LOT_TABLE:
        for territory in ("France entière", "Lot"):
            assert checks[f"{wording}, {territory}, 2018 → 2019"] == "conforme"
    assert checks["Taux d'AVIP, Lot"] == "conforme"
    assert checks["AVIP, arrondissement de Figeac, 2018 → 2019"].startswith("non vérifiable")
    gers = client.get(reverse("statistics:plan_comparison", args=["32"])).context["checks_table"]
    checks = {row[0].text: row[-1].text for row in gers.rows}
    assert (
        checks["Violences conjugales en zone gendarmerie, 2019 → 2020"]
        == "écart : le calcul donne +15,85\u202f%"
    )
    assert (
        checks["Violences intrafamiliales en zone gendarmerie « en 5 ans »"]
        == "écart : le calcul donne +171\u202f%"
    )


@pytest.mark.django_db
def test_demo_service_loads_both():
    batch, result = load_statistics_demo()
    assert batch.row_count == 15453 and result.series == 72
