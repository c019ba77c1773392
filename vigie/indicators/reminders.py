"""Who has not reported yet, and the e-mail reminders sent by `manage.py send_indicator_reminders`."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from vigie.accounts.enums import Role
from vigie.accounts.models import User
from vigie.indicators.enums import CampaignStatus, ReminderKind, TerritorialLevel, ValueStatus
from vigie.indicators.models import ActionReport, Campaign, Indicator, IndicatorValue, ReminderLog
from vigie.indicators.territory import Directory, Territory
from vigie.plans.models import Action, MeasureActor
from vigie.plans.perms import PILOT_ROLES

REPORTED = (ValueStatus.SUBMITTED, ValueStatus.VALIDATED)
DAYS_BEFORE = (7, 1)
OVERDUE_EVERY = 7


@dataclass
class MissingValue:
    indicator: Indicator
    territory: Territory
    period: str
    status: str  # "" when nothing was entered

    @property
    def status_label(self) -> str:
        return ValueStatus(self.status).label if self.status else "Non saisie"


@dataclass
class Responsible:
    """A person (or nobody, user None) and what they still have to report."""

    user: User | None
    label: str
    values: list[MissingValue] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.values) + len(self.actions)


def _pilot_users(department_id: int) -> dict[int, list[User]]:
    by_org: dict[int, list[User]] = defaultdict(list)
    for user in User.objects.filter(
        role=Role.PILOT, is_active=True, department_id=department_id, organisation__isnull=False
    ).order_by("last_name", "pk"):
        by_org[user.organisation_id].append(user)
    return by_org


def _coordinators(department_id: int) -> list[User]:
    return list(
        User.objects.filter(role=Role.COORDINATOR, is_active=True, department_id=department_id)
        .filter(Q(epci__isnull=False) | Q(commune__isnull=False))
        .select_related("epci", "commune")
        .order_by("last_name", "pk")
    )


def _pilot_orgs(plan) -> dict[int, set[int]]:
    """Measure id -> the organisations piloting it."""
    pilot_orgs: dict[int, set[int]] = defaultdict(set)
    for measure_id, org_id in MeasureActor.objects.filter(
        measure__axis__plan=plan, role__in=PILOT_ROLES, organisation__isnull=False
    ).values_list("measure_id", "organisation_id"):
        pilot_orgs[measure_id].add(org_id)
    return pilot_orgs


def _coordinator_keys(coordinators: list[User], directory: Directory) -> dict[int, set[str]]:
    """User id -> the territory keys a coordinator reports for (CISPD: the EPCI and its communes;
    CLSPD: the commune)."""
    coordinator_keys: dict[int, set[str]] = {}
    for user in coordinators:
        keys = set()
        if user.epci_id:
            keys.add(f"E{user.epci.code}")
            keys |= {t.key for t in directory.communes_of_epci(user.epci_id)}
        if user.commune_id:
            keys.add(f"C{user.commune.code}")
        coordinator_keys[user.pk] = keys
    return coordinator_keys


class _Groups:
    """The Responsible of each person (and of nobody), in order of first appearance."""

    def __init__(self):
        self.groups: dict[object, Responsible] = {}

    def of(self, users: list[User]) -> list[Responsible]:
        if not users:
            return [self._group(None, "Aucun responsable désigné dans Vigie")]
        return [self._group(user, f"{user} — {user.get_role_display()}") for user in users]

    def _group(self, user: User | None, label: str) -> Responsible:
        key = user.pk if user else label
        if key not in self.groups:
            self.groups[key] = Responsible(user, label)
        return self.groups[key]

    def sorted(self) -> list[Responsible]:
        return sorted(self.groups.values(), key=lambda g: (g.user is None, g.label))


def _add_missing_actions(campaign: Campaign, pilot_orgs, pilots_by_org, groups: _Groups) -> None:
    """Actions without a progress report in the campaign, to the pilots of the measure or owner."""
    reported_actions = set(
        ActionReport.objects.filter(campaign=campaign).values_list("action_id", flat=True)
    )
    for action in (
        Action.objects.filter(measure__axis__plan=campaign.plan)
        .select_related("measure")
        .order_by("measure__axis__order", "measure__order", "order", "pk")
    ):
        if action.pk in reported_actions:
            continue
        orgs = set(pilot_orgs.get(action.measure_id, set()))
        if action.owner_id:
            orgs.add(action.owner_id)
        users = [u for org in sorted(orgs) for u in pilots_by_org.get(org, [])]
        for group in groups.of(users):
            group.actions.append(action)


def missing_report(campaign: Campaign) -> list[Responsible]:
    """Everything still expected in the campaign, grouped by the people responsible for it.

    Expected: department-level indicators for the department; EPCI- and commune-level indicators for the
    territories of the department's coordinators (CISPD: the EPCI and its communes; CLSPD: the commune).
    Reported means submitted or validated. Department-level indicators fall to the pilots of the measure
    (or of the indicator's responsible organisation); local ones to the coordinators of the territory.
    """
    plan = campaign.plan
    department = plan.department
    directory = Directory.load(department)
    indicators = list(
        Indicator.objects.filter(measure__axis__plan=plan, is_computed=False)
        .select_related("measure")
        .order_by("measure__axis__order", "measure__order", "order", "pk")
    )
    pilots_by_org = _pilot_users(department.pk)
    pilot_orgs = _pilot_orgs(plan)
    coordinators = _coordinators(department.pk)
    coordinator_keys = _coordinator_keys(coordinators, directory)
    local_keys = set().union(*coordinator_keys.values()) if coordinator_keys else set()
    statuses = {
        (i, p, k): s
        for i, p, k, s in IndicatorValue.objects.filter(indicator__in=indicators).values_list(
            "indicator_id", "period", "territory_key", "status"
        )
    }
    groups = _Groups()
    for indicator in indicators:
        level = indicator.territorial_level
        if level == TerritorialLevel.DEPARTMENT:
            territories = [directory.department_territory]
        else:
            territories = [t for t in directory.at_level(level) if t.key in local_keys]
        for territory in territories:
            for period in campaign.periods_for(indicator.periodicity):
                status = statuses.get((indicator.pk, period, territory.key), "")
                if status in REPORTED:
                    continue
                item = MissingValue(indicator, territory, period, status)
                if level == TerritorialLevel.DEPARTMENT:
                    orgs = set(pilot_orgs.get(indicator.measure_id, set()))
                    if indicator.responsible_organisation_id:
                        orgs.add(indicator.responsible_organisation_id)
                    users = [u for org in sorted(orgs) for u in pilots_by_org.get(org, [])]
                else:
                    users = [u for u in coordinators if territory.key in coordinator_keys[u.pk]]
                for group in groups.of(users):
                    group.values.append(item)
    _add_missing_actions(campaign, pilot_orgs, pilots_by_org, groups)
    return groups.sorted()


def reminder_kind(
    campaign: Campaign, today: date, days_before=DAYS_BEFORE, overdue_every=OVERDUE_EVERY
):
    days_left = (campaign.deadline - today).days
    if days_left in days_before:
        return ReminderKind.BEFORE_DEADLINE
    if days_left < 0 and (-days_left - 1) % overdue_every == 0:
        return ReminderKind.OVERDUE
    return None


def site_url() -> str:
    return getattr(settings, "VIGIE_SITE_URL", "http://localhost:8000").rstrip("/")


def send_reminders(
    *, today: date, days_before=DAYS_BEFORE, overdue_every=OVERDUE_EVERY, dry_run: bool = False
) -> list[tuple[Campaign, User, str, int]]:
    """Send the reminders due today; each (campaign, person, kind) at most once a day."""
    sent = []
    campaigns = Campaign.objects.filter(status=CampaignStatus.OPEN).select_related(
        "plan__department"
    )
    for campaign in campaigns:
        kind = reminder_kind(campaign, today, days_before, overdue_every)
        if kind is None:
            continue
        already = set(
            ReminderLog.objects.filter(campaign=campaign, kind=kind, sent_on=today).values_list(
                "user_id", flat=True
            )
        )
        for group in missing_report(campaign):
            user = group.user
            if user is None or not user.email or user.pk in already or not group.count:
                continue
            if not dry_run:
                _send(campaign, group, kind, today)
            sent.append((campaign, user, kind, group.count))
    return sent


@transaction.atomic
def _send(campaign: Campaign, group: Responsible, kind: str, today: date) -> None:
    context = {
        "campaign": campaign,
        "user": group.user,
        "values": group.values[:50],
        "more_values": max(0, len(group.values) - 50),
        "actions": group.actions[:20],
        "more_actions": max(0, len(group.actions) - 20),
        "overdue": kind == ReminderKind.OVERDUE,
        "days_left": (campaign.deadline - today).days,
        "days_late": (today - campaign.deadline).days,
        "url": site_url() + reverse("indicators:campaign", args=[campaign.pk]),
    }
    subject = " ".join(render_to_string("emails/indicators/reminder_subject.txt", context).split())
    body = render_to_string("emails/indicators/reminder.txt", context)
    html = render_to_string("emails/indicators/reminder.html", context)
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [group.user.email])
    message.attach_alternative(html, "text/html")
    ReminderLog.objects.create(
        campaign=campaign, user=group.user, kind=kind, sent_on=today, missing_count=group.count
    )
    message.send()
