"""The life cycle of a grant application: one table of allowed transitions, one service that applies them.

brouillon → déposé → en instruction → accepté / refusé / classé sans suite; « à corriger » sends it back to the
applicant (message and parts to fix); after acceptance: notifié → versé → compte rendu attendu → compte rendu
reçu → clos. Payments (vigie.funding.services.record_payment) move a notified application to « versé », and the
balance to « compte rendu attendu ». Every change is audited, written on the timeline (`GrantStateChange`) and
e-mailed to the applicant once the transaction is committed.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from vigie.audit import services as audit
from vigie.core.formatting import euros
from vigie.funding import emails, perms, rules
from vigie.funding.enums import ApplicationState as S
from vigie.funding.enums import CorrectablePart
from vigie.funding.models import GrantApplication, GrantStateChange

APPLICANT = "applicant"
PREFECTURE = "prefecture"


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    actor: str  # APPLICANT or PREFECTURE
    label: str  # the button
    needs_message: bool = False


TRANSITIONS: tuple[Transition, ...] = (
    Transition(S.DRAFT, S.SUBMITTED, APPLICANT, "Déposer la demande"),
    Transition(S.TO_CORRECT, S.SUBMITTED, APPLICANT, "Déposer la demande corrigée"),
    Transition(S.DRAFT, S.DISMISSED, APPLICANT, "Abandonner la demande"),
    Transition(S.SUBMITTED, S.IN_REVIEW, PREFECTURE, "Commencer l'instruction"),
    Transition(S.SUBMITTED, S.TO_CORRECT, PREFECTURE, "Renvoyer à corriger", needs_message=True),
    Transition(S.IN_REVIEW, S.TO_CORRECT, PREFECTURE, "Renvoyer à corriger", needs_message=True),
    Transition(S.IN_REVIEW, S.ACCEPTED, PREFECTURE, "Accepter"),
    Transition(S.IN_REVIEW, S.REFUSED, PREFECTURE, "Refuser", needs_message=True),
    Transition(S.SUBMITTED, S.DISMISSED, PREFECTURE, "Classer sans suite", needs_message=True),
    Transition(S.IN_REVIEW, S.DISMISSED, PREFECTURE, "Classer sans suite", needs_message=True),
    Transition(S.TO_CORRECT, S.DISMISSED, PREFECTURE, "Classer sans suite", needs_message=True),
    Transition(S.ACCEPTED, S.NOTIFIED, PREFECTURE, "Notifier la décision"),
    Transition(S.NOTIFIED, S.PAID, PREFECTURE, "Enregistrer un versement"),
    Transition(S.PAID, S.REPORT_DUE, PREFECTURE, "Attendre le compte rendu"),
    Transition(S.REPORT_DUE, S.REPORT_RECEIVED, PREFECTURE, "Compte rendu reçu"),
    Transition(S.REPORT_RECEIVED, S.CLOSED, PREFECTURE, "Clore le dossier"),
)
# Reached through a payment, not through the generic form.
PAYMENT_TARGETS = {S.PAID}


def find(source: str, target: str) -> Transition | None:
    for transition in TRANSITIONS:
        if transition.source == source and transition.target == target:
            return transition
    return None


def _may_act(user, application: GrantApplication, transition: Transition) -> bool:
    if transition.actor == APPLICANT:
        return perms.is_applicant_of(user, application)
    return perms.is_prefecture_of(user, application.call.department_id)


def available(user, application: GrantApplication) -> list[Transition]:
    """The transitions this user may apply now (the buttons of the application page)."""
    return [
        t
        for t in TRANSITIONS
        if t.source == application.state
        and t.target not in PAYMENT_TARGETS
        and _may_act(user, application, t)
    ]


@dataclass(frozen=True)
class Decision:
    """What some transitions carry: a message (required to send back, refuse or dismiss), the parts to fix, the
    granted amount (acceptance), the notification act and date."""

    message: str = ""
    fields: tuple[str, ...] = ()
    granted_amount: Decimal | None = None
    notification_kind: str = ""
    notified_on: date | None = None


def _check_decision(application: GrantApplication, transition: Transition, decision: Decision):
    errors = {}
    if transition.needs_message and not decision.message.strip():
        errors["message"] = "Expliquez votre décision au porteur : ce message lui est envoyé."
    if transition.target == S.TO_CORRECT:
        unknown = [f for f in decision.fields if f not in CorrectablePart.values]
        if not decision.fields or unknown:
            errors["fields"] = "Cochez au moins une partie de la demande à corriger."
    if transition.target == S.ACCEPTED:
        amount = decision.granted_amount
        if amount is None or amount <= 0:
            errors["granted_amount"] = "Indiquez le montant accordé, en euros."
        elif amount > application.requested_amount:
            errors["granted_amount"] = (
                "Le montant accordé ne peut dépasser le montant demandé "
                f"({euros(application.requested_amount)})."
            )
    if transition.target == S.NOTIFIED:
        if not decision.notification_kind:
            errors["notification_kind"] = "Indiquez l'acte notifié : arrêté ou convention."
        if decision.notified_on is None:
            errors["notified_on"] = "Indiquez la date de notification."
    if errors:
        raise ValidationError(errors)


def _check_submission(application: GrantApplication) -> None:
    """A submission passes every rule of the call (the messages are the rules' own)."""
    proposal = rules.Proposal.of(application)
    messages = rules.check_proposal(proposal, today=timezone.localdate())
    if application.state == S.TO_CORRECT:
        # A correction the prefecture asked for is accepted after the call's closing date.
        messages = [m for m in messages if m.code != "call_closed"]
    blocking = rules.blocking(messages)
    if blocking:
        raise ValidationError({"__all__": [message.text for message in blocking]})


def _apply(application: GrantApplication, transition: Transition, decision: Decision, now):
    application.state = transition.target
    application.state_changed_at = now
    if transition.target == S.SUBMITTED:
        application.submitted_at = now
        application.correction_message = ""
        application.correction_fields = []
    if transition.target == S.TO_CORRECT:
        application.correction_message = decision.message.strip()
        application.correction_fields = list(decision.fields)
    if transition.target == S.ACCEPTED:
        application.granted_amount = decision.granted_amount
    if transition.target == S.NOTIFIED:
        application.notification_kind = decision.notification_kind
        application.notified_on = decision.notified_on


AUDITED_FIELDS = [
    "state",
    "granted_amount",
    "notification_kind",
    "notified_on",
    "correction_message",
    "correction_fields",
    "submitted_at",
]


@transaction.atomic
def change_state(
    *, acting_user, application: GrantApplication, target: str, decision: Decision | None = None
) -> GrantStateChange:
    """Apply one transition of the table. PermissionDenied when the user may not; ValidationError (French,
    by field) when the decision is incomplete or, on submission, when a rule of the call is not met."""
    decision = decision or Decision()
    application = GrantApplication.objects.select_for_update().get(pk=application.pk)
    transition = find(application.state, target)
    if transition is None:
        raise ValidationError(
            {
                "__all__": f"Une demande « {application.get_state_display()} » ne peut pas passer à cet état."
            }
        )
    if not _may_act(acting_user, application, transition):
        raise PermissionDenied
    _check_decision(application, transition, decision)
    if transition.target == S.SUBMITTED:
        _check_submission(application)
    return _record(acting_user, application, transition, decision)


def _record(
    acting_user, application, transition: Transition, decision: Decision
) -> GrantStateChange:
    now = timezone.now()
    before = audit.snapshot(application, AUDITED_FIELDS)
    _apply(application, transition, decision, now)
    application.save()
    change = GrantStateChange.objects.create(
        application=application,
        from_state=transition.source,
        to_state=transition.target,
        actor=acting_user if acting_user is not None and acting_user.is_authenticated else None,
        at=now,
        message=decision.message.strip(),
        fields=list(decision.fields),
    )
    audit.record_update(
        acting_user=acting_user,
        instance=application,
        before=before,
        department=application.call.department,
        reason=f"{transition.label} : {decision.message.strip()}"
        if decision.message.strip()
        else transition.label,
    )
    transaction.on_commit(lambda: emails.send_state_changed(change.pk))
    return change


@transaction.atomic
def apply_system_transition(
    *, acting_user, application: GrantApplication, target: str
) -> GrantStateChange:
    """A transition a service makes as a consequence of another write (a payment): no button, same record."""
    transition = find(application.state, target)
    if transition is None:
        raise ValidationError({"__all__": "Cette demande ne peut pas passer à cet état."})
    return _record(acting_user, application, transition, Decision())
