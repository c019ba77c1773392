"""Read-side computations: cadence of bodies, follow-ups, legal obligations, deployment trackers.

Every function takes `today` so that tests can freeze the date; views pass `timezone.localdate()`.
"""

import calendar
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Max, Min, Prefetch, Q
from django.utils import timezone

from vigie.governance import perms
from vigie.governance.enums import (
    CADENCE_GRACE_DAYS,
    CADENCE_MONTHS,
    CLOSED_FOLLOW_UP_STATUSES,
    ENGAGED_STATES,
    SCHEME_STATE_LABELS,
    BodyKind,
    CadenceStatus,
    Scheme,
    SchemeState,
    TargetLevel,
    state_label,
)
from vigie.governance.models import (
    Body,
    BodyMember,
    Decision,
    Meeting,
    SchemeFigure,
    SchemeRecord,
    SchemeTarget,
)
from vigie.organisations.models import Organisation
from vigie.territories.models import Commune

# Communes over this population must have a CLSPD (or be covered by a CISPD): law of 5 March 2007, art. 1.
LOCAL_COUNCIL_THRESHOLD = 10_000

KIND_ORDER = {kind: index for index, kind in enumerate(BodyKind)}


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def resolve_today(today: date | None) -> date:
    return today or timezone.localdate()


# --- Cadence -------------------------------------------------------------------------------------


def cadence_status(cadence: str, last_meeting: date | None, today: date) -> tuple[str, date | None]:
    """(status, date by which the next meeting is due). Overdue once that date plus the grace days is past."""
    months = CADENCE_MONTHS.get(cadence)
    if months is None:
        return CadenceStatus.NO_CADENCE, None
    if last_meeting is None:
        return CadenceStatus.NEVER_MET, None
    due_on = add_months(last_meeting, months)
    if today > due_on + timedelta(days=CADENCE_GRACE_DAYS):
        return CadenceStatus.OVERDUE, due_on
    return CadenceStatus.UP_TO_DATE, due_on


@dataclass
class BodyStatus:
    body: Body
    last_meeting: date | None
    next_meeting: date | None
    status: str
    due_on: date | None

    @property
    def status_label(self) -> str:
        return CadenceStatus(self.status).label

    @property
    def needs_attention(self) -> bool:
        return self.status in (CadenceStatus.OVERDUE, CadenceStatus.NEVER_MET)


def with_meeting_dates(queryset, today: date):
    held = Q(meetings__is_cancelled=False)
    return queryset.annotate(
        last_meeting=Max("meetings__date", filter=held & Q(meetings__date__lte=today)),
        next_meeting=Min("meetings__date", filter=held & Q(meetings__date__gt=today)),
    )


def status_of(body: Body, today: date) -> BodyStatus:
    """For a body annotated by `with_meeting_dates`."""
    status, due_on = cadence_status(body.cadence, body.last_meeting, today)
    return BodyStatus(body, body.last_meeting, body.next_meeting, status, due_on)


def body_statuses(
    department, today: date | None = None, *, include_inactive: bool = False
) -> list[BodyStatus]:
    today = resolve_today(today)
    bodies = Body.objects.filter(department=department).select_related("commune", "epci", "parent")
    if not include_inactive:
        bodies = bodies.filter(is_active=True)
    rows = [status_of(body, today) for body in with_meeting_dates(bodies, today)]
    return sorted(rows, key=_body_sort_key)


def _body_sort_key(row: BodyStatus):
    """By kind, then name; a working group right after the council it belongs to."""
    body = row.body
    head = body.parent if body.parent_id else body
    return (
        KIND_ORDER.get(head.kind, 99),
        head.name.lower(),
        body.parent_id is not None,
        body.name.lower(),
    )


# --- Follow-up of decisions ----------------------------------------------------------------------


def follow_ups(department):
    return (
        Decision.objects.filter(meeting__body__department=department, is_followed=True)
        .select_related("meeting__body", "owner", "measure")
        .order_by("due_date", "pk")
    )


def overdue_follow_ups(department, today: date | None = None):
    today = resolve_today(today)
    return (
        follow_ups(department)
        .filter(due_date__lt=today)
        .exclude(status__in=CLOSED_FOLLOW_UP_STATUSES)
    )


def open_follow_ups(department):
    return follow_ups(department).exclude(status__in=CLOSED_FOLLOW_UP_STATUSES)


def restricted_body_ids(user, department) -> set[int]:
    """Bodies of the department whose restricted minutes and decisions the user may read (one query)."""
    if not perms.can_view_governance(user, department.pk):
        return set()
    if perms.can_manage_department(user, department.pk):
        return set(Body.objects.filter(department=department).values_list("pk", flat=True))
    member = Q(members__user=user)
    if user.organisation_id:
        member |= Q(members__user__isnull=True, members__organisation_id=user.organisation_id)
    return set(
        Body.objects.filter(department=department)
        .filter(member | perms.coordinated_bodies(user))
        .values_list("pk", flat=True)
        .distinct()
    )


# --- Legal obligation: CLSPD or CISPD in communes over 10,000 inhabitants -----------------------


@dataclass
class CoverageRow:
    commune: Commune
    clspd: Body | None
    cispd: Body | None

    @property
    def covered(self) -> bool:
        return self.clspd is not None or self.cispd is not None

    @property
    def covering(self) -> Body | None:
        return self.clspd or self.cispd


def _local_councils_for(communes: list[Commune]):
    commune_ids = {c.pk for c in communes}
    epci_ids = {c.epci_id for c in communes if c.epci_id}
    councils = Body.objects.filter(is_active=True).filter(
        Q(kind=BodyKind.CLSPD, commune_id__in=commune_ids)
        | Q(kind=BodyKind.CISPD, epci_id__in=epci_ids)
    )
    clspd, cispd = {}, {}
    for body in councils.order_by("name"):
        if body.kind == BodyKind.CLSPD:
            clspd.setdefault(body.commune_id, body)
        else:
            cispd.setdefault(body.epci_id, body)
    return clspd, cispd


def local_council_coverage(
    department, threshold: int = LOCAL_COUNCIL_THRESHOLD
) -> list[CoverageRow]:
    """Communes of the department over the threshold, each with the CLSPD or CISPD covering it (if any)."""
    communes = list(
        Commune.objects.filter(department=department, population__gt=threshold)
        .select_related("epci")
        .order_by("-population", "name")
    )
    clspd, cispd = _local_councils_for(communes)
    return [
        CoverageRow(c, clspd.get(c.pk), cispd.get(c.epci_id) if c.epci_id else None)
        for c in communes
    ]


# --- Dashboard -----------------------------------------------------------------------------------


def dashboard(department, user, today: date | None = None) -> dict:
    today = resolve_today(today)
    statuses = body_statuses(department, today)
    coverage = local_council_coverage(department)
    overdue = list(overdue_follow_ups(department, today))
    # Which restricted bodies the user may read: asked only when an overdue decision comes from one.
    if any(decision.meeting.is_restricted for decision in overdue):
        readable = restricted_body_ids(user, department)
        for decision in overdue:
            decision.hidden = (
                decision.meeting.is_restricted and decision.meeting.body_id not in readable
            )
    else:
        for decision in overdue:
            decision.hidden = False
    return {
        "today": today,
        "statuses": statuses,
        "attention_count": sum(1 for row in statuses if row.needs_attention),
        "overdue_follow_ups": overdue,
        "open_follow_up_count": open_follow_ups(department).count(),
        "coverage": coverage,
        "uncovered": [row for row in coverage if not row.covered],
        "threshold": LOCAL_COUNCIL_THRESHOLD,
        "grace_days": CADENCE_GRACE_DAYS,
    }


# --- Meetings ------------------------------------------------------------------------------------


def upcoming_meetings(department, today: date | None = None):
    today = resolve_today(today)
    return (
        Meeting.objects.filter(body__department=department, date__gte=today)
        .select_related("body")
        .order_by("date", "start_time", "pk")
    )


def calendar_feed_meetings(department, today: date | None = None, *, days_back: int = 90):
    """Meetings for the iCalendar feed: upcoming ones, and recent ones so that calendars keep them."""
    today = resolve_today(today)
    return (
        Meeting.objects.filter(
            body__department=department, date__gte=today - timedelta(days=days_back)
        )
        .select_related("body")
        .order_by("date", "start_time", "pk")
    )


def organisation_choices(department):
    """Organisations that can sit in a body of the department: its own and national ones."""
    return Organisation.objects.filter(
        Q(department=department) | Q(department__isnull=True)
    ).order_by("name")


def body_members(body: Body):
    return body.members.select_related("organisation", "user__organisation")


def body_meetings(body: Body):
    return body.meetings.prefetch_related(
        Prefetch("decisions", queryset=Decision.objects.select_related("owner", "measure"))
    )


def member_rows(body: Body) -> list[BodyMember]:
    return list(body_members(body))


# --- Deployment trackers -------------------------------------------------------------------------


SORTS = {
    "territoire": "Arrondissement, EPCI, commune",
    "commune": "Commune",
    "population": "Population décroissante",
    "etat": "État",
    "epci": "EPCI, commune",
}
DEFAULT_SORT = "territoire"


def scheme_states(scheme: str) -> list[tuple[str, str]]:
    """(state, label) offered for a scheme, in order."""
    offered = SCHEME_STATE_LABELS.get(scheme) or {state: state.label for state in SchemeState}
    return [(state.value, state_label(scheme, state)) for state in SchemeState if state in offered]


@dataclass
class TrackerRow:
    commune: Commune
    state: str
    record: SchemeRecord | None
    body: Body | None
    targeted: bool
    short_of_target: bool
    scheme: str

    @property
    def state_label(self) -> str:
        return state_label(self.scheme, self.state)


def _meets(level: str, state: str) -> bool:
    if level == TargetLevel.ENGAGED:
        return state in ENGAGED_STATES
    return state == SchemeState.IN_PLACE


def _sort_key(sort: str):
    state_order = {state: index for index, state in enumerate(SchemeState)}

    def territory(row):
        c = row.commune
        return (
            c.arrondissement.name if c.arrondissement_id else "~",
            c.epci.name if c.epci_id else "~",
            c.name,
        )

    return {
        "commune": lambda row: row.commune.name,
        "population": lambda row: (-(row.commune.population or 0), row.commune.name),
        "etat": lambda row: (state_order.get(row.state, 99), row.commune.name),
        "epci": lambda row: (
            row.commune.epci.name if row.commune.epci_id else "~",
            row.commune.name,
        ),
    }.get(sort, territory)


def _tracker_communes(department) -> list[Commune]:
    return list(
        Commune.objects.filter(department=department)
        .select_related("arrondissement", "epci")
        .only(
            "code",
            "name",
            "population",
            "department_id",
            "arrondissement__name",
            "arrondissement__code",
            "epci__name",
            "epci__code",
        )
    )


def _scheme_states(department, scheme: str, communes: list[Commune]) -> dict:
    """Each commune's state for the scheme, with what it rests on.

    Local councils: a CLSPD of the commune, or a CISPD of its EPCI (``bodies``). Other schemes:
    the imported records (``records``), plus the records matched to no commune (``unresolved``)
    and the department's figures.
    """
    if scheme == Scheme.LOCAL_COUNCIL:
        clspd, cispd = _local_councils_for(communes)
        states = {}
        bodies = {}
        for commune in communes:
            body = clspd.get(commune.pk) or (
                cispd.get(commune.epci_id) if commune.epci_id else None
            )
            states[commune.pk] = SchemeState.IN_PLACE if body else SchemeState.NONE
            bodies[commune.pk] = body
        return {"states": states, "bodies": bodies, "records": {}, "unresolved": [], "figures": []}
    records = {
        r.commune_id: r
        for r in SchemeRecord.objects.filter(
            department=department, scheme=scheme, commune__isnull=False
        )
    }
    return {
        "states": {
            c.pk: records[c.pk].state if c.pk in records else SchemeState.NONE for c in communes
        },
        "bodies": {},
        "records": records,
        "unresolved": list(
            SchemeRecord.objects.filter(department=department, scheme=scheme, commune__isnull=True)
        ),
        "figures": list(SchemeFigure.objects.filter(department=department, scheme=scheme)),
    }


def tracker(
    department, scheme: str, *, sort: str = DEFAULT_SORT, today: date | None = None
) -> dict:
    today = resolve_today(today)
    communes = _tracker_communes(department)
    target = SchemeTarget.objects.filter(department=department, scheme=scheme).first()
    found = _scheme_states(department, scheme, communes)
    states, bodies, records = found["states"], found["bodies"], found["records"]
    unresolved, figures = found["unresolved"], found["figures"]
    rows = []
    for commune in communes:
        state = states[commune.pk]
        targeted = bool(
            target and commune.population is not None and commune.population > target.min_population
        )
        rows.append(
            TrackerRow(
                commune=commune,
                state=state,
                record=records.get(commune.pk),
                body=bodies.get(commune.pk),
                targeted=targeted,
                short_of_target=targeted and not _meets(target.level, state),
                scheme=scheme,
            )
        )
    rows.sort(key=_sort_key(sort if sort in SORTS else DEFAULT_SORT))
    _attach_candidates(unresolved, communes)
    counts = Counter(row.state for row in rows)
    return {
        "today": today,
        "scheme": scheme,
        "rows": rows,
        "sort": sort if sort in SORTS else DEFAULT_SORT,
        "sort_label": SORTS.get(sort, SORTS[DEFAULT_SORT]),
        "state_counts": [
            (state, label, counts.get(state, 0)) for state, label in scheme_states(scheme)
        ],
        "target": target,
        "short_of_target": sorted(
            (row for row in rows if row.short_of_target),
            key=lambda row: (-(row.commune.population or 0), row.commune.name),
        ),
        "targeted_count": sum(1 for row in rows if row.targeted),
        "unresolved": unresolved,
        "figures": figures,
        "cameras_total": sum(r.cameras or 0 for r in records.values()),
    }


def _attach_candidates(unresolved: list[SchemeRecord], communes: list[Commune]) -> None:
    by_code = {c.code: c for c in communes}
    for record in unresolved:
        record.candidate_communes = [
            by_code[code] for code in record.candidate_codes if code in by_code
        ]


def scheme_summaries(department) -> list[dict]:
    """For the dashboard: how many communes have each scheme in place (one query for all recorded schemes)."""
    in_place = Counter(
        SchemeRecord.objects.filter(
            department=department, commune__isnull=False, state=SchemeState.IN_PLACE
        ).values_list("scheme", flat=True)
    )
    return [
        {"scheme": scheme, "label": scheme.label, "in_place": in_place.get(scheme, 0)}
        for scheme in Scheme
    ]
