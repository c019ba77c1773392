"""Demonstration data of a grant's life after the call, in the Gers: the funders' committee, opinions, letters,
payments and final reports, written through the services as the prefecture's demo agent would.

Two sessions of the « comité des financeurs »: one held, whose decisions are recorded (two grants accepted, one
refused, one deferred), and the next one, whose agenda carries the applications still under instruction with the
funders' proposed amounts. The accepted grants get their letters (decision and notification), are notified and
paid; the refused one its refusal letter. A closed call of a past year carries two paid grants: one whose final
report the applicant filed, one whose report is overdue (the overdue list shows it). One référent's opinion is
given, another awaited. Every application and call is flagged `is_demo`, the sessions' titles say
« démonstration »; `clear` removes all of it before the demo is loaded again.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from vigie.funding import committee, final_reports, instruction, letters, services, transitions
from vigie.funding.enums import ApplicantKind, ApplicationState, LetterKind, PaymentKind
from vigie.funding.instruction_enums import CommitteeOutcome, OpinionService, OpinionVerdict
from vigie.funding.models import (
    CommitteeSession,
    Fund,
    FundingCall,
    GrantApplication,
    GrantLetter,
)

DEPARTMENT = "32"
SESSION_MARK = "séance de démonstration"
A, C = ApplicantKind.ASSOCIATION, ApplicantKind.OTHER_PUBLIC
IN_REVIEW = ApplicationState.IN_REVIEW


@dataclass(frozen=True)
class Agenda:
    """An application of the held session: its spec fields, the funders' amounts and the committee's outcome."""

    title: str
    programme: str
    organisation: str
    kind: str
    cost: int
    requested: int
    public: str
    amounts: tuple[tuple[str, int], ...]
    outcome: str


HELD_AGENDA = (
    Agenda(
        "Médiation sociale de nuit dans le quartier du Garros",
        "D",
        "AVMP",
        A,
        30000,
        12000,
        "Jeunes de 14 à 25 ans",
        (("FIPD", 12000), ("CD", 6000)),
        CommitteeOutcome.ACCEPTED,
    ),
    Agenda(
        "Vidéoprotection des abords du collège de Mirande",
        "S",
        "Conseil départemental du Gers",
        C,
        40000,
        24000,
        "Collégiens et habitants",
        (("FIPD", 20000), ("COMMUNE", 8000)),
        CommitteeOutcome.ACCEPTED,
    ),
    Agenda(
        "Prévention des rixes entre jeunes de quartiers voisins",
        "D",
        "ADFI",
        A,
        16000,
        8000,
        "Jeunes",
        (),
        CommitteeOutcome.REFUSED,
    ),
    Agenda(
        "Atelier théâtre sur le respect dans les collèges ruraux",
        "D",
        "ADFI",
        A,
        9000,
        4500,
        "Collégiens",
        (("FIPD", 4000),),
        CommitteeOutcome.DEFERRED,
    ),
)
REFUSAL = "Le projet relève des actions déjà financées par le contrat de ville du Grand Auch."
# Applications of the demo (vigie.funding.demo) under instruction, on the next session's agenda: amounts proposed.
NEXT_AGENDA = {
    "Prévention de l'emprise sectaire auprès des lycéens": (("FIPD", 7000),),
    "Médiation familiale pour prévenir les ruptures": (("FIPD", 10000), ("CAF", 4000)),
    "Consultations jeunes consommateurs itinérantes": (("MILDECA", 12000), ("ARS", 2000)),
    "Atelier théâtre sur le respect dans les collèges ruraux": (("FIPD", 4000),),
}
PAST_GRANTS = (
    ("Intervenant social en gendarmerie — exercice précédent", "AVMP", 42000, 21000, True),
    ("Chantiers éducatifs de l'été à Condom", "ADFI", 14000, 7000, False),
)


@dataclass
class People:
    agent: object  # the prefecture's demo account: it instructs and decides
    applicant: object  # the demo applicant (AVMP): it files a final report
    expert: object  # the partner asked for opinions

    @property
    def complete(self) -> bool:
        return all((self.agent, self.applicant, self.expert))


def clear(department) -> None:
    """Remove the committee sessions holding demo applications, and the demo letters' files."""
    sessions = CommitteeSession.objects.filter(department=department).filter(
        Q(items__application__is_demo=True) | Q(meeting__title__contains=SESSION_MARK)
    )
    for session in list(sessions.select_related("meeting").distinct()):
        meeting = session.meeting
        session.delete()
        meeting.delete()
    for letter in GrantLetter.objects.filter(application__call__department=department).filter(
        application__is_demo=True
    ):
        for stored in (letter.odt_file, letter.pdf_file, letter.signed_file):
            if stored:
                name, storage = stored.name, stored.storage
                transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))


def _spec(agenda_or_row, fund: str, programme: str, state: str):
    from vigie.funding.demo import DemoApplication

    title, organisation, kind, cost, requested, public = agenda_or_row
    return DemoApplication(
        title, fund, programme, organisation, kind, state, cost, requested, public
    )


def _past_call(department, people: People, year: int) -> FundingCall:
    fund = Fund.objects.get(code="FIPD")
    call = services.create_call(
        acting_user=people.agent,
        department=department,
        fund=fund,
        data={
            "year": year,
            "title": f"Appel à projets FIPD {year} — {department.name}",
            "description": "Appel de démonstration d'un exercice passé : ses subventions sont versées.",
            "opens_on": date(year, 1, 15),
            "closes_on": date(year, 3, 31),
            "is_demo": True,
        },
    )
    for line in call.programmes.all():
        services.update_call_programme(
            acting_user=people.agent, call_programme=line, data={"envelope": Decimal("110000")}
        )
    return call


def _past_grants(department, people: People, make, measure) -> list[GrantApplication]:
    """A closed call of the last financial year whose reports are overdue: one report filed, one awaited."""
    year = min(timezone.localdate().year - 1, final_reports.overdue_cutoff(timezone.localdate()))
    call = _past_call(department, people, year)
    made = []
    for title, organisation, cost, requested, filed in PAST_GRANTS:
        spec = _spec(
            (title, organisation, A, cost, requested, "Victimes et jeunes"),
            "FIPD",
            "D",
            ApplicationState.REPORT_DUE,
        )
        application = make(call, spec, measure)
        if filed:
            _file_report(application, people)
        made.append(application)
    return made


def _file_report(application: GrantApplication, people: People) -> None:
    forecast = list(application.budget_lines.all())
    realised = tuple(
        (line.amount * Decimal("0.95")).quantize(Decimal("1")) if line.is_cost else line.amount
        for line in forecast
    )
    final_reports.file_final_report(
        acting_user=people.applicant,
        application=application,
        data=final_reports.ReportData(
            achievements="Permanences tenues chaque semaine ; 180 personnes reçues (données inventées).",
            differences="Frais de déplacement moindres que prévu.",
            realised=realised,
            indicator_values={i.pk: Decimal("180") for i in application.indicators.all()},
        ),
    )


def _opinions(people: People, given_on: GrantApplication, pending_on: GrantApplication) -> None:
    today = timezone.localdate()
    asked = instruction.request_opinion(
        acting_user=people.agent,
        application=given_on,
        service=OpinionService.SAFETY_REFERENT,
        question="La médiation couvre-t-elle les secteurs des faits signalés le soir ?",
        due_on=today + timedelta(days=7),
        expert=people.expert,
    )
    instruction.give_opinion(
        acting_user=people.expert,
        request=asked,
        verdict=OpinionVerdict.FAVOURABLE,
        opinion="Oui : le Garros concentre les rassemblements et les dégradations du soir.",
    )
    instruction.request_opinion(
        acting_user=people.agent,
        application=pending_on,
        service=OpinionService.WOMEN_RIGHTS,
        question="Le projet prend-il en compte les violences intrafamiliales repérées ?",
        due_on=today + timedelta(days=15),
        expert=people.expert,
    )


def _propose(people: People, session, amounts_by_title: dict) -> None:
    funds = {fund.code: fund for fund in Fund.objects.all()}
    items = session.items.select_related("application__call", "session__department")
    for item in items.prefetch_related("proposals"):
        present = {(p.fund_id, p.amount) for p in item.proposals.all()}
        for code, amount in amounts_by_title.get(item.application.title, ()):
            if (funds[code].pk, Decimal(amount)) in present:
                continue  # the instructor's proposal, carried onto the agenda
            committee.set_proposal(
                acting_user=people.agent, item=item, fund=funds[code], amount=Decimal(amount)
            )


def _held_session(department, people: People, applications: list) -> CommitteeSession:
    year = applications[0].call.year
    session = committee.create_session(
        acting_user=people.agent,
        department=department,
        year=year,
        data={
            "title": f"Programmation {year} ({SESSION_MARK})",
            "date": min(timezone.localdate() - timedelta(days=20), date(year, 6, 10)),
            "location": "Préfecture du Gers, Auch",
        },
    )
    committee.add_to_agenda(acting_user=people.agent, session=session, applications=applications)
    _propose(people, session, {a.title: a.amounts for a in HELD_AGENDA})
    outcomes = {a.title: a.outcome for a in HELD_AGENDA}
    committee.record_decisions(
        acting_user=people.agent,
        session=session,
        outcomes={item.pk: outcomes[item.application.title] for item in session.items.all()},
        message=REFUSAL,
    )
    return session


def _next_session(department, people: People, year: int) -> CommitteeSession:
    session = committee.create_session(
        acting_user=people.agent,
        department=department,
        year=year,
        data={
            "title": f"Programmation {year}, seconde séance ({SESSION_MARK})",
            "date": timezone.localdate() + timedelta(days=21),
            "location": "Préfecture du Gers, Auch",
        },
    )
    waiting = GrantApplication.objects.filter(
        call__department=department, is_demo=True, state=IN_REVIEW, title__in=list(NEXT_AGENDA)
    ).select_related("call")
    committee.add_to_agenda(acting_user=people.agent, session=session, applications=waiting)
    _propose(people, session, NEXT_AGENDA)
    return session


def _after_decision(people: People, application: GrantApplication, *, advance: bool) -> None:
    """Letters, notification and payment of an accepted grant (an advance, or the whole grant at once)."""
    application = GrantApplication.objects.get(pk=application.pk)  # accepted by the committee since
    for kind in (LetterKind.DECISION, LetterKind.NOTIFICATION):
        letters.generate_letter(acting_user=people.agent, application=application, kind=kind)
    transitions.change_state(
        acting_user=people.agent,
        application=application,
        target=ApplicationState.NOTIFIED,
        decision=transitions.Decision(
            notification_kind="order", notified_on=timezone.localdate() - timedelta(days=15)
        ),
    )
    granted = application.granted_amount
    services.record_payment(
        acting_user=people.agent,
        application=application,
        data={
            "kind": PaymentKind.ADVANCE if advance else PaymentKind.SINGLE,
            "amount": (granted / 2).quantize(Decimal("0.01")) if advance else granted,
            "paid_on": timezone.localdate() - timedelta(days=5),
            "commitment_number": f"2104{application.pk:06d}",
        },
    )


def load(department, calls: dict, people: People, make, measure) -> int:
    """The life after the call in `department`; `make(call, spec, measure)` creates a demo application (see
    vigie.funding.demo). Returns the number of applications created here (none without the demo accounts)."""
    if not people.complete:
        return 0
    fipd = calls["FIPD"]
    held = [
        make(
            fipd,
            _spec(
                (a.title, a.organisation, a.kind, a.cost, a.requested, a.public),
                "FIPD",
                a.programme,
                IN_REVIEW,
            ),
            measure,
        )
        for a in HELD_AGENDA
    ]
    for application, agenda in zip(held, HELD_AGENDA, strict=True):
        if agenda.amounts:
            instruction.save_review(
                acting_user=people.agent,
                application=application,
                eligible_base=Decimal(agenda.cost),
                proposed_amount=Decimal(agenda.amounts[0][1]),
            )
    pending_on = GrantApplication.objects.get(
        call__department=department,
        is_demo=True,
        title="Médiation familiale pour prévenir les ruptures",
    )
    _opinions(people, held[0], pending_on)
    _held_session(department, people, held)
    _after_decision(people, held[0], advance=True)
    _after_decision(people, held[1], advance=False)
    refused = GrantApplication.objects.get(pk=held[2].pk)
    letters.generate_letter(acting_user=people.agent, application=refused, kind=LetterKind.REFUSAL)
    _next_session(department, people, fipd.year)
    return len(held) + len(_past_grants(department, people, make, measure))
