"""The funders' committee (« comité des financeurs », SNPD measure 37): sessions, agenda, each funder's proposed
amount, the programming (envelopes left, each project's public share and co-financing checks) and the decisions.

A session is a meeting of the governance body of kind « comité des financeurs » (created with the department's
first session). Decisions go through the life-cycle service (vigie.funding.transitions.change_state): recorded
in bulk in one transaction, each audited; the meeting's minutes are written from them.
The arithmetic is the funding app's (vigie.funding.budget, vigie.funding.rules): nothing is recomputed here.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.template.loader import render_to_string
from django.utils import timezone

from vigie.audit import services as audit
from vigie.core.formatting import euros, number, round_half_up
from vigie.funding import budget, rules, transitions
from vigie.funding.enums import (
    GRANTED_STATES,
    ApplicationState,
    FunderCategory,
    FundKind,
    GrantNature,
)
from vigie.funding.instruction_access import can_instruct_department
from vigie.funding.instruction_enums import CommitteeOutcome
from vigie.funding.models import (
    CallProgramme,
    CommitteeItem,
    CommitteeSession,
    Fund,
    FunderProposal,
    FundingCall,
    FundProgramme,
    GrantApplication,
    GrantBudgetLine,
)
from vigie.governance import services as governance
from vigie.governance.enums import BodyKind, Cadence
from vigie.governance.models import Body
from vigie.organisations.models import Organisation

ZERO = Decimal("0")
# Total State funding of an investment (programmes S, K, DETR…): at most 80 % of its cost.
STATE_INVESTMENT_MAX_SHARE = Decimal("80")
AGENDA_STATES = (ApplicationState.IN_REVIEW,)
OUTCOME_TARGETS = {
    CommitteeOutcome.ACCEPTED: ApplicationState.ACCEPTED,
    CommitteeOutcome.REFUSED: ApplicationState.REFUSED,
    CommitteeOutcome.DISMISSED: ApplicationState.DISMISSED,
}


def _require_instructor(acting_user, department_id) -> None:
    if not can_instruct_department(acting_user, department_id):
        raise PermissionDenied


def _require_open(session: CommitteeSession) -> None:
    if session.decided_at is not None:
        raise ValidationError(
            {
                "__all__": "Les décisions de cette séance sont enregistrées : la programmation est close."
            }
        )


def funders_body(*, acting_user, department) -> Body:
    """The department's « comité des financeurs », created (audited) the first time a session is planned."""
    body = Body.objects.filter(department=department, kind=BodyKind.FUNDERS).first()
    if body is None:
        body = governance.create_body(
            acting_user=acting_user,
            department=department,
            data={
                "kind": BodyKind.FUNDERS,
                "name": f"Comité des financeurs — {department.name}",
                "cadence": Cadence.YEARLY,
                "president": "Préfet",
            },
        )
    return body


@transaction.atomic
def create_session(*, acting_user, department, year: int, data: dict) -> CommitteeSession:
    """A session: a new meeting of the department's funders' committee (`data`: date, start_time, location)."""
    _require_instructor(acting_user, department.pk)
    body = funders_body(acting_user=acting_user, department=department)
    meeting = governance.create_meeting(
        acting_user=acting_user,
        body=body,
        data={
            "title": f"Programmation {year}",
            "agenda": "Programmation des demandes de subvention.",
            **data,
        },
    )
    session = CommitteeSession.objects.create(meeting=meeting, department=department, year=year)
    audit.record_create(
        acting_user=acting_user, instance=session, parent=meeting, department=department
    )
    return session


@transaction.atomic
def add_to_agenda(*, acting_user, session: CommitteeSession, applications) -> list[CommitteeItem]:
    """Put applications under instruction on the agenda; the call's fund starts with the instructor's proposal."""
    _require_instructor(acting_user, session.department_id)
    _require_open(session)
    applications = list(applications)
    wrong = [a for a in applications if a.call.department_id != session.department_id]
    waiting = [a for a in applications if a.state not in AGENDA_STATES]
    if wrong or waiting:
        names = ", ".join(f"« {a.title} »" for a in [*wrong, *waiting])
        raise ValidationError(
            {
                "applications": f"Seules les demandes en instruction du département "
                f"passent en comité : {names}."
            }
        )
    present = set(session.items.values_list("application_id", flat=True))
    last = session.items.count()
    items = []
    for application in applications:
        if application.pk in present:
            continue
        last += 1
        item = CommitteeItem.objects.create(session=session, application=application, order=last)
        audit.record_create(
            acting_user=acting_user, instance=item, parent=session, department=session.department
        )
        review = getattr(application, "instruction_review", None)
        if review is not None and review.proposed_amount:
            _write_proposal(acting_user, item, application.call.fund, review.proposed_amount)
        items.append(item)
    return items


def _write_proposal(acting_user, item: CommitteeItem, fund: Fund, amount: Decimal | None):
    proposal = FunderProposal.objects.filter(item=item, fund=fund).first()
    if proposal is not None:
        proposal.fund = fund  # its audit entry names it (str(proposal)): no second query for it
    department = item.session.department
    if amount is None or amount == 0:
        if proposal is not None:
            audit.record_delete(
                acting_user=acting_user, instance=proposal, parent=item, department=department
            )
            proposal.delete()
        return None
    if proposal is None:
        proposal = FunderProposal.objects.create(
            item=item, fund=fund, amount=amount, updated_by=acting_user
        )
        audit.record_create(
            acting_user=acting_user, instance=proposal, parent=item, department=department
        )
        return proposal
    before = audit.snapshot(proposal, ["amount"])
    proposal.amount, proposal.updated_by = amount, acting_user
    proposal.save()
    audit.record_update(
        acting_user=acting_user,
        instance=proposal,
        before=before,
        parent=item,
        department=department,
    )
    return proposal


@transaction.atomic
def set_proposal(*, acting_user, item: CommitteeItem, fund: Fund, amount: Decimal | None):
    """One funder's proposed amount for one agenda item (empty or zero: no proposal)."""
    _require_instructor(acting_user, item.session.department_id)
    _require_open(item.session)
    if amount is not None and amount < 0:
        raise ValidationError({"amount": "Un montant ne peut pas être négatif."})
    return _write_proposal(acting_user, item, fund, amount)


# --- programming -----------------------------------------------------------------------------------


@dataclass
class EnvelopeLine:
    call_programme: CallProgramme
    envelope: Decimal | None
    committed: Decimal  # granted before this session (applications not on its agenda)
    proposed: Decimal  # proposed in this session by the call's fund

    @property
    def remaining(self) -> Decimal | None:
        if self.envelope is None:
            return None
        return self.envelope - self.committed - self.proposed

    @property
    def is_exceeded(self) -> bool:
        return self.remaining is not None and self.remaining < 0


@dataclass
class ProgrammingRow:
    item: "CommitteeItem | AgendaItem"
    amounts: dict[int, Decimal]  # fund id → proposed amount
    total_public: Decimal
    public_share: Decimal | None
    messages: list[str] = field(default_factory=list)

    @property
    def application(self) -> "GrantApplication | AgendaApplication":
        return self.item.application

    @property
    def state_amount(self) -> Decimal:
        return self.amounts.get(self.application.call.fund_id, ZERO)


@dataclass
class Programming:
    funders: list[Fund]
    rows: list[ProgrammingRow]
    envelopes: list[EnvelopeLine]
    other_funders: list[Fund] = field(default_factory=list)  # funders that can be added as a column

    @property
    def has_blocking(self) -> bool:
        return any(e.is_exceeded for e in self.envelopes)


OUTCOME_LABELS = dict(CommitteeOutcome.choices)


@dataclass(slots=True)
class AgendaApplication:
    """An application as the programming page reads it (load_agenda), under the model's attribute names: a few
    columns read as a tuple, its call, call programme and organisation shared with the other rows."""

    pk: int
    title: str
    requested_amount: Decimal
    total_cost: Decimal
    share_justification: str
    call: FundingCall
    call_programme: CallProgramme
    organisation: Organisation

    @property
    def call_programme_id(self) -> int:
        return self.call_programme.pk


@dataclass(slots=True)
class AgendaItem:
    """An agenda item as the programming page reads it (load_agenda)."""

    pk: int
    outcome: str
    application: AgendaApplication

    def get_outcome_display(self) -> str:
        return OUTCOME_LABELS.get(self.outcome, self.outcome)


@dataclass
class AgendaEntry:
    """An agenda item with what the programming reads of it: the proposals and the application's budget."""

    item: CommitteeItem | AgendaItem
    amounts: dict[int, Decimal]  # fund id → proposed amount
    lines: list[budget.Line]

    @classmethod
    def of(cls, item: CommitteeItem) -> "AgendaEntry":
        """An item whose proposals and budget lines are prefetched (instruction_access.session_queryset)."""
        return cls(
            item,
            {p.fund_id: p.amount for p in item.proposals.all()},
            [budget.Line.of(row) for row in item.application.budget_lines.all()],
        )


def _agenda_items(items) -> list[AgendaItem]:
    """The items as tuples; each call, call programme and organisation built once (not once per item)."""
    rows = list(
        items.order_by("order", "pk").values_list(
            "pk",
            "outcome",
            "application_id",
            "application__title",
            "application__requested_amount",
            "application__total_cost",
            "application__share_justification",
            "application__call_id",
            "application__call_programme_id",
            "application__organisation_id",
        )
    )
    calls = FundingCall.objects.filter(pk__in=items.values("application__call_id"))
    programmes = CallProgramme.objects.filter(pk__in=items.values("application__call_programme_id"))
    organisations = Organisation.objects.filter(pk__in=items.values("application__organisation_id"))
    calls = calls.select_related("fund")
    programmes = programmes.select_related("programme__fund", "call__fund")
    organisations = organisations.only("name", "acronym")
    calls, programmes, organisations = (
        {obj.pk: obj for obj in queryset.order_by()}
        for queryset in (calls, programmes, organisations)
    )
    return [
        AgendaItem(
            pk,
            outcome,
            AgendaApplication(
                application_id,
                title,
                requested,
                total_cost,
                justification,
                calls[call_id],
                programmes[programme_id],
                organisations[organisation_id],
            ),
        )
        for (
            pk,
            outcome,
            application_id,
            title,
            requested,
            total_cost,
            justification,
            call_id,
            programme_id,
            organisation_id,
        ) in rows
    ]


def load_agenda(session: CommitteeSession, *, item_pk: int | None = None) -> list[AgendaEntry]:
    """The agenda (or one item of it) as the programming page reads it, in six queries whatever its length: only
    the columns shown and checked, read as tuples rather than model instances (several times faster)."""
    items = CommitteeItem.objects.filter(session=session)
    proposals = FunderProposal.objects.filter(item__session=session)
    if item_pk is not None:
        items, proposals = items.filter(pk=item_pk), proposals.filter(item_id=item_pk)
    agenda = _agenda_items(items)
    amounts = defaultdict(dict)
    for item_id, fund_id, amount in proposals.order_by().values_list(
        "item_id", "fund_id", "amount"
    ):
        amounts[item_id][fund_id] = amount
    budgets = defaultdict(list)
    lines = GrantBudgetLine.objects.filter(application__committee_items__in=items)
    for application_id, *line in lines.order_by("application_id", "order", "pk").values_list(
        "application_id", "account", "amount", "funder_category", "fund_id", "label"
    ):
        budgets[application_id].append(budget.Line(*line))
    return [AgendaEntry(item, amounts[item.pk], budgets[item.application.pk]) for item in agenda]


@dataclass(slots=True)
class WaitingApplication:
    """An application under instruction that can be put on the agenda, as its check box is labelled."""

    pk: int
    title: str
    organisation: Organisation
    programme: FundProgramme


def waiting_applications(
    session: CommitteeSession, *, limit: int = 200
) -> list[WaitingApplication]:
    """The department's applications under instruction not on the agenda yet (the first `limit`), three queries:
    tuples, and each organisation and programme built once."""
    applications = (
        GrantApplication.objects.filter(
            call__department_id=session.department_id, state=ApplicationState.IN_REVIEW
        )
        .exclude(committee_items__session=session)
        .order_by("call__fund__order", "title")
    )
    columns = ("pk", "title", "organisation_id", "call_programme__programme_id")
    rows = list(applications.values_list(*columns)[:limit])
    organisations = Organisation.objects.filter(pk__in={row[2] for row in rows})
    organisations = {o.pk: o for o in organisations.only("name", "acronym").order_by()}
    programmes = FundProgramme.objects.filter(pk__in={row[3] for row in rows})
    programmes = {p.pk: p for p in programmes.select_related("fund").order_by()}
    return [
        WaitingApplication(pk, title, organisations[organisation], programmes[programme])
        for pk, title, organisation, programme in rows
    ]


def _percent(value: Decimal) -> str:
    return f"{number(round_half_up(value, 2))}\u202f%"


def _row_checks(
    application: "GrantApplication | AgendaApplication",
    lines: list[budget.Line],
    amounts: dict[int, Decimal],
    funds: dict,
) -> list[str]:
    """The call's share rule on the proposed amount, the State's share of an investment, and each State fund's
    proposal against what the budget asked of it."""
    call = application.call
    state_amount = amounts.get(call.fund_id, ZERO)
    proposed_lines = [
        line
        for line in lines
        if not (
            line.account == "74"
            and line.funder_category == FunderCategory.STATE
            and line.fund_id == call.fund_id
        )
    ] + [budget.Line("74", state_amount, FunderCategory.STATE, call.fund_id)]
    # Only what the share rule reads (rules.check_share): the call, its programme, the budget, the justification.
    proposal = rules.Proposal(
        call=call,
        call_programme=application.call_programme,
        share_justification=application.share_justification,
        lines=proposed_lines,
    )
    messages = [m.text for m in rules.check_share(proposal)]
    base = budget.totals(lines).share_base(in_kind_counted=call.in_kind_counted)
    state_total = sum(
        (
            amount
            for fund_id, amount in amounts.items()
            if funds[fund_id].funder_category == FunderCategory.STATE
        ),
        ZERO,
    )
    state_share = budget.share(state_total, base)
    if (
        application.call_programme.programme.nature == GrantNature.INVESTMENT
        and state_share is not None
        and state_share > STATE_INVESTMENT_MAX_SHARE
    ):
        messages.append(
            f"Les financements de l'État dépassent {_percent(STATE_INVESTMENT_MAX_SHARE)} d'un investissement : "
            f"{euros(state_total)} pour {euros(base)}, soit {_percent(state_share)}."
        )
    for fund_id, amount in amounts.items():
        fund = funds[fund_id]
        if fund.kind != FundKind.STATE_FUND:
            continue
        asked = budget.requested_from(lines, fund_id)
        if amount > asked:
            messages.append(f"{fund.code} propose {euros(amount)} pour {euros(asked)} demandés.")
    total = sum(amounts.values(), ZERO)
    if base > 0 and total > base:
        messages.append(
            f"Les financeurs proposent {euros(total)} pour un coût total de {euros(base)}."
        )
    return messages


def programming_row(entry: AgendaEntry, funds: dict[int, Fund]) -> ProgrammingRow:
    """One project's line: the proposals, the public share of its cost and the co-financing checks."""
    application = entry.item.application
    total = sum(entry.amounts.values(), ZERO)
    return ProgrammingRow(
        entry.item,
        entry.amounts,
        total,
        budget.share(total, application.total_cost),
        _row_checks(application, entry.lines, entry.amounts, funds),
    )


def _committed(session: CommitteeSession, call_programme_ids) -> dict[int, Decimal]:
    """What was granted before, per call programme, outside this session's agenda (one query)."""
    rows = (
        GrantApplication.objects.filter(
            call_programme_id__in=call_programme_ids, state__in=GRANTED_STATES
        )
        .exclude(committee_items__session=session)
        .values("call_programme_id")
        .annotate(total=Sum("granted_amount"))
        .order_by()
    )
    return {row["call_programme_id"]: row["total"] or ZERO for row in rows}


def _envelope_lines(session, programmes: dict[int, CallProgramme], proposed) -> list[EnvelopeLine]:
    committed = _committed(session, list(programmes))
    envelopes = [
        EnvelopeLine(cp, cp.envelope, committed.get(pk, ZERO), proposed.get(pk, ZERO))
        for pk, cp in programmes.items()
    ]
    envelopes.sort(
        key=lambda e: (
            e.call_programme.call.fund.order,
            str(e.call_programme.programme),
            e.call_programme.pk,
        )
    )
    return envelopes


def session_envelopes(session: CommitteeSession) -> list[EnvelopeLine]:
    """The envelopes alone, as programming() computes them, without reading the agenda's applications (after one
    amount is typed): three queries."""
    programmes = {
        cp.pk: cp
        for cp in CallProgramme.objects.filter(
            pk__in=session.items.values("application__call_programme_id")
        )
        .select_related("programme__fund", "call__fund")
        .order_by()
    }
    proposed = defaultdict(lambda: ZERO)
    for call_programme_id, call_fund_id, fund_id, amount in (
        FunderProposal.objects.filter(item__session=session)
        .order_by()
        .values_list(
            "item__application__call_programme_id",
            "item__application__call__fund_id",
            "fund_id",
            "amount",
        )
    ):
        if fund_id == call_fund_id:
            proposed[call_programme_id] += amount
    return _envelope_lines(session, programmes, proposed)


def programming(
    session: CommitteeSession, extra_funders=(), *, agenda: list[AgendaEntry] | None = None
) -> Programming:
    """Envelopes left and each project's public share; a fixed number of queries.

    The columns: the funds of the calls on the agenda, the funders with a proposal, and `extra_funders` (ids of
    co-funders the committee adds to the table before typing their amounts). `agenda`: as load_agenda() reads it
    (the page); by default the session's prefetched items (decisions and minutes, which use whole applications)."""
    if agenda is None:
        agenda = [AgendaEntry.of(item) for item in session.items.all()]
    shown = {entry.item.application.call.fund_id for entry in agenda} | set(extra_funders)
    shown |= {fund_id for entry in agenda for fund_id in entry.amounts}
    all_funds = list(Fund.objects.all())
    funders = [f for f in all_funds if f.pk in shown]
    funds = {f.pk: f for f in all_funds}
    rows, proposed = [], defaultdict(lambda: ZERO)
    programmes = {}
    for entry in agenda:
        application = entry.item.application
        rows.append(programming_row(entry, funds))
        programmes[application.call_programme_id] = application.call_programme
        proposed[application.call_programme_id] += entry.amounts.get(application.call.fund_id, ZERO)
    envelopes = _envelope_lines(session, programmes, proposed)
    others = [f for f in all_funds if f.pk not in shown]
    return Programming(funders, rows, envelopes, others)


# --- decisions and minutes -------------------------------------------------------------------------


def _decide(acting_user, item: CommitteeItem, outcome: str, message: str, granted: Decimal) -> None:
    target = OUTCOME_TARGETS.get(outcome)
    if target is not None:
        transitions.change_state(
            acting_user=acting_user,
            application=item.application,
            target=target,
            decision=transitions.Decision(
                message=message if target != ApplicationState.ACCEPTED else "",
                granted_amount=granted if target == ApplicationState.ACCEPTED else None,
            ),
        )
    before = audit.snapshot(item, ["outcome"])
    item.outcome = outcome
    item.save(update_fields=["outcome"])
    audit.record_update(
        acting_user=acting_user,
        instance=item,
        before=before,
        parent=item.session,
        department=item.session.department,
    )


@transaction.atomic
def record_decisions(
    *, acting_user, session: CommitteeSession, outcomes: dict[int, str], message: str
):
    """Every decision of the session at once, or none: an envelope exceeded by the accepted amounts, an accepted
    project without an amount from the call's fund or any refusal of the life-cycle service cancels them all."""
    _require_instructor(acting_user, session.department_id)
    _require_open(session)
    view = programming(session)
    errors = []
    accepted_by_programme = defaultdict(lambda: ZERO)
    for row in view.rows:
        outcome = outcomes.get(row.item.pk, "")
        if outcome not in CommitteeOutcome.values:
            errors.append(f"« {row.application.title} » : choisissez une décision.")
        elif outcome == CommitteeOutcome.ACCEPTED:
            accepted_by_programme[row.application.call_programme_id] += row.state_amount
    for envelope in view.envelopes:
        accepted = accepted_by_programme[envelope.call_programme.pk]
        if envelope.envelope is not None and envelope.committed + accepted > envelope.envelope:
            over = envelope.committed + accepted - envelope.envelope
            errors.append(
                f"L'enveloppe {envelope.call_programme.programme} ({euros(envelope.envelope)}) serait dépassée "
                f"de {euros(over)}."
            )
    if errors:
        raise ValidationError({"__all__": errors})
    text = (
        message or ""
    ).strip() or f"Décision du comité des financeurs du {session.meeting.date:%d/%m/%Y}."
    for row in view.rows:
        try:
            _decide(acting_user, row.item, outcomes[row.item.pk], text, row.state_amount)
        except ValidationError as error:
            errors.extend(f"« {row.application.title} » : {m}" for m in error.messages)
    if errors:
        raise ValidationError({"__all__": errors})
    session.decided_at = timezone.now()
    session.save(update_fields=["decided_at"])
    governance.update_meeting(
        acting_user=acting_user,
        meeting=session.meeting,
        data={
            "minutes": render_to_string("funding/instruction/minutes.txt", minutes_context(session))
        },
    )
    return session


def minutes_context(session: CommitteeSession) -> dict:
    view = programming(session)
    granted = sum(
        (row.state_amount for row in view.rows if row.item.outcome == CommitteeOutcome.ACCEPTED),
        ZERO,
    )
    return {"session": session, "programming": view, "granted_total": granted}


def minutes_pdf(html: str) -> bytes:
    """The minutes as PDF (WeasyPrint), with the print stylesheet read from the static files, no network."""
    from django.contrib.staticfiles import finders
    from weasyprint import CSS, HTML

    stylesheet = CSS(filename=finders.find("vigie/css/print-minutes.css"))
    return HTML(string=html).write_pdf(stylesheets=[stylesheet])
