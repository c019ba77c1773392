"""Each rule of a call, on its own, with the figures of its French message (no database)."""

from datetime import date
from decimal import Decimal

import pytest

from vigie.core.formatting import NNBSP
from vigie.funding import budget, reference, rules
from vigie.funding.enums import ApplicantKind, ApplicationState, AttachmentKind
from vigie.funding.models import CallProgramme, Fund, FundingCall, FundProgramme, GrantApplication

FIPD = Fund(pk=1, code="FIPD", name="FIPD")
MILDECA = Fund(pk=2, code="MILDECA", name="MILDECA")
TODAY = date(2026, 3, 1)


def call_of(fund, **overrides):
    data = {**reference.default_call_rules(fund.code), **overrides}
    return FundingCall(
        fund=fund,
        year=2026,
        title=f"Appel {fund.code} 2026",
        opens_on=date(2026, 1, 15),
        closes_on=date(2026, 3, 31),
        **data,
    )


def programme_of(call, code):
    programme = FundProgramme(fund=call.fund, code=code, name=code)
    return CallProgramme(
        call=call, programme=programme, **reference.default_programme_rules(call.fund.code, code)
    )


def lines(cost, requested, fund=FIPD, *, in_kind=0, other_income=None):
    cost, requested = Decimal(cost), Decimal(requested)
    rest = cost - requested if other_income is None else Decimal(other_income)
    result = [budget.Line("60", cost), budget.Line("74", requested, "state", fund.pk)]
    if rest:
        result.append(budget.Line("75", rest))
    if in_kind:
        result += [budget.Line("86", Decimal(in_kind)), budget.Line("87", Decimal(in_kind))]
    return result


def proposal(fund=FIPD, code="D", call_overrides=None, **fields):
    call = call_of(fund, **(call_overrides or {}))
    fields.setdefault("lines", lines("20000", "8000", fund))
    fields.setdefault("measure_count", 1)
    fields.setdefault("applicant_kind", ApplicantKind.ASSOCIATION)
    return rules.Proposal(call=call, call_programme=programme_of(call, code), **fields)


def codes(messages):
    return [m.code for m in messages]


def test_share_over_fifty_percent_shows_the_figures():
    messages = rules.check_share(proposal(lines=lines("20000", "12000")))
    assert codes(messages) == ["share_exceeded"]
    assert messages[0].text.startswith(
        f"Le FIPD ne peut financer plus de 50{NNBSP}% du coût total : 12{NNBSP}000{NNBSP}€ demandés pour "
        f"20{NNBSP}000{NNBSP}€, soit 60{NNBSP}%"
    )
    assert messages[0].blocking


def test_share_at_the_ceiling_passes():
    assert rules.check_share(proposal(lines=lines("20000", "10000"))) == []


def test_share_over_the_ceiling_with_a_written_justification_is_only_informative():
    messages = rules.check_share(
        proposal(lines=lines("20000", "12000"), share_justification="Quartier prioritaire")
    )
    assert codes(messages) == ["share_justified"]
    assert not messages[0].blocking


def test_investment_share_of_programme_s_is_eighty_percent_without_justification():
    messages = rules.check_share(
        proposal(code="S", lines=lines("10000", "8500"), share_justification="x")
    )
    assert codes(messages) == ["share_exceeded"]
    assert f"80{NNBSP}%" in messages[0].text and f"85{NNBSP}%" in messages[0].text
    assert rules.check_share(proposal(code="S", lines=lines("10000", "8000"))) == []


def test_mildeca_share_is_eighty_percent_and_named_with_its_article():
    messages = rules.check_share(proposal(MILDECA, "", lines=lines("10000", "9000", MILDECA)))
    assert messages[0].text.startswith(f"La MILDECA ne peut financer plus de 80{NNBSP}%")


def test_in_kind_contributions_count_in_the_base_only_when_the_call_says_so():
    typed = lines("20000", "12000", in_kind="4000")
    assert codes(rules.check_share(proposal(lines=typed))) == ["share_exceeded"]
    counted = proposal(lines=typed, call_overrides={"in_kind_counted": True})
    assert rules.check_share(counted) == []  # 12 000 of 24 000 = 50 %


def test_minimum_amount_of_programme_s():
    messages = rules.check_minimum(proposal(code="S", lines=lines("3000", "2400")))
    assert codes(messages) == ["below_minimum"]
    assert f"3{NNBSP}000{NNBSP}€" in messages[0].text and f"2{NNBSP}400{NNBSP}€" in messages[0].text
    assert rules.check_minimum(proposal(code="S", lines=lines("5000", "3000"))) == []
    assert rules.check_minimum(proposal(code="D", lines=lines("1000", "500"))) == []


def test_unbalanced_budget_shows_both_totals_and_the_gap():
    messages = rules.check_balance(proposal(lines=lines("20000", "8000", other_income="2000")))
    assert codes(messages) == ["budget_unbalanced"]
    text = messages[0].text
    assert (
        f"20{NNBSP}000{NNBSP}€" in text and f"10{NNBSP}000{NNBSP}€" in text and "dépassent" in text
    )


def test_empty_budget_and_nothing_requested():
    assert codes(rules.check_balance(proposal(lines=[]))) == ["budget_empty"]
    only_self = [budget.Line("60", Decimal("100")), budget.Line("75", Decimal("100"))]
    assert codes(rules.check_requested(proposal(lines=only_self))) == ["nothing_requested"]


def test_in_kind_lines_balance_each_other():
    assert rules.check_balance(proposal(lines=lines("20000", "8000", in_kind="500"))) == []


def test_a_state_service_may_not_buy_equipment_with_fipd_unless_the_call_allows_it():
    state = {"applicant_kind": ApplicantKind.STATE_SERVICE, "includes_equipment": True}
    assert codes(rules.check_state_equipment(proposal(**state))) == ["state_equipment"]
    allowed = proposal(call_overrides={"state_service_equipment_allowed": True}, **state)
    assert rules.check_state_equipment(allowed) == []
    no_equipment = proposal(applicant_kind=ApplicantKind.STATE_SERVICE)
    assert rules.check_state_equipment(no_equipment) == []


def test_applicant_kind_must_be_eligible():
    detr = Fund(pk=3, code="DETR", name="DETR")
    call = call_of(detr)
    messages = rules.check_applicant_kind(
        rules.Proposal(
            call=call,
            call_programme=programme_of(call, ""),
            applicant_kind=ApplicantKind.ASSOCIATION,
        )
    )
    assert codes(messages) == ["applicant_not_eligible"]
    assert "commune, intercommunalité (epci)" in messages[0].text


def test_mildeca_renewal_rules():
    renewal = {"is_renewal": True, "previous_years": 2, "previous_report_filed": True}
    messages = rules.check_renewal(
        proposal(MILDECA, "", lines=lines("100", "80", MILDECA), **renewal)
    )
    assert codes(messages) == ["no_automatic_renewal"]
    assert not messages[0].blocking
    fourth = {**renewal, "previous_years": 3}
    messages = rules.check_renewal(proposal(MILDECA, "", **fourth))
    assert "too_many_years" in codes(messages)
    assert "3 ans au plus" in messages[-1].text and "4e année" in messages[-1].text


def test_renewal_needs_the_previous_final_report():
    messages = rules.check_renewal(proposal(is_renewal=True))
    assert codes(messages) == ["missing_final_report"]
    assert rules.check_renewal(proposal(is_renewal=True, previous_report_filed=True)) == []
    assert rules.check_renewal(proposal()) == []


def test_previous_application_in_vigie_decides_on_the_final_report():
    previous = GrantApplication(state=ApplicationState.REPORT_DUE)
    assert codes(
        rules.check_renewal(
            proposal(is_renewal=True, previous_application=previous, previous_report_filed=True)
        )
    ) == ["missing_final_report"]
    previous.state = ApplicationState.CLOSED
    assert rules.check_renewal(proposal(is_renewal=True, previous_application=previous)) == []


def test_call_open_closed_or_not_yet_open():
    assert rules.check_call_open(proposal(), TODAY) == []
    closed = rules.check_call_open(proposal(), date(2026, 4, 1))
    assert codes(closed) == ["call_closed"] and "clos depuis le 31 mars 2026" in closed[0].text
    early = rules.check_call_open(proposal(), date(2026, 1, 1))
    assert "n'ouvre que le 15 janvier 2026" in early[0].text


def test_measures_dates_and_attachments():
    assert codes(rules.check_measures(proposal(measure_count=0))) == ["no_measure"]
    reversed_dates = proposal(starts_on=date(2026, 6, 1), ends_on=date(2026, 5, 1))
    assert codes(rules.check_dates(reversed_dates)) == ["dates_reversed"]
    missing = rules.check_attachments(proposal())
    assert codes(missing) == ["missing_attachments"]
    assert "Relevé d'identité bancaire" in missing[0].text
    complete = proposal(
        attachment_kinds={AttachmentKind.BANK_DETAILS, AttachmentKind.ACTIVITY_REPORT}
    )
    assert rules.check_attachments(complete) == []


@pytest.mark.parametrize(
    ("cost", "requested", "expected"),
    [("20000", "12000", True), ("20000", "10000", False)],
)
def test_check_proposal_gathers_every_rule(cost, requested, expected):
    typed = proposal(
        lines=lines(cost, requested),
        attachment_kinds={AttachmentKind.BANK_DETAILS, AttachmentKind.ACTIVITY_REPORT},
    )
    blocking = rules.blocking(rules.check_proposal(typed, today=TODAY))
    assert bool(blocking) is expected


def test_budget_totals_and_share():
    typed = lines("20000", "12000", in_kind="1000")
    totals = budget.totals(typed)
    assert totals.total_costs == Decimal("21000") and totals.is_balanced
    assert totals.share_base(in_kind_counted=False) == Decimal("20000")
    assert budget.requested_from(typed, FIPD.pk) == Decimal("12000")
    assert budget.share(Decimal("12000"), Decimal("20000")) == Decimal("60")
    assert budget.share(Decimal("1"), Decimal("0")) is None
