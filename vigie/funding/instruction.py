"""Instruction services: private notes, the structured analysis, opinions asked of other services and their
reminders, and the instruction queue (a bounded number of queries whatever the number of applications).

Every write takes the keyword-only `acting_user`, runs in one transaction and writes its audit entry in it.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from vigie.accounts import services as account_services
from vigie.accounts.enums import Role
from vigie.accounts.models import User
from vigie.accounts.roles import RoleAssignment
from vigie.audit import services as audit
from vigie.funding.enums import ApplicationState
from vigie.funding.instruction_access import can_be_asked_opinion, can_instruct_department
from vigie.funding.models import (
    GrantApplication,
    InstructionNote,
    InstructionReview,
    OpinionRequest,
)

# An application waiting for a decision longer than this is late (beside any overdue opinion).
INSTRUCTION_DAYS = 60
# An overdue opinion is reminded at most once in this many days.
REMINDER_INTERVAL_DAYS = 7
WAITING_STATES = (ApplicationState.SUBMITTED, ApplicationState.IN_REVIEW)
QUEUE_STATES = (
    ApplicationState.SUBMITTED,
    ApplicationState.TO_CORRECT,
    ApplicationState.IN_REVIEW,
    ApplicationState.ACCEPTED,
    ApplicationState.REFUSED,
    ApplicationState.DISMISSED,
)


def _require_instructor(acting_user, application: GrantApplication) -> None:
    if not can_instruct_department(acting_user, application.call.department_id):
        raise PermissionDenied


# --- notes and analysis ----------------------------------------------------------------------------


@transaction.atomic
def add_note(*, acting_user, application: GrantApplication, text: str) -> InstructionNote:
    _require_instructor(acting_user, application)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Écrivez la note."})
    note = InstructionNote.objects.create(application=application, author=acting_user, text=text)
    audit.record_create(
        acting_user=acting_user,
        instance=note,
        parent=application,
        department=application.call.department,
    )
    return note


@transaction.atomic
def save_review(
    *,
    acting_user,
    application: GrantApplication,
    eligible_base: Decimal | None,
    proposed_amount: Decimal | None,
) -> InstructionReview:
    """The eligible base and the proposed amount: never negative, the amount within the base and the request."""
    _require_instructor(acting_user, application)
    errors = {}
    for name, value in (("eligible_base", eligible_base), ("proposed_amount", proposed_amount)):
        if value is not None and value < 0:
            errors[name] = "Un montant ne peut pas être négatif."
    if (
        not errors
        and proposed_amount is not None
        and eligible_base is not None
        and proposed_amount > eligible_base
    ):
        errors["proposed_amount"] = "Le montant proposé ne peut dépasser l'assiette éligible."
    if (
        not errors
        and proposed_amount is not None
        and proposed_amount > application.requested_amount
    ):
        errors["proposed_amount"] = "Le montant proposé ne peut dépasser le montant demandé."
    if errors:
        raise ValidationError(errors)
    review, created = InstructionReview.objects.get_or_create(application=application)
    before = audit.snapshot(review, ["eligible_base", "proposed_amount"])
    review.eligible_base, review.proposed_amount = eligible_base, proposed_amount
    review.updated_by = acting_user
    review.save()
    audit.record_update(
        acting_user=acting_user,
        instance=review,
        before=before,
        parent=application,
        department=application.call.department,
    )
    return review


# --- opinions --------------------------------------------------------------------------------------


def _expert_for(acting_user, department, *, expert, email: str, first_name: str, last_name: str):
    """The person asked: an account of the department, or a partner account invited by e-mail."""
    if expert is not None:
        if not can_be_asked_opinion(expert, department.pk):
            raise ValidationError(
                {"expert": "Choisissez une personne qui travaille dans le département."}
            )
        return expert
    email = (email or "").strip().lower()
    if not email:
        raise ValidationError(
            {"expert": "Choisissez la personne consultée ou indiquez son adresse."}
        )
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        if not can_be_asked_opinion(existing, department.pk):
            raise ValidationError(
                {"email": "Cette adresse est celle d'un compte d'un autre département."}
            )
        return existing
    if not last_name.strip():
        raise ValidationError({"last_name": "Indiquez le nom de la personne invitée."})
    return account_services.invite_account(
        acting_user=acting_user,
        email=email,
        first_name=first_name,
        last_name=last_name,
        assignment=RoleAssignment(Role.PARTNER, department=department),
    )


@transaction.atomic
def request_opinion(
    *,
    acting_user,
    application: GrantApplication,
    service: str,
    question: str,
    due_on: date,
    expert=None,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
) -> OpinionRequest:
    """Ask a service's opinion by a due date; the person is e-mailed once the transaction is committed."""
    _require_instructor(acting_user, application)
    errors = {}
    if not (question or "").strip():
        errors["question"] = "Posez la question au service consulté."
    if due_on is None or due_on < timezone.localdate():
        errors["due_on"] = "L'échéance doit être aujourd'hui ou plus tard."
    if errors:
        raise ValidationError(errors)
    department = application.call.department
    expert = _expert_for(
        acting_user,
        department,
        expert=expert,
        email=email,
        first_name=first_name,
        last_name=last_name,
    )
    request = OpinionRequest.objects.create(
        application=application,
        service=service,
        expert=expert,
        question=question.strip(),
        due_on=due_on,
        requested_by=acting_user,
    )
    audit.record_create(
        acting_user=acting_user, instance=request, parent=application, department=department
    )
    transaction.on_commit(lambda: send_opinion_mail(request.pk, template="requested"))
    return request


@transaction.atomic
def give_opinion(
    *, acting_user, request: OpinionRequest, verdict: str, opinion: str
) -> OpinionRequest:
    """The expert answers once: a verdict and its reasons."""
    request = OpinionRequest.objects.select_for_update().get(pk=request.pk)
    if request.expert_id != getattr(acting_user, "pk", None) or request.is_given:
        raise PermissionDenied
    errors = {}
    if not verdict:
        errors["verdict"] = "Choisissez votre avis."
    if not (opinion or "").strip():
        errors["opinion"] = "Motivez votre avis."
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(request, ["verdict", "opinion", "given_at"])
    request.verdict, request.opinion, request.given_at = verdict, opinion.strip(), timezone.now()
    request.save()
    audit.record_update(
        acting_user=acting_user,
        instance=request,
        before=before,
        parent=request.application,
        department=request.application.call.department,
    )
    return request


def overdue_opinions(today: date) -> QuerySet[OpinionRequest]:
    """Unanswered requests past their due date, not reminded in the last REMINDER_INTERVAL_DAYS days."""
    recent = today - timedelta(days=REMINDER_INTERVAL_DAYS)
    return (
        OpinionRequest.objects.filter(
            given_at__isnull=True, due_on__lt=today, expert__is_active=True
        )
        .filter(Q(last_reminded_on__isnull=True) | Q(last_reminded_on__lte=recent))
        .select_related("application__call__department", "expert")
    )


@transaction.atomic
def send_opinion_reminders(*, acting_user=None, today: date | None = None) -> int:
    """Remind each overdue opinion by e-mail (audited); returns how many were reminded."""
    today = today or timezone.localdate()
    count = 0
    for request in overdue_opinions(today).select_for_update(of=("self",)):
        before = audit.snapshot(request, ["reminder_count", "last_reminded_on"])
        request.reminder_count += 1
        request.last_reminded_on = today
        request.save(update_fields=["reminder_count", "last_reminded_on"])
        audit.record_update(
            acting_user=acting_user,
            instance=request,
            before=before,
            parent=request.application,
            department=request.application.call.department,
            reason="Relance d'un avis en retard",
        )
        pk = request.pk
        transaction.on_commit(lambda pk=pk: send_opinion_mail(pk, template="reminder"))
        count += 1
    return count


def send_opinion_mail(request_pk: int, *, template: str) -> int:
    request = opinion_queryset_for_mail().get(pk=request_pk)
    if not request.expert.email:
        return 0
    context = {"request": request, "site_url": settings.VIGIE_SITE_URL}
    subject = {
        "requested": "Demande d'avis sur un dossier de subvention",
        "reminder": "Relance : avis attendu sur un dossier de subvention",
    }[template]
    body = render_to_string(f"funding/instruction/emails/opinion_{template}.txt", context)
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [request.expert.email])


def opinion_queryset_for_mail():
    return OpinionRequest.objects.select_related(
        "application__organisation", "application__call", "expert", "requested_by"
    )


def opinions_asked_of(user) -> QuerySet[OpinionRequest]:
    if not user.is_authenticated:
        return OpinionRequest.objects.none()
    return (
        OpinionRequest.objects.filter(expert=user)
        .select_related("application__organisation", "application__call__fund")
        .order_by("given_at", "due_on", "pk")
    )


# --- queue -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueFilters:
    call: int | None = None
    state: str = ""
    measure: int | None = None
    commune: int | None = None
    epci: int | None = None
    late: bool = False


def late_condition(today: date) -> Q:
    """An overdue opinion, or waiting for a decision more than INSTRUCTION_DAYS days since submission."""
    overdue = OpinionRequest.objects.filter(
        application=OuterRef("pk"), given_at__isnull=True, due_on__lt=today
    )
    waited = timezone.now() - timedelta(days=INSTRUCTION_DAYS)
    return Q(Exists(overdue)) | Q(state__in=WAITING_STATES, submitted_at__lt=waited)


def queue(department, filters: QueueFilters, today: date) -> QuerySet[GrantApplication]:
    """The department's applications past the draft, filtered; annotated with `is_late` (one query a page)."""
    applications = (
        GrantApplication.objects.filter(call__department=department)
        .exclude(state=ApplicationState.DRAFT)
        .select_related("call__fund", "call_programme__programme__fund", "organisation")
        .prefetch_related("measures")
        .annotate(
            overdue_opinion=Exists(
                OpinionRequest.objects.filter(
                    application=OuterRef("pk"), given_at__isnull=True, due_on__lt=today
                )
            )
        )
        .order_by("submitted_at", "pk")
    )
    if filters.call:
        applications = applications.filter(call_id=filters.call)
    if filters.state:
        applications = applications.filter(state=filters.state)
    if filters.measure:
        applications = applications.filter(measures=filters.measure)
    if filters.commune:
        applications = applications.filter(communes=filters.commune)
    if filters.epci:
        applications = applications.filter(epcis=filters.epci)
    if filters.late:
        applications = applications.filter(late_condition(today))
    return applications.distinct()


def is_late(application: GrantApplication, today: date) -> bool:
    waited = timezone.now() - timedelta(days=INSTRUCTION_DAYS)
    waiting = (
        application.state in WAITING_STATES
        and application.submitted_at is not None
        and application.submitted_at < waited
    )
    return bool(getattr(application, "overdue_opinion", False)) or waiting


def other_applications(application: GrantApplication) -> QuerySet[GrantApplication]:
    """Everything else the same organisation asked for in the department: every fund, every year."""
    return (
        GrantApplication.objects.filter(
            organisation_id=application.organisation_id,
            call__department_id=application.call.department_id,
        )
        .exclude(pk=application.pk)
        .exclude(state=ApplicationState.DRAFT)
        .select_related("call__fund", "call__department", "call_programme__programme__fund")
        .order_by("-call__year", "call__fund__order", "-pk")
    )


def past_final_reports(application: GrantApplication) -> list:
    """Hook for the final reports (Cerfa 15059): the organisation's reports once that model exists.

    Until then the list is empty and the page says so; the final-report app replaces this function's body
    with a query on its model filtered by `organisation_id`.
    """
    return []
