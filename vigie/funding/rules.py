"""The call's rules, checked on what the applicant typed (live, HTMX) and again on submission.

Each check returns French messages that show the figures. A message is blocking (the application cannot be
submitted) or only informative. `check_proposal` works on a `Proposal`, built from a saved application
(`Proposal.of`) or from a form that is not saved yet, so the same rules run everywhere.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from vigie.core.formatting import NNBSP, euros, french_date, number, round_half_up
from vigie.funding import budget
from vigie.funding.enums import ApplicantKind, ApplicationState, AttachmentKind

# How each fund is named at the start of a sentence.
FUND_SUBJECTS = {"MILDECA": "La MILDECA", "DILCRAH": "La DILCRAH", "DETR": "La DETR"}
REPORTED_STATES = (ApplicationState.REPORT_RECEIVED, ApplicationState.CLOSED)


@dataclass(frozen=True)
class RuleMessage:
    code: str
    text: str
    field: str = ""  # the part of the form to look at: "budget", "attachments", "measures", "share_justification"…
    blocking: bool = True


@dataclass
class Proposal:
    """What the rules look at: the call and programme, and what the applicant declared."""

    call: object  # FundingCall
    call_programme: object  # CallProgramme
    applicant_kind: str = ""
    includes_equipment: bool = False
    share_justification: str = ""
    is_renewal: bool = False
    previous_years: int = 0
    previous_report_filed: bool = False
    previous_application: object = None
    starts_on: date | None = None
    ends_on: date | None = None
    measure_count: int = 0
    lines: list[budget.Line] = field(default_factory=list)
    attachment_kinds: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, application, *, lines=None, attachment_kinds=None) -> "Proposal":
        """A saved application; `lines` or `attachment_kinds` replace the saved ones (a form being typed)."""
        if lines is None:
            lines = [budget.Line.of(row) for row in application.budget_lines.all()]
        if attachment_kinds is None:
            attachment_kinds = {a.kind for a in application.attachments.all()}
        return cls(
            call=application.call,
            call_programme=application.call_programme,
            applicant_kind=application.applicant_kind,
            includes_equipment=application.includes_equipment,
            share_justification=application.share_justification,
            is_renewal=application.is_renewal,
            previous_years=application.previous_years,
            previous_report_filed=application.previous_report_filed,
            previous_application=application.previous_application,
            starts_on=application.starts_on,
            ends_on=application.ends_on,
            measure_count=len(application.measures.all()),
            lines=list(lines),
            attachment_kinds=set(attachment_kinds),
        )

    @property
    def totals(self) -> budget.Totals:
        return budget.totals(self.lines)

    @property
    def requested(self) -> Decimal:
        return budget.requested_from(self.lines, self.call.fund_id)

    @property
    def fund_subject(self) -> str:
        code = self.call.fund.code
        return FUND_SUBJECTS.get(code, f"Le {code}")


def _percent(value: Decimal) -> str:
    """A share as people write it: 60 %, 62,5 %, 33,33 %."""
    return f"{number(round_half_up(value, 2))}{NNBSP}%"


def has_previous_final_report(proposal: Proposal) -> bool:
    """Hook for the final-report rule: the previous grant in Vigie has its report, or the applicant declares it.

    A previous grant in Vigie needs its filed report (`vigie.funding.final_reports`), which also moves it to
    « compte rendu reçu ».
    """
    previous = proposal.previous_application
    if previous is not None:
        return previous.state in REPORTED_STATES or hasattr(previous, "final_report")
    return proposal.previous_report_filed


def check_call_open(proposal: Proposal, today: date) -> list[RuleMessage]:
    call = proposal.call
    if call.is_open_on(today):
        return []
    if today < call.opens_on:
        text = f"L'appel à projets « {call.title} » n'ouvre que le {french_date(call.opens_on)}."
    else:
        text = (
            f"L'appel à projets « {call.title} » est clos depuis le {french_date(call.closes_on)}."
        )
    return [RuleMessage("call_closed", text, "call")]


def check_balance(proposal: Proposal) -> list[RuleMessage]:
    totals = proposal.totals
    if totals.total_costs == 0:
        return [
            RuleMessage(
                "budget_empty",
                "Le budget prévisionnel est vide : saisissez les charges et les produits.",
                "budget",
            )
        ]
    if totals.is_balanced:
        return []
    gap = totals.total_costs - totals.total_income
    direction = "dépassent les" if gap > 0 else "sont inférieures aux"
    text = (
        f"Le budget n'est pas équilibré : les charges ({euros(totals.total_costs)}) {direction} produits "
        f"({euros(totals.total_income)}) de {euros(abs(gap))}."
    )
    return [RuleMessage("budget_unbalanced", text, "budget")]


def check_requested(proposal: Proposal) -> list[RuleMessage]:
    requested = proposal.requested
    if requested > 0:
        return []
    text = (
        f"Indiquez le montant demandé au {proposal.call.fund.code} : une ligne « 74 – Subventions "
        f"d'exploitation », financeur État, fonds {proposal.call.fund.code}."
    )
    return [RuleMessage("nothing_requested", text, "budget")]


def check_minimum(proposal: Proposal) -> list[RuleMessage]:
    minimum = proposal.call_programme.min_amount
    requested = proposal.requested
    if minimum is None or requested <= 0 or requested >= minimum:
        return []
    text = (
        f"Le programme {proposal.call_programme.programme} n'instruit que les demandes d'au moins "
        f"{euros(minimum)} : {euros(requested)} demandés."
    )
    return [RuleMessage("below_minimum", text, "budget")]


def check_share(proposal: Proposal) -> list[RuleMessage]:
    programme = proposal.call_programme
    if programme.max_share is None:
        return []
    requested = proposal.requested
    base = proposal.totals.share_base(in_kind_counted=proposal.call.in_kind_counted)
    share = budget.share(requested, base)
    if share is None or share <= programme.max_share:
        return []
    figures = (
        f"{proposal.fund_subject} ne peut financer plus de {_percent(programme.max_share)} du coût total : "
        f"{euros(requested)} demandés pour {euros(base)}, soit {_percent(share)}"
    )
    if not programme.share_justification_allowed:
        return [RuleMessage("share_exceeded", f"{figures}.", "budget")]
    if proposal.share_justification.strip():
        text = f"{figures} : le dépassement sera examiné au vu de votre justification écrite."
        return [RuleMessage("share_justified", text, "share_justification", blocking=False)]
    text = f"{figures}. Réduisez la demande ou justifiez par écrit le dépassement."
    return [RuleMessage("share_exceeded", text, "budget")]


def check_applicant_kind(proposal: Proposal) -> list[RuleMessage]:
    eligible = proposal.call.eligible_applicant_kinds or []
    kind = proposal.applicant_kind
    if not kind or kind in eligible:
        return []
    label = ApplicantKind(kind).label if kind in ApplicantKind.values else kind
    allowed = ", ".join(
        ApplicantKind(k).label.lower() for k in eligible if k in ApplicantKind.values
    )
    text = f"Cet appel à projets n'est pas ouvert aux porteurs de nature « {label} » (porteurs éligibles : {allowed})."
    return [RuleMessage("applicant_not_eligible", text, "applicant_kind")]


def check_state_equipment(proposal: Proposal) -> list[RuleMessage]:
    if (
        proposal.applicant_kind != ApplicantKind.STATE_SERVICE
        or not proposal.includes_equipment
        or proposal.call.state_service_equipment_allowed
    ):
        return []
    text = f"{proposal.fund_subject} ne finance pas l'achat d'équipement par un service de l'État."
    return [RuleMessage("state_equipment", text, "includes_equipment")]


def check_renewal(proposal: Proposal) -> list[RuleMessage]:
    if not proposal.is_renewal:
        return []
    call = proposal.call
    messages = []
    if not call.automatic_renewal:
        text = (
            f"{proposal.fund_subject} ne reconduit pas automatiquement une action : la demande est examinée "
            "comme une nouvelle demande."
        )
        messages.append(RuleMessage("no_automatic_renewal", text, "is_renewal", blocking=False))
    years = proposal.previous_years + 1
    if call.max_years is not None and years > call.max_years:
        text = (
            f"{proposal.fund_subject} finance une même action {call.max_years} ans au plus : ce serait la "
            f"{number(years)}e année."
        )
        messages.append(RuleMessage("too_many_years", text, "previous_years"))
    if call.renewal_requires_final_report and not has_previous_final_report(proposal):
        text = "Un renouvellement exige le compte rendu financier de la subvention précédente (Cerfa 15059)."
        messages.append(RuleMessage("missing_final_report", text, "previous_report_filed"))
    return messages


def check_dates(proposal: Proposal) -> list[RuleMessage]:
    if proposal.starts_on and proposal.ends_on and proposal.ends_on < proposal.starts_on:
        text = (
            f"L'action finit le {french_date(proposal.ends_on)}, avant de commencer le "
            f"{french_date(proposal.starts_on)}."
        )
        return [RuleMessage("dates_reversed", text, "ends_on")]
    return []


def check_measures(proposal: Proposal) -> list[RuleMessage]:
    if proposal.measure_count:
        return []
    return [
        RuleMessage(
            "no_measure", "Choisissez au moins une mesure du plan que le projet sert.", "measures"
        )
    ]


def check_attachments(proposal: Proposal) -> list[RuleMessage]:
    missing = [
        AttachmentKind(kind).label
        for kind in proposal.call.required_attachments or []
        if kind in AttachmentKind.values and kind not in proposal.attachment_kinds
    ]
    if not missing:
        return []
    text = "Pièces obligatoires à joindre : " + ", ".join(missing) + "."
    return [RuleMessage("missing_attachments", text, "attachments")]


# The rules shown while typing the budget, then the ones added on submission.
BUDGET_CHECKS: tuple[Callable[[Proposal], list[RuleMessage]], ...] = (
    check_balance,
    check_requested,
    check_minimum,
    check_share,
)
PROJECT_CHECKS: tuple[Callable[[Proposal], list[RuleMessage]], ...] = (
    check_applicant_kind,
    check_state_equipment,
    check_renewal,
    check_dates,
    check_measures,
    check_attachments,
)


def check_budget(proposal: Proposal) -> list[RuleMessage]:
    return [message for check in BUDGET_CHECKS for message in check(proposal)]


def check_proposal(proposal: Proposal, *, today: date) -> list[RuleMessage]:
    """Every rule of the call: what the submission checks."""
    messages = check_call_open(proposal, today)
    for check in (*BUDGET_CHECKS, *PROJECT_CHECKS):
        messages.extend(check(proposal))
    return messages


def blocking(messages: list[RuleMessage]) -> list[RuleMessage]:
    return [message for message in messages if message.blocking]
