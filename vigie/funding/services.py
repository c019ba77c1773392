"""Every write of the funding app: calls, applications (project, budget, attachments), payments.

Each function takes the keyword-only `acting_user`, runs in one transaction and writes its audit entry in it.
Refusals are `ValidationError` with French messages by field (nothing is written) or `PermissionDenied`. The
changes of state are in `vigie.funding.transitions`.
"""

from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from vigie.audit import services as audit
from vigie.audit.enums import AuditAction
from vigie.core import uploads
from vigie.core.formatting import euros
from vigie.funding import budget, perms, reference, rules, transitions
from vigie.funding.enums import ApplicationState, PaymentKind
from vigie.funding.models import (
    CallProgramme,
    FundingCall,
    GrantApplication,
    GrantAttachment,
    GrantBudgetLine,
    GrantPayment,
    GrantStateChange,
)

ATTACHMENT_FORMATS = (uploads.PDF, uploads.ODT, uploads.DOCX, uploads.ODS, uploads.XLSX)

CALL_FIELDS = [
    "year",
    "title",
    "description",
    "opens_on",
    "closes_on",
    "eligible_applicant_kinds",
    "state_service_equipment_allowed",
    "in_kind_counted",
    "required_attachments",
    "automatic_renewal",
    "max_years",
    "renewal_requires_final_report",
    "is_demo",
]
CALL_PROGRAMME_FIELDS = ["envelope", "max_share", "share_justification_allowed", "min_amount"]
PROJECT_FIELDS = [
    "title",
    "summary",
    "public",
    "applicant_kind",
    "starts_on",
    "ends_on",
    "includes_equipment",
    "share_justification",
    "is_renewal",
    "previous_years",
    "previous_report_filed",
]


def _set(instance, data: dict, allowed: list[str]) -> None:
    for name, value in data.items():
        if name not in allowed:
            raise ValueError(f"{name} is not a writable field")
        setattr(instance, name, value)


def _validate_call(call: FundingCall) -> None:
    if call.opens_on and call.closes_on and call.closes_on < call.opens_on:
        raise ValidationError({"closes_on": "La clôture doit suivre l'ouverture de l'appel."})
    duplicate = FundingCall.objects.filter(
        department_id=call.department_id, fund_id=call.fund_id, year=call.year, title=call.title
    ).exclude(pk=call.pk)
    if duplicate.exists():
        raise ValidationError(
            {"title": "Un appel de ce fonds porte déjà cet intitulé cette année."}
        )


# --- calls -----------------------------------------------------------------------------------------


@transaction.atomic
def create_call(*, acting_user, department, fund, data: dict) -> FundingCall:
    """A call of `fund` in `department`, with every programme of the fund and the fund's default rules."""
    if not perms.can_manage_calls(acting_user, department.pk):
        raise PermissionDenied
    call = FundingCall(department=department, fund=fund, **reference.default_call_rules(fund.code))
    _set(call, data, CALL_FIELDS)
    _validate_call(call)
    call.save()
    audit.record_create(acting_user=acting_user, instance=call, department=department)
    for programme in fund.programmes.all():
        line = CallProgramme.objects.create(
            call=call,
            programme=programme,
            **reference.default_programme_rules(fund.code, programme.code),
        )
        audit.record_create(
            acting_user=acting_user, instance=line, parent=call, department=department
        )
    return call


@transaction.atomic
def update_call(*, acting_user, call: FundingCall, data: dict) -> FundingCall:
    if not perms.can_manage_calls(acting_user, call.department_id):
        raise PermissionDenied
    before = audit.snapshot(call, list(data))
    _set(call, data, CALL_FIELDS)
    _validate_call(call)
    call.save()
    audit.record_update(
        acting_user=acting_user, instance=call, before=before, department=call.department
    )
    return call


@transaction.atomic
def update_call_programme(
    *, acting_user, call_programme: CallProgramme, data: dict
) -> CallProgramme:
    """The envelope and rules of one programme of a call."""
    call = call_programme.call
    if not perms.can_manage_calls(acting_user, call.department_id):
        raise PermissionDenied
    for name in ("envelope", "min_amount"):
        if data.get(name) is not None and data[name] < 0:
            raise ValidationError({name: "Un montant ne peut pas être négatif."})
    before = audit.snapshot(call_programme, list(data))
    _set(call_programme, data, CALL_PROGRAMME_FIELDS)
    call_programme.save()
    audit.record_update(
        acting_user=acting_user,
        instance=call_programme,
        before=before,
        parent=call,
        department=call.department,
    )
    return call_programme


# --- applications ----------------------------------------------------------------------------------


def _check_relations(call: FundingCall, measures, communes, epcis) -> None:
    """Measures of the call's department's plans, communes and EPCI of the department (forms offer no other)."""
    errors = {}
    if any(m.axis.plan.department_id != call.department_id for m in measures):
        errors["measures"] = "Choisissez des mesures du plan du département."
    if any(c.department_id != call.department_id for c in communes):
        errors["communes"] = "Choisissez des communes du département."
    if (
        epcis
        and type(epcis[0])
        .objects.filter(pk__in=[e.pk for e in epcis])
        .exclude(departments=call.department_id)
        .exists()
    ):
        errors["epcis"] = "Choisissez des intercommunalités du département."
    if errors:
        raise ValidationError(errors)


def _set_relations(application, *, measures, indicators, communes, epcis) -> None:
    application.measures.set(measures)
    application.indicators.set([i for i in indicators if i.measure_id in {m.pk for m in measures}])
    application.communes.set(communes)
    application.epcis.set(epcis)


@transaction.atomic
def create_application(
    *,
    acting_user,
    call_programme: CallProgramme,
    data: dict,
    measures: Sequence = (),
    indicators: Iterable = (),
    communes: Iterable = (),
    epcis: Iterable = (),
    is_demo: bool = False,
) -> GrantApplication:
    """A draft application of the acting applicant's organisation to an open call."""
    call = call_programme.call
    today = timezone.localdate()
    if not perms.is_applicant(acting_user) or acting_user.department_id != call.department_id:
        raise PermissionDenied
    if not call.is_open_on(today):
        raise ValidationError(
            {"__all__": rules.check_call_open(rules.Proposal(call, call_programme), today)[0].text}
        )
    return new_application(
        acting_user=acting_user,
        call_programme=call_programme,
        organisation=acting_user.organisation,
        data=data,
        measures=measures,
        indicators=indicators,
        communes=communes,
        epcis=epcis,
        is_demo=is_demo,
    )


def new_application(
    *,
    acting_user,
    call_programme: CallProgramme,
    organisation,
    data: dict,
    measures: Sequence = (),
    indicators: Iterable = (),
    communes: Iterable = (),
    epcis: Iterable = (),
    is_demo: bool = False,
    state: str = ApplicationState.DRAFT,
    submitted_at=None,
    external_reference: str = "",
    reason: str = "",
) -> GrantApplication:
    """Write an application, its relations, its first timeline step and its audit entry. The callers check who
    may: `create_application` (an applicant's draft), `application_import.import_applications` (deposited
    applications brought in from another platform)."""
    call = call_programme.call
    measures, communes, epcis = list(measures), list(communes), list(epcis)
    _check_relations(call, measures, communes, epcis)
    now = timezone.now()
    application = GrantApplication(
        call=call,
        call_programme=call_programme,
        organisation=organisation,
        created_by=acting_user,
        is_demo=is_demo,
        state=state,
        state_changed_at=now,
        submitted_at=submitted_at,
        external_reference=external_reference,
    )
    _set(application, data, PROJECT_FIELDS)
    application.save()
    _set_relations(
        application, measures=measures, indicators=indicators, communes=communes, epcis=epcis
    )
    GrantStateChange.objects.create(
        application=application, to_state=state, actor=acting_user, at=now, message=reason
    )
    audit.record_create(
        acting_user=acting_user, instance=application, department=call.department, reason=reason
    )
    return application


def _require_editable(acting_user, application: GrantApplication) -> None:
    """The applicant changes a draft (while its call is open) or an application sent back for correction."""
    if not perms.can_edit_application(acting_user, application):
        raise PermissionDenied
    today = timezone.localdate()
    if application.state == ApplicationState.DRAFT and not application.call.is_open_on(today):
        proposal = rules.Proposal(application.call, application.call_programme)
        raise ValidationError({"__all__": rules.check_call_open(proposal, today)[0].text})


@transaction.atomic
def update_project(
    *, acting_user, application: GrantApplication, data: dict, measures, indicators, communes, epcis
) -> GrantApplication:
    _require_editable(acting_user, application)
    measures, communes, epcis = list(measures), list(communes), list(epcis)
    _check_relations(application.call, measures, communes, epcis)
    before = audit.snapshot(application, list(data))
    old_measures = sorted(str(m) for m in application.measures.all())
    _set(application, data, PROJECT_FIELDS)
    application.save()
    _set_relations(
        application, measures=measures, indicators=indicators, communes=communes, epcis=epcis
    )
    changes = audit.diff(application, before, audit.snapshot(application, list(before)))
    new_measures = sorted(str(m) for m in measures)
    if new_measures != old_measures:
        changes["measures"] = {
            "label": "mesures du plan",
            "old": " ; ".join(old_measures),
            "new": " ; ".join(new_measures),
        }
    audit.record(
        acting_user=acting_user,
        action=AuditAction.UPDATE,
        instance=application,
        changes=changes,
        department=application.call.department,
    )
    return application


def _budget_text(lines: Iterable) -> str:
    return " ; ".join(
        f"{line.account} {line.funder_category} {line.amount}".replace("  ", " ") for line in lines
    )


@transaction.atomic
def save_budget(
    *, acting_user, application: GrantApplication, lines: list[budget.Line]
) -> GrantApplication:
    """Replace the forecast budget. Refused, with nothing written, when an amount is negative or the budget does
    not balance. The call's other rules (share, minimum) are shown, and enforced on submission."""
    _require_editable(acting_user, application)
    if any(line.amount < 0 for line in lines):
        raise ValidationError({"__all__": "Un montant du budget ne peut pas être négatif."})
    lines = [line for line in lines if line.amount > 0]
    proposal = rules.Proposal.of(application, lines=lines)
    unbalanced = rules.check_balance(proposal)
    if unbalanced:
        raise ValidationError({"__all__": unbalanced[0].text})
    write_budget(acting_user=acting_user, application=application, lines=lines, proposal=proposal)
    return application


def write_budget(
    *, acting_user, application: GrantApplication, lines: list[budget.Line], proposal, reason=""
) -> None:
    """Replace the budget lines by balanced `lines` and audit it. The callers check who may and the balance:
    `save_budget`, `application_import.import_applications`."""
    old_text = _budget_text(application.budget_lines.all())
    before = audit.snapshot(application, ["requested_amount", "total_cost"])
    application.budget_lines.all().delete()
    GrantBudgetLine.objects.bulk_create(
        GrantBudgetLine(
            application=application,
            account=line.account,
            label=line.label,
            funder_category=line.funder_category,
            fund_id=line.fund_id,
            amount=line.amount,
            order=position,
        )
        for position, line in enumerate(lines)
    )
    application.requested_amount = proposal.requested
    application.total_cost = proposal.totals.total_costs
    application.save(update_fields=["requested_amount", "total_cost", "updated_at"])
    changes = audit.diff(application, before, audit.snapshot(application, list(before)))
    new_text = _budget_text(lines)
    if new_text != old_text:
        changes["budget_lines"] = {"label": "lignes du budget", "old": old_text, "new": new_text}
    audit.record(
        acting_user=acting_user,
        action=AuditAction.UPDATE,
        instance=application,
        changes=changes,
        department=application.call.department,
        reason=reason or "Budget prévisionnel",
    )


@transaction.atomic
def add_attachment(
    *, acting_user, application: GrantApplication, kind: str, upload
) -> GrantAttachment:
    """Join a file (checked by vigie.core.uploads: size, type, content) in the private storage."""
    _require_editable(acting_user, application)
    try:
        uploads.check_file(upload.name, upload.size, uploads.read_head(upload), ATTACHMENT_FORMATS)
    except uploads.UploadRefused as error:
        raise ValidationError({"file": error.message}) from None
    name = PurePath(upload.name).name
    attachment = GrantAttachment(
        application=application,
        kind=kind,
        original_name=name[:255],
        size=upload.size,
        uploaded_by=acting_user,
    )
    attachment.file.save(name, upload, save=False)
    attachment.save()
    audit.record_create(
        acting_user=acting_user,
        instance=attachment,
        parent=application,
        department=application.call.department,
    )
    return attachment


@transaction.atomic
def remove_attachment(*, acting_user, attachment: GrantAttachment) -> None:
    application = attachment.application
    _require_editable(acting_user, application)
    audit.record_delete(
        acting_user=acting_user,
        instance=attachment,
        parent=application,
        department=application.call.department,
    )
    stored, storage = attachment.file.name, attachment.file.storage
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(stored))


# --- payments --------------------------------------------------------------------------------------

BALANCE_KINDS = (PaymentKind.BALANCE, PaymentKind.SINGLE)


@transaction.atomic
def record_payment(*, acting_user, application: GrantApplication, data: dict) -> GrantPayment:
    """A payment of a notified grant: the first one makes it « versé », the balance « compte rendu attendu »."""
    if not perms.can_instruct(acting_user, application):
        raise PermissionDenied
    application = (
        GrantApplication.objects.select_for_update()
        .select_related("call__department")
        .get(pk=application.pk)
    )
    if application.state not in (ApplicationState.NOTIFIED, ApplicationState.PAID):
        raise ValidationError({"__all__": "Un versement suit la notification de la subvention."})
    amount = data.get("amount")
    if amount is None or amount <= 0:
        raise ValidationError({"amount": "Indiquez un montant positif, en euros."})
    paid = sum((p.amount for p in application.payments.all()), Decimal("0"))
    granted = application.granted_amount or Decimal("0")
    if paid + amount > granted:
        raise ValidationError(
            {
                "amount": f"Les versements dépasseraient le montant accordé : {euros(paid)} déjà versés, "
                f"{euros(amount)} de plus pour {euros(granted)} accordés."
            }
        )
    if not (data.get("commitment_number") or "").strip():
        raise ValidationError({"commitment_number": "Indiquez le numéro d'engagement juridique."})
    payment = GrantPayment.objects.create(application=application, recorded_by=acting_user, **data)
    audit.record_create(
        acting_user=acting_user,
        instance=payment,
        parent=application,
        department=application.call.department,
    )
    if application.state == ApplicationState.NOTIFIED:
        transitions.apply_system_transition(
            acting_user=acting_user, application=application, target=ApplicationState.PAID
        )
    if payment.kind in BALANCE_KINDS:
        transitions.apply_system_transition(
            acting_user=acting_user, application=application, target=ApplicationState.REPORT_DUE
        )
    return payment
