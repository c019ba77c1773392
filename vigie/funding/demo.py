"""Demonstration data of the funding app: 2026 calls of the Gers and the Lot and about forty invented
applications in every state, tied to the measures of the departments' plans.

Every call and application is flagged `is_demo` (its pages say so). Loaded without audit entries, like the other
demo loaders; idempotent: the previous demo calls and applications are replaced.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from vigie.funding import reference
from vigie.funding.enums import ApplicantKind
from vigie.funding.enums import ApplicationState as S
from vigie.funding.models import (
    CallProgramme,
    Fund,
    FundingCall,
    GrantApplication,
    GrantBudgetLine,
    GrantPayment,
    GrantStateChange,
)
from vigie.organisations.models import Organisation
from vigie.plans.enums import PlanStatus
from vigie.plans.models import Measure
from vigie.territories.models import Department

YEAR = 2026
# fund → (programmes, envelope per programme)
DEMO_CALLS = {
    "FIPD": (("D", "R", "S"), Decimal("120000")),
    "MILDECA": (("",), Decimal("30000")),
    "PDASR": (("",), Decimal("25000")),
}
# The path of each state from the draft (the timeline of a demo application).
PATHS = {
    S.DRAFT: [],
    S.SUBMITTED: [S.SUBMITTED],
    S.TO_CORRECT: [S.SUBMITTED, S.TO_CORRECT],
    S.IN_REVIEW: [S.SUBMITTED, S.IN_REVIEW],
    S.ACCEPTED: [S.SUBMITTED, S.IN_REVIEW, S.ACCEPTED],
    S.REFUSED: [S.SUBMITTED, S.IN_REVIEW, S.REFUSED],
    S.DISMISSED: [S.SUBMITTED, S.DISMISSED],
    S.NOTIFIED: [S.SUBMITTED, S.IN_REVIEW, S.ACCEPTED, S.NOTIFIED],
    S.PAID: [S.SUBMITTED, S.IN_REVIEW, S.ACCEPTED, S.NOTIFIED, S.PAID],
    S.REPORT_DUE: [S.SUBMITTED, S.IN_REVIEW, S.ACCEPTED, S.NOTIFIED, S.PAID, S.REPORT_DUE],
    S.REPORT_RECEIVED: [
        S.SUBMITTED,
        S.IN_REVIEW,
        S.ACCEPTED,
        S.NOTIFIED,
        S.PAID,
        S.REPORT_DUE,
        S.REPORT_RECEIVED,
    ],
    S.CLOSED: [
        S.SUBMITTED,
        S.IN_REVIEW,
        S.ACCEPTED,
        S.NOTIFIED,
        S.PAID,
        S.REPORT_DUE,
        S.REPORT_RECEIVED,
        S.CLOSED,
    ],
}
MESSAGES = {
    S.TO_CORRECT: "Merci de détailler les frais de personnel (compte 64) et de joindre le RIB.",
    S.REFUSED: "L'action relève du financement de droit commun de l'Éducation nationale.",
    S.DISMISSED: "Demande déposée en double : seule la seconde est instruite.",
}


@dataclass(frozen=True)
class DemoApplication:
    title: str
    fund: str
    programme: str
    organisation: str  # acronym or name in the department's directory
    kind: str
    state: str
    cost: int
    requested: int
    public: str = ""
    co_funding: tuple[tuple[str, int], ...] = field(default=())


def _apps(*rows) -> list[DemoApplication]:
    return [DemoApplication(*row) for row in rows]


A, C = ApplicantKind.ASSOCIATION, ApplicantKind.OTHER_PUBLIC
DEMO_APPLICATIONS = {
    "32": _apps(
        (
            "Médiation sociale de soirée au cœur d'Auch",
            "FIPD",
            "D",
            "AVMP",
            A,
            S.DRAFT,
            24000,
            9000,
            "Jeunes de 16 à 25 ans",
        ),
        (
            "Permanences d'aide aux victimes dans les maisons France services",
            "FIPD",
            "D",
            "AVMP",
            A,
            S.SUBMITTED,
            18000,
            9000,
            "Victimes d'infractions",
        ),
        (
            "Groupes de parole pour les parents d'adolescents",
            "FIPD",
            "D",
            "ADFI",
            A,
            S.TO_CORRECT,
            12000,
            6000,
            "Parents",
        ),
        (
            "Prévention de l'emprise sectaire auprès des lycéens",
            "FIPD",
            "R",
            "ADFI",
            A,
            S.IN_REVIEW,
            15000,
            7500,
            "Lycéens",
        ),
        (
            "Formation des acteurs locaux aux valeurs de la République",
            "FIPD",
            "R",
            "AVMP",
            A,
            S.ACCEPTED,
            10000,
            5000,
            "Professionnels",
        ),
        (
            "Stage de citoyenneté pour mineurs primo-délinquants",
            "FIPD",
            "D",
            "AVMP",
            A,
            S.REFUSED,
            9000,
            4500,
            "Mineurs",
        ),
        (
            "Chantiers éducatifs d'été à Condom",
            "FIPD",
            "D",
            "ADFI",
            A,
            S.DISMISSED,
            8000,
            4000,
            "Jeunes",
        ),
        (
            "Référent parcours pour les mineurs suivis en CLSPD",
            "FIPD",
            "D",
            "AVMP",
            A,
            S.NOTIFIED,
            30000,
            15000,
            "Mineurs",
        ),
        (
            "Vidéoprotection du centre-bourg de Vic-Fezensac",
            "FIPD",
            "S",
            "Conseil départemental du Gers",
            C,
            S.PAID,
            60000,
            36000,
            "Habitants",
        ),
        (
            "Équipement de la police municipale de Fleurance",
            "FIPD",
            "S",
            "Conseil départemental du Gers",
            C,
            S.REPORT_DUE,
            12000,
            9600,
            "Habitants",
        ),
        (
            "Aide aux victimes de violences conjugales — accueil de jour",
            "FIPD",
            "D",
            "AVMP",
            A,
            S.REPORT_RECEIVED,
            40000,
            20000,
            "Femmes victimes",
        ),
        (
            "Intervenant social en gendarmerie",
            "FIPD",
            "D",
            "AVMP",
            A,
            S.CLOSED,
            45000,
            22500,
            "Victimes",
        ),
        (
            "Prévention des conduites addictives en milieu festif",
            "MILDECA",
            "",
            "ADFI",
            A,
            S.SUBMITTED,
            10000,
            8000,
            "Jeunes adultes",
        ),
        (
            "Consultations jeunes consommateurs itinérantes",
            "MILDECA",
            "",
            "AVMP",
            A,
            S.IN_REVIEW,
            16000,
            12000,
            "Jeunes",
        ),
        (
            "Théâtre-forum sur les addictions au collège",
            "MILDECA",
            "",
            "ADFI",
            A,
            S.ACCEPTED,
            6000,
            4800,
            "Collégiens",
        ),
        (
            "Sécurité routière des seniors : ateliers code de la route",
            "PDASR",
            "",
            "AVMP",
            A,
            S.DRAFT,
            5000,
            2500,
            "Seniors",
        ),
        (
            "Sensibilisation des jeunes conducteurs aux distracteurs",
            "PDASR",
            "",
            "ADFI",
            A,
            S.PAID,
            7000,
            3500,
            "Jeunes conducteurs",
        ),
        (
            "Journée sécurité routière au travail",
            "PDASR",
            "",
            "AVMP",
            A,
            S.CLOSED,
            4000,
            2000,
            "Salariés",
        ),
        (
            "Lutte contre le harcèlement en ligne (cyberprévention)",
            "FIPD",
            "D",
            "ADFI",
            A,
            S.SUBMITTED,
            14000,
            7000,
            "Collégiens",
        ),
        (
            "Médiation familiale pour prévenir les ruptures",
            "FIPD",
            "D",
            "AVMP",
            A,
            S.IN_REVIEW,
            20000,
            12000,
            "Familles",
        ),
    ),
    "46": _apps(
        (
            "Accueil de jour des femmes victimes de violences",
            "FIPD",
            "D",
            "CIDFF",
            A,
            S.DRAFT,
            26000,
            12000,
            "Femmes victimes",
        ),
        (
            "Permanences juridiques dans les communes rurales",
            "FIPD",
            "D",
            "CIDFF",
            A,
            S.SUBMITTED,
            15000,
            7500,
            "Habitants",
        ),
        (
            "Soutien à la parentalité en zone rurale",
            "FIPD",
            "D",
            "UDAF",
            A,
            S.TO_CORRECT,
            11000,
            5500,
            "Parents",
        ),
        (
            "Prévention de la radicalisation : formation des éducateurs",
            "FIPD",
            "R",
            "Ligue de l'enseignement du Lot",
            A,
            S.IN_REVIEW,
            9000,
            4500,
            "Éducateurs",
        ),
        (
            "Ateliers d'éducation aux médias et à l'information",
            "FIPD",
            "R",
            "Ligue de l'enseignement du Lot",
            A,
            S.ACCEPTED,
            12000,
            6000,
            "Collégiens",
        ),
        (
            "Prévention de la délinquance par le sport à Cahors",
            "FIPD",
            "D",
            "UDAF",
            A,
            S.REFUSED,
            10000,
            5000,
            "Jeunes",
        ),
        (
            "Aide aux victimes — permanence au tribunal",
            "FIPD",
            "D",
            "France Victimes 46",
            A,
            S.DISMISSED,
            7000,
            3500,
            "Victimes",
        ),
        (
            "Vidéoprotection de la gare routière de Souillac",
            "FIPD",
            "S",
            "Conseil départemental du Lot",
            C,
            S.NOTIFIED,
            48000,
            38400,
            "Voyageurs",
        ),
        (
            "Vidéoprotection du centre de Prayssac",
            "FIPD",
            "S",
            "Conseil départemental du Lot",
            C,
            S.PAID,
            35000,
            28000,
            "Habitants",
        ),
        (
            "Intervenant social en commissariat à Cahors",
            "FIPD",
            "D",
            "France Victimes 46",
            A,
            S.REPORT_DUE,
            42000,
            21000,
            "Victimes",
        ),
        (
            "Téléphone grave danger : accompagnement des bénéficiaires",
            "FIPD",
            "D",
            "France Victimes 46",
            A,
            S.REPORT_RECEIVED,
            18000,
            9000,
            "Femmes victimes",
        ),
        (
            "Mesures de réparation pénale pour mineurs",
            "FIPD",
            "D",
            "UDAF",
            A,
            S.CLOSED,
            16000,
            8000,
            "Mineurs",
        ),
        (
            "Prévention des addictions en lycée agricole",
            "MILDECA",
            "",
            "Ligue de l'enseignement du Lot",
            A,
            S.SUBMITTED,
            8000,
            6400,
            "Lycéens",
        ),
        (
            "Maraudes de réduction des risques à Figeac",
            "MILDECA",
            "",
            "UDAF",
            A,
            S.NOTIFIED,
            14000,
            11200,
            "Personnes en errance",
        ),
        (
            "Formation des élus au repérage des conduites addictives",
            "MILDECA",
            "",
            "CIDFF",
            A,
            S.CLOSED,
            5000,
            4000,
            "Élus",
        ),
        (
            "Prévention routière des deux-roues motorisés",
            "PDASR",
            "",
            "Ligue de l'enseignement du Lot",
            A,
            S.DRAFT,
            6000,
            3000,
            "Jeunes",
        ),
        (
            "Alcool et conduite : soirées étudiantes",
            "PDASR",
            "",
            "UDAF",
            A,
            S.ACCEPTED,
            4500,
            2250,
            "Étudiants",
        ),
        (
            "Sécurité routière des seniors en milieu rural",
            "PDASR",
            "",
            "CIDFF",
            A,
            S.REPORT_DUE,
            3500,
            1750,
            "Seniors",
        ),
        (
            "Prévention des violences sexistes en milieu scolaire",
            "FIPD",
            "D",
            "CIDFF",
            A,
            S.IN_REVIEW,
            13000,
            6500,
            "Collégiens",
        ),
        (
            "Médiation de voisinage dans les quartiers de Figeac",
            "FIPD",
            "D",
            "UDAF",
            A,
            S.SUBMITTED,
            22000,
            11000,
            "Habitants",
        ),
    ),
}


def _organisation(department, name_or_acronym: str) -> Organisation:
    found = (
        Organisation.objects.filter(department=department, acronym__iexact=name_or_acronym).first()
        or Organisation.objects.filter(department=department, name__iexact=name_or_acronym).first()
    )
    if found is None:
        found = Organisation.objects.create(
            department=department, name=name_or_acronym, kind="association"
        )
    return found


def _calls(department) -> dict[str, FundingCall]:
    today = timezone.localdate()
    calls = {}
    for fund_code, (programmes, envelope) in DEMO_CALLS.items():
        fund = Fund.objects.get(code=fund_code)
        closes_on = (
            max(date(YEAR, 3, 31), today + timedelta(days=45))
            if fund_code == "FIPD"
            else date(YEAR, 4, 30)
        )
        call = FundingCall.objects.create(
            fund=fund,
            department=department,
            year=YEAR,
            title=f"Appel à projets {fund_code} {YEAR} — {department.name}",
            description="Appel de démonstration : les actions financées répondent aux enjeux du plan départemental.",
            opens_on=date(YEAR, 1, 15),
            closes_on=closes_on,
            is_demo=True,
            **reference.default_call_rules(fund_code),
        )
        for programme in fund.programmes.filter(code__in=programmes):
            CallProgramme.objects.create(
                call=call,
                programme=programme,
                envelope=envelope,
                **reference.default_programme_rules(fund_code, programme.code),
            )
        calls[fund_code] = call
    return calls


def _budget(application, spec: DemoApplication) -> None:
    cost, requested = Decimal(spec.cost), Decimal(spec.requested)
    staff = (cost * Decimal("0.6")).quantize(Decimal("1"))
    co_funding = (cost - requested) // 2
    lines = [
        GrantBudgetLine(application=application, account="64", amount=staff, order=0),
        GrantBudgetLine(application=application, account="60", amount=cost - staff, order=1),
        GrantBudgetLine(
            application=application,
            account="74",
            funder_category="state",
            fund=application.call.fund,
            amount=requested,
            order=2,
        ),
    ]
    if co_funding:
        lines.append(
            GrantBudgetLine(
                application=application,
                account="74",
                funder_category="commune",
                amount=co_funding,
                order=3,
            )
        )
    rest = cost - requested - co_funding
    if rest:
        lines.append(GrantBudgetLine(application=application, account="75", amount=rest, order=4))
    GrantBudgetLine.objects.bulk_create(lines)


def _history(application, spec: DemoApplication, creator, agent) -> None:
    year = application.call.year
    moment = timezone.make_aware(datetime.combine(date(year, 2, 1), time(9, 30)))
    changes = [
        GrantStateChange(application=application, to_state=S.DRAFT, actor=creator, at=moment)
    ]
    previous = S.DRAFT
    for step, state in enumerate(PATHS[spec.state], start=1):
        actor = creator if state == S.SUBMITTED else agent
        message = MESSAGES.get(state, "")
        changes.append(
            GrantStateChange(
                application=application,
                from_state=previous,
                to_state=state,
                actor=actor,
                at=moment + timedelta(days=12 * step),
                message=message,
                fields=["budget", "attachments"] if state == S.TO_CORRECT else [],
            )
        )
        previous = state
    GrantStateChange.objects.bulk_create(changes)
    application.state_changed_at = changes[-1].at
    if len(changes) > 1:
        application.submitted_at = changes[1].at


def _payments(application, spec: DemoApplication, agent) -> None:
    paid_states = (S.PAID, S.REPORT_DUE, S.REPORT_RECEIVED, S.CLOSED)
    if spec.state not in paid_states:
        return
    granted = application.granted_amount
    number = f"21{application.pk:08d}"
    paid_on = date(application.call.year, 6, 15)
    if spec.state == S.PAID:
        GrantPayment.objects.create(
            application=application,
            kind="advance",
            amount=(granted / 2).quantize(Decimal("0.01")),
            paid_on=paid_on,
            commitment_number=number,
            recorded_by=agent,
        )
    else:
        GrantPayment.objects.create(
            application=application,
            kind="single",
            amount=granted,
            paid_on=paid_on,
            commitment_number=number,
            recorded_by=agent,
        )


def _application(
    call, spec: DemoApplication, organisation, measure, creator, agent
) -> GrantApplication:
    year = call.year
    granted = spec.state in (
        S.ACCEPTED,
        S.NOTIFIED,
        S.PAID,
        S.REPORT_DUE,
        S.REPORT_RECEIVED,
        S.CLOSED,
    )
    application = GrantApplication.objects.create(
        call=call,
        call_programme=call.programmes.get(programme__code=spec.programme),
        organisation=organisation,
        applicant_kind=spec.kind,
        created_by=creator if creator and creator.organisation_id == organisation.pk else None,
        state=spec.state,
        title=spec.title,
        summary=f"Projet inventé pour la démonstration de Vigie : {spec.title.lower()}.",
        public=spec.public,
        starts_on=date(year, 3, 1),
        ends_on=date(year, 12, 31),
        requested_amount=Decimal(spec.requested),
        total_cost=Decimal(spec.cost),
        granted_amount=Decimal(spec.requested) if granted else None,
        notification_kind="agreement" if spec.state not in (S.ACCEPTED,) and granted else "",
        notified_on=date(year, 5, 20) if granted and spec.state != S.ACCEPTED else None,
        correction_message=MESSAGES[S.TO_CORRECT] if spec.state == S.TO_CORRECT else "",
        correction_fields=["budget", "attachments"] if spec.state == S.TO_CORRECT else [],
        is_demo=True,
    )
    if measure is not None:
        application.measures.add(measure)
        application.indicators.set(list(measure.indicators.all()[:1]))
    _budget(application, spec)
    _history(application, spec, creator, agent)
    application.save(update_fields=["state_changed_at", "submitted_at"])
    _payments(application, spec, agent)
    return application


def _clear(department) -> None:
    from vigie.funding import demo_life  # the life after the call builds on this module

    demo_life.clear(department)
    calls = FundingCall.objects.filter(department=department, is_demo=True)
    applications = GrantApplication.objects.filter(call__in=calls)
    GrantPayment.objects.filter(application__in=applications).delete()
    applications.delete()
    calls.delete()


@transaction.atomic
def load_demo(
    *, applicants: dict | None = None, agents: dict | None = None, experts: dict | None = None
) -> dict[str, int]:
    """Load the demo calls and applications of the Gers and the Lot, and in the Gers the life after the call
    (vigie.funding.demo_life); returns the number of applications by department code. `applicants`, `agents`
    and `experts` map a department code to the demo account that applies, instructs or gives opinions there."""
    from vigie.funding import demo_life

    applicants, agents, experts = applicants or {}, agents or {}, experts or {}
    counts = {}
    for code, specs in DEMO_APPLICATIONS.items():
        department = Department.objects.filter(code=code).first()
        if department is None:
            continue
        _clear(department)
        calls = _calls(department)
        measures = list(
            Measure.objects.filter(
                axis__plan__department=department, axis__plan__status=PlanStatus.ADOPTED
            )
            .prefetch_related("indicators")
            .order_by("axis__order", "order")
        )
        for position, spec in enumerate(specs):
            measure = measures[position % len(measures)] if measures else None
            organisation = _organisation(department, spec.organisation)
            _application(
                calls[spec.fund],
                spec,
                organisation,
                measure,
                applicants.get(code),
                agents.get(code),
            )
        counts[code] = len(specs)
        if code == demo_life.DEPARTMENT:
            people = demo_life.People(agents.get(code), applicants.get(code), experts.get(code))

            def make(call, spec, measure, department=department, code=code):
                organisation = _organisation(department, spec.organisation)
                return _application(
                    call, spec, organisation, measure, applicants.get(code), agents.get(code)
                )

            counts[code] += demo_life.load(
                department, calls, people, make, measures[0] if measures else None
            )
    return counts
