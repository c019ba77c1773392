"""Writes of the funding app: defaults of a new call, refusals that write nothing, audit entries."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import DepartmentFactory, MeasureFactory, OrganisationFactory
from tests.funding.factories import default_measure, make_application, make_call, programme_of
from vigie.audit.models import AuditEntry
from vigie.funding import budget, services
from vigie.funding.models import Fund, FundingCall, GrantApplication, GrantAttachment

pytestmark = pytest.mark.django_db


@pytest.fixture
def gers():
    return DepartmentFactory(code="32", name="Gers")


@pytest.fixture
def owner(gers):
    return OrganisationFactory(department=gers, kind="association")


@pytest.fixture
def applicant(make_user, gers, owner):
    return make_user("applicant", gers, organisation=owner)


def test_a_new_call_carries_the_fund_s_default_rules(make_user, gers):
    agent = make_user("prefecture", gers)
    data = {
        "title": "Appel à projets MILDECA 2026",
        "year": 2026,
        "opens_on": "2026-01-15",
        "closes_on": "2026-03-31",
    }
    call = services.create_call(
        acting_user=agent, department=gers, fund=Fund.objects.get(code="MILDECA"), data=data
    )
    assert (call.automatic_renewal, call.max_years, call.renewal_requires_final_report) == (
        False,
        3,
        True,
    )
    assert call.programmes.get().max_share == Decimal("80")
    fipd = services.create_call(
        acting_user=agent,
        department=gers,
        fund=Fund.objects.get(code="FIPD"),
        data={**data, "title": "FIPD 2026"},
    )
    rules = {
        line.programme.code: (line.max_share, line.share_justification_allowed, line.min_amount)
        for line in fipd.programmes.all()
    }
    assert rules["D"] == (Decimal("50"), True, None)
    assert rules["R"] == (Decimal("50"), True, None)
    assert rules["S"] == (Decimal("80"), False, Decimal("3000"))
    assert not fipd.state_service_equipment_allowed
    assert AuditEntry.objects.filter(object_id=str(fipd.pk), action="create").exists()


def test_only_the_department_s_prefecture_creates_calls(make_user, gers):
    data = {"title": "X", "year": 2026, "opens_on": "2026-01-15", "closes_on": "2026-03-31"}
    fund = Fund.objects.get(code="PDASR")
    for user in (
        make_user("pilot", gers),
        make_user("prefecture", DepartmentFactory(code="46", name="Lot")),
    ):
        with pytest.raises(PermissionDenied):
            services.create_call(acting_user=user, department=gers, fund=fund, data=data)
    assert not FundingCall.objects.exists()


def test_a_call_closing_before_it_opens_is_refused(make_user, gers):
    agent = make_user("prefecture", gers)
    call = make_call(gers)
    with pytest.raises(ValidationError) as refused:
        services.update_call(
            acting_user=agent, call=call, data={"closes_on": call.opens_on.replace(year=2000)}
        )
    assert "clôture" in refused.value.message_dict["closes_on"][0]


def test_no_application_to_a_closed_call(gers, applicant):
    call = make_call(gers, is_open=False)
    with pytest.raises(ValidationError) as refused:
        services.create_application(
            acting_user=applicant,
            call_programme=programme_of(call),
            data={"title": "Projet", "applicant_kind": "association"},
            measures=[default_measure(gers)],
        )
    assert "est clos depuis" in refused.value.messages[0]
    assert not GrantApplication.objects.exists()


def test_an_application_serves_measures_of_its_department_only(gers, applicant):
    call = make_call(gers)
    lot_measure = MeasureFactory(axis__plan__department=DepartmentFactory(code="46", name="Lot"))
    with pytest.raises(ValidationError):
        services.create_application(
            acting_user=applicant,
            call_programme=programme_of(call),
            data={"title": "Projet", "applicant_kind": "association"},
            measures=[lot_measure],
        )
    assert not GrantApplication.objects.exists()


def test_budget_refused_when_negative_or_unbalanced_and_nothing_written(gers, owner, applicant):
    application = make_application(
        make_call(gers), organisation=owner, cost="20000", requested="8000"
    )
    before = sorted((line.account, line.amount) for line in application.budget_lines.all())
    negative = [budget.Line("60", Decimal("-5")), budget.Line("75", Decimal("-5"))]
    with pytest.raises(ValidationError, match="négatif"):
        services.save_budget(acting_user=applicant, application=application, lines=negative)
    unbalanced = [
        budget.Line("60", Decimal("20000")),
        budget.Line("74", Decimal("8000"), "state", application.call.fund_id),
    ]
    with pytest.raises(ValidationError) as refused:
        services.save_budget(acting_user=applicant, application=application, lines=unbalanced)
    assert "n'est pas équilibré" in refused.value.messages[0]
    assert sorted((line.account, line.amount) for line in application.budget_lines.all()) == before


def test_budget_saved_keeps_the_requested_amount_and_is_audited(gers, owner, applicant):
    application = make_application(make_call(gers), organisation=owner)
    fund_id = application.call.fund_id
    lines = [
        budget.Line("64", Decimal("15000.50")),
        budget.Line("62", Decimal("4999.50")),
        budget.Line("74", Decimal("9000"), "state", fund_id),
        budget.Line("74", Decimal("6000"), "commune"),
        budget.Line("75", Decimal("5000")),
    ]
    services.save_budget(acting_user=applicant, application=application, lines=lines)
    application.refresh_from_db()
    assert application.requested_amount == Decimal("9000") and application.total_cost == Decimal(
        "20000"
    )
    entry = AuditEntry.objects.filter(
        object_id=str(application.pk), reason="Budget prévisionnel"
    ).get()
    assert entry.changes["requested_amount"]["new"] == "9000"


def test_a_wrong_attachment_type_is_refused_and_nothing_stored(gers, owner, applicant):
    application = make_application(make_call(gers), organisation=owner)
    renamed_image = SimpleUploadedFile("rib.pdf", b"\x89PNG\r\n\x1a\n....")
    with pytest.raises(ValidationError) as refused:
        services.add_attachment(
            acting_user=applicant,
            application=application,
            kind="bank_details",
            upload=renamed_image,
        )
    assert "PNG" in refused.value.message_dict["file"][0]
    program = SimpleUploadedFile("rib.exe", b"MZ....")
    with pytest.raises(ValidationError):
        services.add_attachment(
            acting_user=applicant, application=application, kind="bank_details", upload=program
        )
    assert not GrantAttachment.objects.exists()


def test_a_submitted_application_is_no_longer_editable(gers, owner, applicant):
    application = make_application(make_call(gers), organisation=owner, state="submitted")
    with pytest.raises(PermissionDenied):
        services.update_project(
            acting_user=applicant,
            application=application,
            data={"title": "Autre"},
            measures=[],
            indicators=[],
            communes=[],
            epcis=[],
        )


def test_territory_of_the_department_only(gers, owner, applicant):
    from tests.factories import CommuneFactory, EpciFactory

    application = make_application(make_call(gers), organisation=owner)
    lot = DepartmentFactory(code="46", name="Lot")
    lot_epci = EpciFactory()
    lot_epci.departments.add(lot)
    gers_epci = EpciFactory()
    gers_epci.departments.add(gers)
    relations = {"measures": [default_measure(gers)], "indicators": [], "communes": []}
    with pytest.raises(ValidationError) as refused:
        services.update_project(
            acting_user=applicant, application=application, data={}, epcis=[lot_epci], **relations
        )
    assert "intercommunalités du département" in refused.value.message_dict["epcis"][0]
    with pytest.raises(ValidationError):
        services.update_project(
            acting_user=applicant,
            application=application,
            data={},
            epcis=[],
            **{**relations, "communes": [CommuneFactory(department=lot)]},
        )
    services.update_project(
        acting_user=applicant, application=application, data={}, epcis=[gers_epci], **relations
    )
    assert list(application.epcis.all()) == [gers_epci] and not application.communes.exists()
