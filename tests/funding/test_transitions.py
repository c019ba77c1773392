"""The life cycle: the transition table, who may apply each, what each carries; audited, timed, e-mailed."""

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import DepartmentFactory, OrganisationFactory
from tests.funding.factories import make_application, make_call
from vigie.audit.models import AuditEntry
from vigie.funding import services, transitions
from vigie.funding.enums import ApplicationState as S
from vigie.funding.models import GrantApplication

pytestmark = pytest.mark.django_db


@pytest.fixture
def gers():
    return DepartmentFactory(code="32", name="Gers")


@pytest.fixture
def owner(gers):
    return OrganisationFactory(department=gers, kind="association")


@pytest.fixture
def applicant(make_user, gers, owner):
    return make_user("applicant", gers, organisation=owner, email="porteur@example.org")


@pytest.fixture
def agent(make_user, gers):
    return make_user("prefecture", gers)


@pytest.fixture
def call(gers):
    return make_call(gers)


def _attach_required(application, applicant):
    for kind in application.call.required_attachments:
        services.add_attachment(
            acting_user=applicant,
            application=application,
            kind=kind,
            upload=SimpleUploadedFile(f"{kind}.pdf", b"%PDF-1.4 piece"),
        )


def _reload(application):
    return GrantApplication.objects.get(pk=application.pk)


def test_every_transition_names_known_states_and_actors():
    assert len({(t.source, t.target) for t in transitions.TRANSITIONS}) == len(
        transitions.TRANSITIONS
    )
    for t in transitions.TRANSITIONS:
        assert t.source in S.values and t.target in S.values
        assert t.actor in (transitions.APPLICANT, transitions.PREFECTURE)


def test_submission_is_refused_with_the_rules_messages_and_nothing_changes(
    call, owner, applicant, django_capture_on_commit_callbacks
):
    application = make_application(call, organisation=owner, cost="20000", requested="12000")
    _attach_required(application, applicant)
    with pytest.raises(ValidationError) as refused:
        transitions.change_state(acting_user=applicant, application=application, target=S.SUBMITTED)
    assert "Le FIPD ne peut financer plus de 50" in " ".join(refused.value.messages)
    assert _reload(application).state == S.DRAFT
    assert application.state_changes.count() == 1


def test_submission_passes_then_is_audited_timed_and_emailed(
    call, owner, applicant, django_capture_on_commit_callbacks
):
    application = make_application(call, organisation=owner)
    _attach_required(application, applicant)
    with django_capture_on_commit_callbacks(execute=True):
        change = transitions.change_state(
            acting_user=applicant, application=application, target=S.SUBMITTED
        )
    application = _reload(application)
    assert application.state == S.SUBMITTED and application.submitted_at is not None
    assert (change.from_state, change.to_state, change.actor) == (S.DRAFT, S.SUBMITTED, applicant)
    entry = AuditEntry.objects.filter(
        object_id=str(application.pk), reason="Déposer la demande"
    ).get()
    assert entry.changes["state"] == {"label": "état", "old": "Brouillon", "new": "Déposé"}
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["porteur@example.org"]
    assert "Déposé" in mail.outbox[0].body


def test_only_the_applicant_submits_and_only_the_prefecture_instructs(
    call, owner, applicant, agent, make_user, gers
):
    application = make_application(call, organisation=owner, state=S.SUBMITTED)
    with pytest.raises(PermissionDenied):
        transitions.change_state(acting_user=applicant, application=application, target=S.IN_REVIEW)
    reader = make_user("reader", gers)
    with pytest.raises(PermissionDenied):
        transitions.change_state(acting_user=reader, application=application, target=S.IN_REVIEW)
    lot_agent = make_user("prefecture", DepartmentFactory(code="46", name="Lot"))
    with pytest.raises(PermissionDenied):
        transitions.change_state(acting_user=lot_agent, application=application, target=S.IN_REVIEW)
    transitions.change_state(acting_user=agent, application=application, target=S.IN_REVIEW)
    assert _reload(application).state == S.IN_REVIEW


def test_a_transition_outside_the_table_is_refused(call, owner, agent):
    application = make_application(call, organisation=owner, state=S.DRAFT)
    with pytest.raises(ValidationError):
        transitions.change_state(acting_user=agent, application=application, target=S.ACCEPTED)


def test_send_back_for_correction_needs_a_message_and_parts(call, owner, agent, applicant):
    application = make_application(call, organisation=owner, state=S.IN_REVIEW)
    with pytest.raises(ValidationError) as refused:
        transitions.change_state(acting_user=agent, application=application, target=S.TO_CORRECT)
    assert set(refused.value.message_dict) == {"message", "fields"}
    decision = transitions.Decision(
        message="Le budget ne tient pas compte de la CAF.", fields=("budget",)
    )
    transitions.change_state(
        acting_user=agent, application=application, target=S.TO_CORRECT, decision=decision
    )
    application = _reload(application)
    assert application.state == S.TO_CORRECT
    assert application.correction_parts == ["Budget prévisionnel"]
    assert [t.target for t in transitions.available(applicant, application)] == [S.SUBMITTED]


def test_a_correction_is_accepted_after_the_call_closed(gers, owner, applicant):
    call = make_call(gers, is_open=False)
    application = make_application(call, organisation=owner, state=S.TO_CORRECT)
    _attach_required(application, applicant)
    transitions.change_state(acting_user=applicant, application=application, target=S.SUBMITTED)
    assert _reload(application).state == S.SUBMITTED


def test_a_draft_of_a_closed_call_cannot_be_submitted(gers, owner, applicant):
    call = make_call(gers, is_open=False)
    application = make_application(call, organisation=owner)
    with pytest.raises(ValidationError) as refused:
        transitions.change_state(acting_user=applicant, application=application, target=S.SUBMITTED)
    assert any("est clos depuis" in m for m in refused.value.messages)


def test_acceptance_needs_an_amount_within_the_request(call, owner, agent):
    application = make_application(call, organisation=owner, state=S.IN_REVIEW, requested="8000")
    too_much = transitions.Decision(granted_amount=Decimal("9000"))
    with pytest.raises(ValidationError) as refused:
        transitions.change_state(
            acting_user=agent, application=application, target=S.ACCEPTED, decision=too_much
        )
    assert "8\u202f000\u202f€" in refused.value.message_dict["granted_amount"][0]
    decision = transitions.Decision(granted_amount=Decimal("7500"))
    transitions.change_state(
        acting_user=agent, application=application, target=S.ACCEPTED, decision=decision
    )
    assert _reload(application).granted_amount == Decimal("7500")


def test_refusal_and_dismissal_need_a_message(call, owner, agent):
    application = make_application(call, organisation=owner, state=S.IN_REVIEW)
    with pytest.raises(ValidationError):
        transitions.change_state(acting_user=agent, application=application, target=S.REFUSED)
    transitions.change_state(
        acting_user=agent,
        application=application,
        target=S.REFUSED,
        decision=transitions.Decision(message="Action de droit commun."),
    )
    assert _reload(application).state == S.REFUSED
    assert transitions.available(agent, _reload(application)) == []


def test_after_acceptance_notified_paid_report_due_received_closed(call, owner, agent):
    application = make_application(
        call, organisation=owner, state=S.ACCEPTED, granted_amount=Decimal("8000")
    )
    with pytest.raises(ValidationError):
        transitions.change_state(acting_user=agent, application=application, target=S.NOTIFIED)
    notified = transitions.Decision(notification_kind="agreement", notified_on=date(2026, 6, 1))
    transitions.change_state(
        acting_user=agent, application=application, target=S.NOTIFIED, decision=notified
    )
    advance = {
        "kind": "advance",
        "amount": Decimal("4000"),
        "paid_on": date(2026, 6, 15),
        "commitment_number": "2103456789",
    }
    services.record_payment(acting_user=agent, application=application, data=advance)
    assert _reload(application).state == S.PAID
    with pytest.raises(ValidationError) as refused:
        services.record_payment(
            acting_user=agent,
            application=application,
            data={**advance, "kind": "balance", "amount": Decimal("5000")},
        )
    assert "dépasseraient le montant accordé" in refused.value.message_dict["amount"][0]
    services.record_payment(
        acting_user=agent, application=application, data={**advance, "kind": "balance"}
    )
    application = _reload(application)
    assert application.state == S.REPORT_DUE
    assert [c.to_state for c in application.state_changes.all()][-3:] == [
        S.NOTIFIED,
        S.PAID,
        S.REPORT_DUE,
    ]
    transitions.change_state(acting_user=agent, application=application, target=S.REPORT_RECEIVED)
    transitions.change_state(acting_user=agent, application=application, target=S.CLOSED)
    assert _reload(application).state == S.CLOSED


def test_a_payment_before_notification_is_refused(call, owner, agent):
    application = make_application(
        call, organisation=owner, state=S.ACCEPTED, granted_amount=Decimal("8000")
    )
    data = {
        "kind": "single",
        "amount": Decimal("8000"),
        "paid_on": date(2026, 6, 15),
        "commitment_number": "1",
    }
    with pytest.raises(ValidationError):
        services.record_payment(acting_user=agent, application=application, data=data)
    assert not application.payments.exists()
