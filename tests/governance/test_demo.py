"""manage.py load_governance_demo: idempotent, tolerant of plans not yet imported, needs the territories."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.factories import AxisFactory, MeasureFactory, PlanFactory
from vigie.governance.demo import load_demo
from vigie.governance.models import Body, Meeting, SchemeFigure, SchemeRecord, SchemeTarget
from vigie.territories.models import Commune

pytestmark = pytest.mark.django_db


def counts():
    return (
        Body.objects.count(),
        Meeting.objects.count(),
        SchemeRecord.objects.count(),
        SchemeFigure.objects.count(),
        SchemeTarget.objects.count(),
    )


def test_loads_the_bodies_and_dates_of_both_plans(demo):
    gers_councils = Body.objects.filter(department=demo["gers"], kind__in=["clspd", "cispd"])
    assert gers_councils.count() == 5
    lot = {b.name: b for b in Body.objects.filter(department=demo["lot"])}
    cdpd = lot["Conseil départemental de prévention de la délinquance du Lot (CDPD)"]
    assert (str(cdpd.founded_on), str(cdpd.members_renewed_on)) == ("2006-12-21", "2020-12-07")
    assert (
        str(
            lot[
                "Cellule de renseignement opérationnel sur les stupéfiants du Lot (CROSS)"
            ].founded_on
        )
        == "2020-10-01"
    )
    assert "Comité local d'aide aux victimes du Lot (CLAV)" in lot
    assert (
        lot["Cellule mensuelle de suivi de parcours des femmes victimes (ISCG) du Lot"].cadence
        == "mensuelle"
    )
    assert Body.objects.filter(parent__name="CLSPD de Cahors").count() == 3
    assert Body.objects.filter(parent__name="CLSPD de Figeac").count() == 4
    condom = Body.objects.get(name="CLSPD de Condom")
    [meeting] = condom.meetings.all()
    assert str(meeting.date) == "2018-01-16"
    assert "Date citée par le PDPD du Gers" in meeting.source


def test_department_figures_are_recorded_without_inventing_communes(demo):
    lot_figure = SchemeFigure.objects.get(department=demo["lot"], scheme="videoprotection")
    assert (lot_figure.cameras, lot_figure.communes_count) == (134, 3)
    lot_records = SchemeRecord.objects.filter(department=demo["lot"], scheme="videoprotection")
    assert sorted(r.commune.name for r in lot_records) == ["Prayssac", "Souillac"]
    assert {r.state for r in lot_records} == {"projet"}
    participation = SchemeFigure.objects.get(
        department=demo["gers"], scheme="participation-citoyenne"
    )
    assert participation.communes_count == 22
    assert not SchemeRecord.objects.filter(scheme="participation-citoyenne").exists()


def test_measures_are_linked_when_the_plan_is_imported(demo):
    assert (
        Body.objects.get(name__startswith="Réseau départemental").measure == demo["measures"]["4.2"]
    )


def test_running_twice_changes_nothing(demo):
    before = counts()
    report = load_demo()
    assert report.created == []
    assert counts() == before


def test_without_plans_then_with_plans(gers, lot):
    load_demo()
    network = Body.objects.get(name__startswith="Réseau départemental")
    assert network.measure is None
    axis = AxisFactory(plan=PlanFactory(department=gers), number="4")
    measure = MeasureFactory(
        axis=axis, number="4.2", title="Développer les CLSPD/CISPD et faciliter leur action"
    )
    report = load_demo()
    assert (
        "Lien avec la mesure 4.2 : Réseau départemental des coordonnateurs CLSPD/CISPD du Gers"
        in report.created
    )
    network.refresh_from_db()
    assert network.measure == measure


def test_a_spelling_left_unmatched_is_matched_once_the_commune_exists(gers, lot):
    Commune.objects.filter(name="Miradoux").delete()
    report = load_demo()
    assert "videoprotection : « MIRADOUX » à rapprocher par une personne." in report.warnings
    Commune.objects.create(code="32253", name="Miradoux", department=gers, population=500)
    load_demo()
    assert SchemeRecord.objects.get(commune__name="Miradoux").state == "diagnostic"
    assert not SchemeRecord.objects.filter(source_label="MIRADOUX", commune__isnull=True).exists()


def test_a_missing_council_territory_is_reported_not_fatal(gers, lot):
    Commune.objects.filter(code="32107").delete()
    report = load_demo()
    assert any("CLSPD de Condom" in warning for warning in report.warnings)
    assert Body.objects.filter(name="CLSPD d'Eauze").exists()


def test_command(gers, lot):
    out, err = StringIO(), StringIO()
    call_command("load_governance_demo", "--departement", "46", stdout=out, stderr=err)
    assert "élément(s) ajouté(s)" in out.getvalue()
    assert not Body.objects.filter(department=gers).exists()
    assert Body.objects.filter(department=lot).exists()


def test_command_without_territories_fails_clearly(db):
    with pytest.raises(CommandError, match="load_territories"):
        call_command("load_governance_demo", stdout=StringIO(), stderr=StringIO())


def test_a_measure_numbered_differently_is_not_linked(gers, lot):
    axis = AxisFactory(plan=PlanFactory(department=gers), number="4")
    MeasureFactory(axis=axis, number="4.2", title="Une tout autre mesure")
    load_demo()
    assert Body.objects.get(name__startswith="Réseau départemental").measure is None
