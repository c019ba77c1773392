"""Instruction and committee services: notes, analysis, opinions and reminders, agenda, proposals, programming,
decisions in bulk (all or nothing), minutes."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.funding.instruction_data import due, gers_world, make_application
from vigie.audit.models import AuditEntry
from vigie.funding import committee, instruction
from vigie.funding.enums import ApplicationState
from vigie.funding.instruction_enums import CommitteeOutcome, OpinionService, OpinionVerdict
from vigie.funding.models import Fund, GrantApplication, InstructionReview, OpinionRequest


@pytest.fixture
def world(db):
    return gers_world()


def test_note_is_audited_and_refused_to_other_department(world):
    note = instruction.add_note(
        acting_user=world["prefecture"], application=world["application"], text="Porteur fiable."
    )
    assert AuditEntry.objects.filter(object_id=str(note.pk), action="create").exists()
    with pytest.raises(PermissionDenied):
        instruction.add_note(
            acting_user=world["lot_prefecture"], application=world["application"], text="x"
        )
    with pytest.raises(ValidationError):
        instruction.add_note(
            acting_user=world["prefecture"], application=world["application"], text=" "
        )


def test_review_computes_the_rate_and_refuses_bad_amounts(world):
    review = instruction.save_review(
        acting_user=world["prefecture"],
        application=world["application"],
        eligible_base=Decimal("16000"),
        proposed_amount=Decimal("6000"),
    )
    assert review.rate == Decimal("37.5")
    for base, amount in (
        (Decimal("-1"), None),
        (Decimal("5000"), Decimal("6000")),
        (None, Decimal("9000")),
    ):
        with pytest.raises(ValidationError):
            instruction.save_review(
                acting_user=world["prefecture"],
                application=world["application"],
                eligible_base=base,
                proposed_amount=amount,
            )
    review.refresh_from_db()
    assert review.proposed_amount == Decimal("6000")


def test_opinion_requested_given_and_reminded(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = instruction.request_opinion(
            acting_user=world["prefecture"],
            application=world["application"],
            service=OpinionService.SAFETY_REFERENT,
            question="Le périmètre des caméras est-il pertinent ?",
            due_on=due(3),
            expert=world["referent"],
        )
    assert mail.outbox[-1].to == [world["referent"].email]
    # Overdue: reminded once, not twice in the same week.
    OpinionRequest.objects.filter(pk=request.pk).update(due_on=due(-2))
    with django_capture_on_commit_callbacks(execute=True):
        assert instruction.send_opinion_reminders() == 1
    assert "Relance" in mail.outbox[-1].subject
    assert instruction.send_opinion_reminders() == 0
    with pytest.raises(PermissionDenied):
        instruction.give_opinion(
            acting_user=world["prefecture"], request=request, verdict="favourable", opinion="x"
        )
    with pytest.raises(ValidationError):
        instruction.give_opinion(
            acting_user=world["referent"], request=request, verdict="", opinion=""
        )
    instruction.give_opinion(
        acting_user=world["referent"],
        request=request,
        verdict=OpinionVerdict.FAVOURABLE,
        opinion="Périmètre cohérent avec les faits constatés.",
    )
    request.refresh_from_db()
    assert request.is_given and request.verdict == OpinionVerdict.FAVOURABLE
    assert instruction.send_opinion_reminders(today=due(30)) == 0


def test_opinion_by_email_invites_a_partner(world):
    request = instruction.request_opinion(
        acting_user=world["prefecture"],
        application=world["application"],
        service=OpinionService.ARS,
        question="Avis sanitaire ?",
        due_on=due(),
        email="ars32@example.org",
        first_name="Lou",
        last_name="Sarrat",
    )
    assert request.expert.role == "partner" and request.expert.department == world["gers"]
    with pytest.raises(ValidationError) as error:
        instruction.request_opinion(
            acting_user=world["prefecture"],
            application=world["application"],
            service=OpinionService.ARS,
            question="Avis ?",
            due_on=due(),
            expert=world["lot_prefecture"],
        )
    assert "expert" in error.value.message_dict


def test_queue_filters(world):
    other = make_application(
        world["call_programme"],
        world["association"],
        title="Ancien dossier",
        state=ApplicationState.SUBMITTED,
        submitted_days_ago=90,
    )
    today = timezone.localdate()
    everything = instruction.queue(world["gers"], instruction.QueueFilters(), today)
    assert set(everything) == {world["application"], other}
    late = instruction.queue(world["gers"], instruction.QueueFilters(late=True), today)
    assert list(late) == [other]
    by_measure = instruction.queue(
        world["gers"], instruction.QueueFilters(measure=world["measure"].pk), today
    )
    assert list(by_measure) == [world["application"]]
    by_state = instruction.queue(world["gers"], instruction.QueueFilters(state="submitted"), today)
    assert list(by_state) == [other]
    assert list(instruction.queue(world["lot"], instruction.QueueFilters(), today)) == []
    assert list(instruction.other_applications(world["application"])) == [other]


def _session(world):
    session = committee.create_session(
        acting_user=world["prefecture"], department=world["gers"], year=2026, data={"date": due(7)}
    )
    assert session.meeting.body.kind == "financeurs"
    return session


def test_programming_envelope_and_checks(world):
    InstructionReview.objects.create(
        application=world["application"], proposed_amount=Decimal("7000")
    )
    session = _session(world)
    [item] = committee.add_to_agenda(
        acting_user=world["prefecture"], session=session, applications=[world["application"]]
    )
    fipd = Fund.objects.get(code="FIPD")
    view = committee.programming(session)
    assert view.envelopes[0].remaining == Decimal("93000")
    committee.set_proposal(
        acting_user=world["prefecture"], item=item, fund=fipd, amount=Decimal("12000")
    )
    committee.set_proposal(
        acting_user=world["prefecture"],
        item=item,
        fund=Fund.objects.get(code="CAF"),
        amount=Decimal("3000"),
    )
    view = committee.programming(session)
    [row] = view.rows
    assert row.total_public == Decimal("15000") and row.public_share == Decimal("75")
    assert any("ne peut financer plus de 50" in m and "60" in m for m in row.messages)
    assert any("FIPD propose 12" in m for m in row.messages)
    with pytest.raises(ValidationError):
        committee.set_proposal(
            acting_user=world["prefecture"], item=item, fund=fipd, amount=Decimal("-1")
        )


def test_decisions_in_bulk_all_or_nothing(world):
    second = make_application(
        world["call_programme"], world["association"], title="Chantier jeunes"
    )
    session = _session(world)
    items = committee.add_to_agenda(
        acting_user=world["prefecture"],
        session=session,
        applications=[world["application"], second],
    )
    fipd = Fund.objects.get(code="FIPD")
    for item in items:
        committee.set_proposal(
            acting_user=world["prefecture"], item=item, fund=fipd, amount=Decimal("8000")
        )
    world["call_programme"].envelope = Decimal("10000")
    world["call_programme"].save()
    outcomes = {items[0].pk: CommitteeOutcome.ACCEPTED, items[1].pk: CommitteeOutcome.ACCEPTED}
    with pytest.raises(ValidationError) as error:
        committee.record_decisions(
            acting_user=world["prefecture"], session=session, outcomes=outcomes, message=""
        )
    assert "serait dépassée de 6" in error.value.messages[0]
    assert set(GrantApplication.objects.values_list("state", flat=True)) == {"in_review"}
    outcomes[items[1].pk] = CommitteeOutcome.REFUSED
    committee.record_decisions(
        acting_user=world["prefecture"],
        session=session,
        outcomes=outcomes,
        message="Hors priorités.",
    )
    world["application"].refresh_from_db()
    second.refresh_from_db()
    assert world["application"].state == "accepted" and world[
        "application"
    ].granted_amount == Decimal("8000")
    assert second.state == "refused"
    session.meeting.refresh_from_db()
    assert "Médiation sociale de nuit" in session.meeting.minutes
    with pytest.raises(ValidationError):
        committee.set_proposal(
            acting_user=world["prefecture"], item=items[0], fund=fipd, amount=Decimal("1")
        )
    pdf = committee.minutes_pdf("<p>Procès-verbal</p>")
    assert pdf.startswith(b"%PDF")


def test_only_applications_in_review_go_on_the_agenda(world):
    draft = make_application(
        world["call_programme"], world["association"], state=ApplicationState.DRAFT
    )
    session = _session(world)
    with pytest.raises(ValidationError):
        committee.add_to_agenda(
            acting_user=world["prefecture"], session=session, applications=[draft]
        )
    with pytest.raises(PermissionDenied):
        committee.add_to_agenda(
            acting_user=world["lot_prefecture"],
            session=session,
            applications=[world["application"]],
        )


def test_page_agenda_gives_the_same_programming_as_the_prefetched_session(world):
    """The page reads the agenda as tuples (load_agenda) and, after one amount, the envelopes alone
    (envelopes()): the same figures and checks as the decisions, which read whole applications."""
    from vigie.funding.instruction_access import session_queryset

    granted = make_application(
        world["call_programme"],
        world["association"],
        title="Vidéoprotection du parc",
        state=ApplicationState.ACCEPTED,
    )
    GrantApplication.objects.filter(pk=granted.pk).update(granted_amount=Decimal("20000"))
    second = make_application(
        world["call_programme"], world["association"], title="Chantier jeunes", cost=Decimal("9000")
    )
    session = _session(world)
    first_item, second_item = committee.add_to_agenda(
        acting_user=world["prefecture"],
        session=session,
        applications=[world["application"], second],
    )
    fipd, caf = Fund.objects.get(code="FIPD"), Fund.objects.get(code="CAF")
    for item, fund, amount in (
        (first_item, fipd, "12000"),
        (first_item, caf, "3000.50"),
        (second_item, fipd, "4000"),
    ):
        committee.set_proposal(
            acting_user=world["prefecture"], item=item, fund=fund, amount=Decimal(amount)
        )
    second_item.outcome = CommitteeOutcome.DEFERRED
    second_item.save()

    def figures(view):
        rows = [
            (
                row.item.pk,
                row.item.get_outcome_display(),
                row.application.title,
                str(row.application.organisation),
                str(row.application.call_programme.programme),
                row.amounts,
                row.total_public,
                row.public_share,
                row.messages,
                row.state_amount,
            )
            for row in view.rows
        ]
        return rows, [str(f) for f in view.funders], envelope_figures(view.envelopes)

    def envelope_figures(envelopes):
        return [(e.call_programme.pk, e.envelope, e.committed, e.proposed) for e in envelopes]

    full = committee.programming(session_queryset().get(pk=session.pk))
    page = committee.programming(session, agenda=committee.load_agenda(session))
    assert figures(page) == figures(full)
    rows, funders, envelopes = figures(page)
    assert [row[1] for row in rows] == ["", "Ajourné"] and funders == ["FIPD", "CAF"]
    assert envelopes == [
        (world["call_programme"].pk, Decimal("100000"), Decimal("20000"), Decimal("16000"))
    ]
    assert any("FIPD propose 12" in m for m in rows[0][8])
    assert envelope_figures(committee.session_envelopes(session)) == envelopes
    [entry] = committee.load_agenda(session, item_pk=first_item.pk)
    funds = {f.pk: f for f in Fund.objects.all()}
    assert committee.programming_row(entry, funds).messages == rows[0][8]
