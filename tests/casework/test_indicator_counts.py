"""The plan's indicators fed by the groups' counts (issue 14, item 7): the Lot ISCG cell's people followed and
meetings, the Gers councils with a follow-up; written through the indicators' service, audited; a count of 1 to
4 (people, councils or meetings) is never written and shows « < 5 » on the indicator page, the public progress page and the API."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.casework.factories import make_case, make_group, make_member
from tests.factories import (
    AxisFactory,
    CommuneFactory,
    DepartmentFactory,
    IndicatorFactory,
    MeasureFactory,
    PlanFactory,
    UserFactory,
)
from tests.governance.factories import BodyFactory, ClspdFactory, MeetingFactory
from vigie.accounts.enums import Role
from vigie.audit.models import AuditEntry
from vigie.casework import indicator_counts, services
from vigie.casework.enums import ClosureReason, CountKind, GroupKind, MemberRole
from vigie.casework.models import Case, CaseworkIndicatorSource
from vigie.governance.enums import BodyKind
from vigie.governance.models import Meeting
from vigie.indicators import services as indicator_services
from vigie.indicators.enums import CampaignStatus, Periodicity, TerritorialLevel
from vigie.indicators.models import Campaign, IndicatorValue

pytestmark = pytest.mark.django_db
YEAR = 2026


def _indicator(plan, label, number="1.1"):
    axis = plan.axes.filter(number=number[0]).first() or AxisFactory(plan=plan, number=number[0])
    measure = MeasureFactory(axis=axis, number=number)
    return IndicatorFactory(
        measure=measure,
        label=label,
        periodicity=Periodicity.ANNUAL,
        territorial_level=TerritorialLevel.DEPARTMENT,
    )


@pytest.fixture
def lot():
    department = DepartmentFactory(code="46", name="Lot")
    cahors = CommuneFactory(department=department, name="Cahors")
    plan = PlanFactory(department=department, period_start=2020, period_end=2024)
    Campaign.objects.create(
        plan=plan,
        title=f"Bilan {YEAR}",
        period_start=datetime.date(YEAR, 1, 1),
        period_end=datetime.date(YEAR, 12, 31),
        deadline=datetime.date(YEAR + 1, 1, 31),
        status=CampaignStatus.OPEN,
    )
    agent = UserFactory(username="agent46", role=Role.PREFECTURE, department=department)
    cell_body = BodyFactory(department=department, kind=BodyKind.ISCG_CELL, name="Cellule ISCG")
    cell = services.create_group(
        acting_user=agent,
        department=department,
        body=cell_body,
        kind=GroupKind.VICTIMS_CELL,
        data={
            "name": "Cellule de suivi des femmes victimes",
            "controller": agent,
            "controller_title": "Préfet du Lot",
        },
    )
    coordinator = make_member(cell, role=MemberRole.COORDINATOR, agent=agent)
    people = _indicator(plan, "Nombre de personnes suivies par l'ISCG", "4.1")
    meetings = _indicator(
        plan, "Nombre de réunions de la cellule mensuelle des femmes victimes de violence", "4.2"
    )
    return {
        "department": department,
        "plan": plan,
        "agent": agent,
        "cell": cell,
        "coordinator": coordinator,
        "commune": cahors,
        "people": people,
        "meetings": meetings,
    }


def _open_cases(lot, count, *, opened_on=datetime.date(YEAR, 3, 1)):
    return [
        make_case(
            lot["coordinator"],
            last_name=f"PERSONNE{index}-FICTIF",
            commune=lot["commune"],
            opened_on=opened_on,
        )
        for index in range(count)
    ]


def _entries(instance, action):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(instance),
        object_id=str(instance.pk),
        action=action,
    )


def _value(indicator):
    return IndicatorValue.objects.get(indicator=indicator, period=str(YEAR))


def test_people_followed_under_five_is_never_written_and_shows_below_five(lot, client):
    agent = lot["agent"]
    indicator_counts.link_indicator(
        acting_user=agent, indicator=lot["people"], count=CountKind.PEOPLE_FOLLOWED
    )
    progress_url = reverse("progress:plan", args=[lot["plan"].pk])
    assert "&lt; 5" not in client.get(progress_url).content.decode()
    _open_cases(lot, 3)
    _open_cases(lot, 2, opened_on=datetime.date(YEAR + 1, 1, 10))  # next year: not counted
    [result] = indicator_counts.compute_year(
        acting_user=agent, department=lot["department"], year=YEAR
    )
    assert (result.value, result.below_threshold, result.shown) == (3, True, "< 5")
    value = _value(lot["people"])
    assert value.is_below_threshold and value.value == 0
    assert "3" not in value.comment and "moins de 5" in value.comment
    indicator_services.validate_value(acting_user=agent, value=value)

    # Outside the group: the indicator page (as anyone) and the public progress page show « < 5 ».
    page = client.get(reverse("indicators:indicator", args=[lot["people"].pk])).content.decode()
    assert "&lt; 5" in page
    progress = client.get(progress_url).content.decode()
    assert "&lt; 5" in progress
    api = client.get(f"/api/public/values/?plan={lot['plan'].pk}").json()
    rows = api["results"] if isinstance(api, dict) else api
    [row] = [r for r in rows if r["indicator"] == lot["people"].pk]
    assert row["value"] is None and row["is_below_threshold"] is True

    # Six people: the exact count is written, the flag cleared, the correction audited.
    _open_cases(lot, 3, opened_on=datetime.date(YEAR - 1, 6, 1))
    [result] = indicator_counts.compute_year(
        acting_user=agent, department=lot["department"], year=YEAR
    )
    assert (result.value, result.below_threshold, result.changed) == (6, False, True)
    value.refresh_from_db()
    assert (value.value, value.is_below_threshold) == (Decimal(6), False)
    update = _entries(value, "update").order_by("-pk").first()
    assert update.changes["is_below_threshold"]["new"] in (False, "non", "Non", "False")


def test_closed_before_the_year_is_not_followed_in_it(lot):
    [old, current] = _open_cases(lot, 2, opened_on=datetime.date(YEAR - 1, 2, 1))
    Case.objects.filter(pk=old.pk).update(
        closed_on=datetime.date(YEAR - 1, 12, 31), closure_reason=ClosureReason.GOALS_MET
    )
    Case.objects.filter(pk=current.pk).update(
        closed_on=datetime.date(YEAR, 1, 1), closure_reason=ClosureReason.MOVED
    )
    assert indicator_counts.count_for(CountKind.PEOPLE_FOLLOWED, lot["department"], YEAR) == 1
    assert indicator_counts.count_for(CountKind.PEOPLE_FOLLOWED, lot["department"], 2030) == 0
    assert not indicator_counts.is_suppressed(CountKind.PEOPLE_FOLLOWED, 0)
    assert indicator_counts.is_suppressed(CountKind.PEOPLE_FOLLOWED, 4)
    assert not indicator_counts.is_suppressed(CountKind.PEOPLE_FOLLOWED, 5)
    assert indicator_counts.is_suppressed(CountKind.CELL_MEETINGS, 2)
    assert indicator_counts.is_suppressed(CountKind.COUNCILS_WITH_FOLLOW_UP, 1)


def test_the_cells_meetings_are_governance_meetings_without_minutes(lot):
    coordinator = lot["coordinator"]
    for month in (1, 2, 3):
        meeting = indicator_counts.record_group_meeting(
            acting_user=coordinator.user, member=coordinator, date=datetime.date(YEAR, month, 4)
        )
    assert meeting.body == lot["cell"].body and meeting.is_restricted
    assert meeting.minutes == "" and not meeting.minutes_file
    assert _entries(meeting, "create").exists()
    MeetingFactory(body=lot["cell"].body, date=datetime.date(YEAR, 4, 4), is_cancelled=True)
    MeetingFactory(body=lot["cell"].body, date=datetime.date(YEAR - 1, 4, 4))
    MeetingFactory(body=ClspdFactory(department=lot["department"]), date=datetime.date(YEAR, 4, 4))
    indicator_counts.link_indicator(
        acting_user=lot["agent"], indicator=lot["meetings"], count=CountKind.CELL_MEETINGS
    )
    [result] = indicator_counts.compute_year(
        acting_user=lot["agent"], department=lot["department"], year=YEAR
    )
    # Three meetings: under five, shown « < 5 » like any count of the groups.
    assert (result.value, result.below_threshold) == (3, True)
    assert _value(lot["meetings"]).is_below_threshold
    for month in (5, 6):
        indicator_counts.record_group_meeting(
            acting_user=coordinator.user, member=coordinator, date=datetime.date(YEAR, month, 4)
        )
    [result] = indicator_counts.compute_year(
        acting_user=lot["agent"], department=lot["department"], year=YEAR
    )
    assert (result.value, result.below_threshold) == (5, False)
    assert _value(lot["meetings"]).value == 5
    with pytest.raises(PermissionDenied):
        indicator_counts.record_group_meeting(
            acting_user=lot["agent"], member=coordinator, date=datetime.date(YEAR, 7, 4)
        )
    assert Meeting.objects.filter(body=lot["cell"].body).count() == 7


def test_councils_with_a_follow_up_are_counted_once_each():
    gers = DepartmentFactory(code="32", name="Gers")
    plan = PlanFactory(department=gers)
    indicator = _indicator(plan, "Nombre de CLSPD/CISPD dotés de groupes thématiques « mineurs »")
    condom, _ = make_group(department=gers, name="Mineurs — Condom", commune_name="Condom")
    second, _ = make_group(department=gers, name="Mineurs — Auch", commune_name="Auch")
    make_group(department=gers, name="Sans dossier", commune_name="Eauze")
    for group in (condom, condom, second):
        make_case(
            make_member(group, role=MemberRole.COORDINATOR), opened_on=datetime.date(YEAR, 2, 1)
        )
    agent = UserFactory(role=Role.PREFECTURE, department=gers)
    source = indicator_counts.link_indicator(
        acting_user=agent, indicator=indicator, count=CountKind.COUNCILS_WITH_FOLLOW_UP
    )
    assert indicator_counts.count_for(source.count, gers, YEAR) == 2
    entry = _entries(source, "create").get()
    assert "Conseils locaux" in entry.reason


def test_only_the_departments_prefecture_links_and_computes(lot):
    other = DepartmentFactory(code="12", name="Aveyron")
    refused = [
        UserFactory(role=Role.ADMIN),
        UserFactory(role=Role.PREFECTURE, department=other),
        UserFactory(role=Role.PILOT, department=lot["department"]),
        UserFactory(role=Role.READER, department=lot["department"]),
        lot["coordinator"].user,
    ]
    for user in refused:
        with pytest.raises(PermissionDenied):
            indicator_counts.link_indicator(
                acting_user=user, indicator=lot["people"], count=CountKind.PEOPLE_FOLLOWED
            )
        with pytest.raises(PermissionDenied):
            indicator_counts.compute_year(acting_user=user, department=lot["department"], year=YEAR)
    assert not CaseworkIndicatorSource.objects.exists()
    source = indicator_counts.link_indicator(
        acting_user=lot["agent"], indicator=lot["people"], count=CountKind.PEOPLE_FOLLOWED
    )
    indicator_counts.link_indicator(
        acting_user=lot["agent"], indicator=lot["people"], count=CountKind.CELL_MEETINGS
    )
    source.refresh_from_db()
    assert source.count == CountKind.CELL_MEETINGS
    change = _entries(source, "update").get()
    assert change.changes["count"]["old"].startswith("Personnes suivies")


def test_only_a_department_level_annual_indicator_can_be_linked(lot):
    quarterly = _indicator(lot["plan"], "Trimestriel", "2.1")
    quarterly.periodicity = Periodicity.QUARTER
    quarterly.save()
    with pytest.raises(ValidationError, match="annuel"):
        indicator_counts.link_indicator(
            acting_user=lot["agent"], indicator=quarterly, count=CountKind.PEOPLE_FOLLOWED
        )
    with pytest.raises(ValidationError, match="compté"):
        indicator_counts.link_indicator(
            acting_user=lot["agent"], indicator=lot["people"], count="noms"
        )
    assert not CaseworkIndicatorSource.objects.exists()


def test_command_prints_below_five_and_refuses_without_campaign(lot):
    indicator_counts.link_indicator(
        acting_user=lot["agent"], indicator=lot["people"], count=CountKind.PEOPLE_FOLLOWED
    )
    _open_cases(lot, 2)
    out = StringIO()
    call_command(
        "compute_casework_indicators", department="46", year=YEAR, user="agent46", stdout=out
    )
    assert "Nombre de personnes suivies par l'ISCG : < 5" in out.getvalue()
    assert "FICTIF" not in out.getvalue()
    assert _value(lot["people"]).is_below_threshold
    with pytest.raises(CommandError, match="Aucune campagne"):
        call_command("compute_casework_indicators", department="46", year=2031, user="agent46")
    UserFactory(username="pilot46", role=Role.PILOT, department=lot["department"])
    with pytest.raises(CommandError, match="préfecture"):
        call_command("compute_casework_indicators", department="46", year=YEAR, user="pilot46")
