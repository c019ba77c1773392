"""An indicator computed from grants (Gers 3.3: the programme S grants of the year), written through the
indicators' own service, audited; refused without an open campaign, nothing written."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from tests.factories import DepartmentFactory, IndicatorFactory
from tests.funding.factories import default_measure, make_application, make_call
from vigie.audit.models import AuditEntry
from vigie.funding import indicator_values
from vigie.funding.enums import ApplicationState
from vigie.funding.models import FundingCall, FundProgramme
from vigie.indicators.enums import CampaignStatus, Periodicity, TerritorialLevel
from vigie.indicators.models import Campaign, IndicatorValue

pytestmark = pytest.mark.django_db


@pytest.fixture
def gers():
    return DepartmentFactory(code="32", name="Gers")


@pytest.fixture
def indicator(gers):
    return IndicatorFactory(
        measure=default_measure(gers),
        label="Montant des crédits déployés pour soutenir les projets des collectivités",
        periodicity=Periodicity.ANNUAL,
        territorial_level=TerritorialLevel.DEPARTMENT,
    )


@pytest.fixture
def grants(gers):
    call = make_call(gers, year=2026)
    for amount, state in ((5000, ApplicationState.NOTIFIED), (7000, ApplicationState.PAID)):
        make_application(
            call, programme="S", state=state, granted_amount=amount, cost="20000", requested="9000"
        )
    make_application(call, programme="S", state=ApplicationState.IN_REVIEW, requested="9000")
    make_application(call, programme="D", state=ApplicationState.PAID, granted_amount=3000)
    make_application(
        make_call(gers, year=2025), programme="S", state=ApplicationState.PAID, granted_amount=900
    )


def _open_campaign(indicator):
    return Campaign.objects.create(
        plan=indicator.measure.axis.plan,
        title="Collecte 2026",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        deadline=date(2027, 1, 31),
        status=CampaignStatus.OPEN,
    )


def test_the_year_sum_of_programme_s_grants_is_written_and_audited(
    gers, indicator, grants, make_user
):
    prefecture = make_user("prefecture", gers, username="agent32")
    indicator_values.link_indicator(
        acting_user=prefecture,
        indicator=indicator,
        programmes=FundProgramme.objects.filter(fund__code="FIPD", code="S"),
    )
    _open_campaign(indicator)
    call_command("compute_grant_indicators", department="32", year=2026, user="agent32")
    value = IndicatorValue.objects.get(indicator=indicator, period="2026")
    assert value.value == Decimal("12000")
    assert "FIPD S" in value.comment
    assert AuditEntry.objects.filter(object_id=str(value.pk)).exists()
    make_application(
        FundingCall.objects.get(fund__code="FIPD", year=2026),
        programme="S",
        state=ApplicationState.ACCEPTED,
        granted_amount=1000,
        cost="20000",
        requested="9000",
    )
    [result] = indicator_values.compute_year(acting_user=prefecture, department=gers, year=2026)
    assert result.value == Decimal("13000") and result.changed
    value.refresh_from_db()
    assert value.value == Decimal("13000")


def test_without_an_open_campaign_nothing_is_written(gers, indicator, grants, make_user):
    prefecture = make_user("prefecture", gers)
    indicator_values.link_indicator(
        acting_user=prefecture,
        indicator=indicator,
        programmes=FundProgramme.objects.filter(code="S"),
    )
    with pytest.raises(ValidationError, match="Aucune campagne de collecte ouverte"):
        indicator_values.compute_year(acting_user=prefecture, department=gers, year=2026)
    assert not IndicatorValue.objects.exists()


def test_only_the_prefecture_links_and_computes(gers, indicator, make_user):
    pilot = make_user("pilot", gers)
    with pytest.raises(PermissionDenied):
        indicator_values.link_indicator(
            acting_user=pilot,
            indicator=indicator,
            programmes=FundProgramme.objects.filter(code="S"),
        )
    with pytest.raises(PermissionDenied):
        indicator_values.compute_year(acting_user=pilot, department=gers, year=2026)


def test_a_quarterly_indicator_cannot_be_a_yearly_sum(gers, make_user):
    quarterly = IndicatorFactory(measure=default_measure(gers), periodicity=Periodicity.QUARTER)
    with pytest.raises(ValidationError, match="annuel"):
        indicator_values.link_indicator(
            acting_user=make_user("prefecture", gers),
            indicator=quarterly,
            programmes=FundProgramme.objects.filter(code="S"),
        )
