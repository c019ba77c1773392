"""Plan indicators fed by the nominative groups without naming anyone (issue 14, item 7): a count per year,
written as the indicator's value through vigie.indicators' own service (`save_value`: campaign and scope checks,
audit), like the grant-computed indicators of vigie.funding.indicator_values.

What is counted (`CountKind`), for the department of the indicator's plan and the calendar year:
- Gers 1.2 « Nombre de CLSPD/CISPD dotés de groupes thématiques « mineurs » et ayant développé un dispositif de
  suivi individualisé »: the local councils (distinct bodies) with a council working group that followed at least
  one person during the year;
- Lot « Nombre de personnes suivies par l'ISCG »: the cases of the ISCG victims' cell followed during the year
  (opened on or before 31 December, not closed before 1 January);
- Lot « Nombre de réunions de la cellule mensuelle des femmes victimes de violence »: the cell's meetings, which
  are governance meetings (vigie.governance.Meeting) of the cell's body, not cancelled, dated in the year. Those
  the cell records through `record_group_meeting` are restricted meetings with a fixed title and agenda and no
  minutes: what is said about people stays in the group's cases, never in governance minutes.

Small counts (statistical secrecy): a count from 1 to 4 is never written, whatever it counts (people, councils
or meetings: in a small department a council or a meeting count can point at a few people too). The value is saved
with `below_threshold=True` (IndicatorValue.is_below_threshold; the stored value is 0) and every page, export and
the API show « < 5 » (vigie.core.formatting.BELOW_THRESHOLD); sums, trajectories and charts never learn it. Only a
member of the group, in the group's own pages, sees exact figures (vigie.casework.counts).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from vigie.audit import services as audit
from vigie.audit.enums import AuditAction
from vigie.casework import perms
from vigie.casework.enums import CountKind, GroupKind
from vigie.casework.models import Case, CaseworkIndicatorSource
from vigie.governance import services as governance_services
from vigie.governance.models import Meeting
from vigie.indicators import external_values

# A count below this (and above 0) is shown « < 5 » outside the group.
SMALL_COUNT_LIMIT = 5
GROUP_MEETING_TITLE = "Réunion de la cellule de suivi (formation restreinte)"
GROUP_MEETING_AGENDA = (
    "Examen des situations individuelles suivies par le groupe. Aucun compte rendu nominatif : les échanges "
    "sur les personnes restent dans les dossiers du groupe (secret partagé)."
)


def _department_of(indicator):
    return indicator.measure.axis.plan.department


@transaction.atomic
def link_indicator(*, acting_user, indicator, count: str) -> CaseworkIndicatorSource:
    """Make `indicator` (a department-level annual indicator) the yearly `count` of the department's groups."""
    department = _department_of(indicator)
    if not perms.can_link_indicator(acting_user, department.pk):
        raise PermissionDenied
    errors = {}
    if problem := external_values.department_annual_error(
        indicator, not_annual="Seul un indicateur annuel peut recevoir un décompte de l'année."
    ):
        errors["indicator"] = problem
    if count not in CountKind.values:
        errors["count"] = "Choisissez ce qui est compté."
    if errors:
        raise ValidationError(errors)
    source = CaseworkIndicatorSource.objects.filter(indicator=indicator).first()
    if source is None:
        source = CaseworkIndicatorSource.objects.create(
            indicator=indicator, count=count, created_by=acting_user
        )
        audit.record_create(
            acting_user=acting_user,
            instance=source,
            department=department,
            reason=f"Décompte : {source.get_count_display()}",
        )
        return source
    if source.count != count:
        old = source.get_count_display()
        source.count = count
        source.save(update_fields=["count"])
        audit.record(
            acting_user=acting_user,
            action=AuditAction.UPDATE,
            instance=source,
            changes={
                "count": {
                    "label": "ce qui est compté",
                    "old": old,
                    "new": source.get_count_display(),
                }
            },
            department=department,
        )
    return source


def _followed_in(year: int):
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return Q(opened_on__lte=end) & (Q(closed_on__isnull=True) | Q(closed_on__gte=start))


def count_for(count: str, department, year: int) -> int:
    """The exact count (for the services of this module only: never shown outside the group as such)."""
    if count == CountKind.COUNCILS_WITH_FOLLOW_UP:
        return (
            Case.objects.filter(
                _followed_in(year),
                group__department=department,
                group__kind=GroupKind.COUNCIL_GROUP,
            )
            .values("group__body")
            .distinct()
            .count()
        )
    if count == CountKind.PEOPLE_FOLLOWED:
        return Case.objects.filter(
            _followed_in(year), group__department=department, group__kind=GroupKind.VICTIMS_CELL
        ).count()
    return (
        Meeting.objects.filter(
            body__case_groups__department=department,
            body__case_groups__kind=GroupKind.VICTIMS_CELL,
            date__year=year,
            is_cancelled=False,
        )
        .distinct()
        .count()
    )


def is_suppressed(count: str, value: int) -> bool:
    """A count of 1 to 4 is not published, whatever it counts."""
    return count in CountKind.values and 0 < value < SMALL_COUNT_LIMIT


@dataclass(frozen=True)
class Computed:
    source: CaseworkIndicatorSource
    value: int
    below_threshold: bool
    changed: bool

    @property
    def shown(self) -> str:
        """What the command prints: « < 5 » for a suppressed count (the exact figure stays in the group)."""
        return "< 5" if self.below_threshold else str(self.value)


@transaction.atomic
def compute_year(*, acting_user, department, year: int) -> list[Computed]:
    """Write each casework-fed indicator's value for `year` (all or nothing)."""
    if not perms.can_link_indicator(acting_user, department.pk):
        raise PermissionDenied
    sources = CaseworkIndicatorSource.objects.filter(
        indicator__measure__axis__plan__department=department
    ).select_related("indicator__measure__axis__plan__department")
    results = []
    for source in sources:
        value = count_for(source.count, department, year)
        below = is_suppressed(source.count, value)
        comment = f"{source.get_count_display()} en {year}, calculé par Vigie à partir du suivi individualisé"
        if below:
            comment += " ; moins de 5 personnes : le nombre exact n'est pas publié"
        result = external_values.save_department_year(
            acting_user=acting_user,
            indicator=source.indicator,
            department=department,
            year=year,
            value=None if below else Decimal(value),
            below_threshold=below,
            comment=comment + ".",
            reason="Recalcul à partir du suivi individualisé",
            origin="issus du suivi individualisé",
        )
        results.append(Computed(source, value, below, result.changed))
    return results


def group_meeting_dates(group, *, limit: int = 12) -> list[datetime.date]:
    """The dates of the meetings the group recorded (record_group_meeting), latest first: nothing else to show."""
    meetings = Meeting.objects.filter(
        body_id=group.body_id, title=GROUP_MEETING_TITLE, is_cancelled=False
    )
    return list(meetings.order_by("-date", "-pk").values_list("date", flat=True)[:limit])


@transaction.atomic
def record_group_meeting(*, acting_user, member, date: datetime.date) -> Meeting:
    """A meeting of the member's group, recorded as a restricted governance meeting of the group's body with a
    fixed title and agenda and no minutes (nothing named). Any current member who accepted the charter may."""
    if member is None or member.user_id != acting_user.pk:
        raise PermissionDenied
    return governance_services.create_meeting(
        acting_user=acting_user,
        body=member.group.body,
        data={
            "date": date,
            "title": GROUP_MEETING_TITLE,
            "agenda": GROUP_MEETING_AGENDA,
            "is_restricted": True,
        },
    )
