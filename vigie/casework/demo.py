"""Demo groups for `make demo`: a minors' group of Condom's CLSPD (Gers) and the Lot ISCG victims' cell, with
invented people whose names carry "FICTIF", and member accounts that accept the charter (and enrol a second
factor) on their first visit. Loaded once: a group that exists is left as it is (its access log cannot be deleted).
"""

import datetime
from dataclasses import dataclass

from django.db import transaction

from vigie.accounts.enums import Role
from vigie.accounts.models import User
from vigie.casework import case_services, indicator_counts, services
from vigie.casework.enums import (
    CountKind,
    GroupKind,
    InformationMeans,
    Level,
    MemberRole,
    ReferralReason,
    ReferralSource,
)
from vigie.casework.models import CaseGroup, CaseworkIndicatorSource
from vigie.governance.enums import BodyKind
from vigie.governance.models import Body
from vigie.territories.models import Department


@dataclass(frozen=True)
class DemoMember:
    username: str
    first_name: str
    last_name: str
    role: str


@dataclass(frozen=True)
class DemoGroup:
    department_code: str
    body_kind: str
    body_name: str
    kind: str
    name: str
    controller: str  # username, created when missing (a reader account) unless it is a demo account
    controller_title: str
    members: tuple[DemoMember, ...]
    people: tuple[tuple[str, str, str, str, str], ...]  # last, first, birth date, reason, source


GROUPS = [
    DemoGroup(
        "32",
        BodyKind.CLSPD,
        "CLSPD de Condom",
        GroupKind.COUNCIL_GROUP,
        "Mineurs exposés à la délinquance — Condom",
        "maire32condom",
        "Maire de Condom",
        (
            DemoMember("coordo32condom", "Éric", "Dupouy", MemberRole.COORDINATOR),
            DemoMember("referent32", "Camille", "Lasserre", MemberRole.REFERENT),
            DemoMember("social32", "Nathalie", "Fourcade", MemberRole.SOCIAL_WORKER),
        ),
        (
            (
                "DURAND-FICTIF",
                "Kevin",
                "2010-04-12",
                ReferralReason.SCHOOL_DROPOUT,
                ReferralSource.SCHOOL,
            ),
            (
                "MARTIN-FICTIF",
                "Yanis",
                "2009-11-03",
                ReferralReason.FIRST_OFFENCE,
                ReferralSource.POLICE,
            ),
            (
                "PETIT-FICTIF",
                "Jade",
                "2011-06-21",
                ReferralReason.FAMILY_DIFFICULTIES,
                ReferralSource.SOCIAL_SERVICES,
            ),
        ),
    ),
    DemoGroup(
        "46",
        BodyKind.ISCG_CELL,
        "Cellule mensuelle de suivi de parcours des femmes victimes (ISCG) du Lot",
        GroupKind.VICTIMS_CELL,
        "Cellule de suivi des femmes victimes — Lot",
        "prefecture46",
        "Préfet du Lot",
        (
            DemoMember("iscg46", "Mathilde", "Cayla", MemberRole.COORDINATOR),
            DemoMember("social46", "Sandrine", "Lafon", MemberRole.SOCIAL_WORKER),
        ),
        (
            (
                "BERNARD-FICTIF",
                "Aurélie",
                "1988-02-14",
                ReferralReason.DOMESTIC_VIOLENCE,
                ReferralSource.POLICE,
            ),
            (
                "ROUX-FICTIF",
                "Sonia",
                "1975-09-30",
                ReferralReason.DOMESTIC_VIOLENCE,
                ReferralSource.VICTIM_SUPPORT,
            ),
        ),
    ),
]

DEMO_PEOPLE_NAMES = [person[0] for group in GROUPS for person in group.people]


def _account(username, first_name, last_name, department, password) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "role": Role.PARTNER,
            "department": department,
            "first_name": first_name,
            "last_name": last_name,
            "email": f"{username}@demo.vigie.localhost",
        },
    )
    if created:
        user.set_password(password)
        user.save()
    return user


def _controller(spec: DemoGroup, department, password) -> User:
    user = User.objects.filter(username=spec.controller).first()
    if user is not None:
        return user
    user = _account(spec.controller, "Maire", "de Condom (démonstration)", department, password)
    user.role = Role.READER
    user.save(update_fields=["role"])
    return user


def _cases(spec: DemoGroup, coordinator, social) -> int:
    for index, (last, first, born, reason, source) in enumerate(spec.people):
        case = case_services.open_case(
            acting_user=coordinator.user,
            member=coordinator,
            data={
                "last_name": last,
                "first_name": first,
                "birth_date": born,
                "commune": coordinator.group.body.commune or _any_commune(spec.department_code),
                "referral_reason": reason,
                "referral_source": source,
                "opened_on": datetime.date(2026, 9, 1) + datetime.timedelta(days=7 * index),
                "assigned": [social],
            },
        )
        case_services.add_entry(
            acting_user=coordinator.user,
            member=coordinator,
            case=case,
            data={
                "date": case.opened_on,
                "situation": "Situation fictive de démonstration : premier échange en groupe.",
                "orientation": "Orientation vers le partenaire compétent (exemple).",
                "next_review_on": case.opened_on + datetime.timedelta(days=30),
            },
        )
        case_services.add_entry(
            acting_user=social.user,
            member=social,
            case=case,
            data={
                "date": case.opened_on + datetime.timedelta(days=14),
                "level": Level.SECRET,
                "situation": "Élément fictif réservé aux professionnels désignés (démonstration).",
            },
        )
        case_services.record_information(
            acting_user=coordinator.user,
            member=coordinator,
            case=case,
            informed_on=case.opened_on,
            how=InformationMeans.INTERVIEW,
        )
    return len(spec.people)


def _any_commune(code):
    from vigie.territories.models import Commune

    return Commune.objects.filter(department__code=code).order_by("code").first()


@transaction.atomic
def load_demo(*, password: str) -> list[User]:
    """Create the demo groups that do not exist yet; the member accounts (printed by load_demo)."""
    accounts = []
    for spec in GROUPS:
        department = Department.objects.filter(code=spec.department_code).first()
        body = Body.objects.filter(
            department=department, kind=spec.body_kind, name=spec.body_name
        ).first()
        agent = (
            User.objects.filter(role=Role.PREFECTURE, department=department).order_by("pk").first()
        )
        if department is None or body is None or agent is None:
            continue
        members = [
            _account(m.username, m.first_name, m.last_name, department, password)
            for m in spec.members
        ]
        accounts.extend(members)
        link_demo_indicators(department, agent)
        if CaseGroup.objects.filter(body=body, name=spec.name).exists():
            continue
        group = services.create_group(
            acting_user=agent,
            department=department,
            body=body,
            kind=spec.kind,
            data={
                "name": spec.name,
                "controller": _controller(spec, department, password),
                "controller_title": spec.controller_title,
            },
        )
        memberships = [
            services.add_member(
                acting_user=agent,
                group=group,
                manager=None,
                user=user,
                role=m.role,
                start_date=datetime.date(2026, 9, 1),
            )
            for user, m in zip(members, spec.members, strict=True)
        ]
        coordinator = memberships[0]
        social = next(m for m in memberships if m.role == MemberRole.SOCIAL_WORKER)
        count = _cases(spec, coordinator, social)
        if spec.kind == GroupKind.VICTIMS_CELL:
            for month in (9, 10, 11):
                indicator_counts.record_group_meeting(
                    acting_user=coordinator.user,
                    member=coordinator,
                    date=datetime.date(2026, month, 3),
                )
        case_services.set_controller_summary(
            acting_user=coordinator.user,
            member=coordinator,
            text=f"{count} personnes suivies (données fictives de démonstration), orientations en cours.",
        )
    return accounts


# The plan indicators the groups feed (issue 14, item 7), by the start of their label in the seed plans.
DEMO_INDICATORS = {
    "32": [
        (
            "Nombre de CLSPD/CISPD dotés de groupes thématiques « mineurs »",
            CountKind.COUNCILS_WITH_FOLLOW_UP,
        )
    ],
    "46": [
        ("Nombre de personnes suivies par l'ISCG", CountKind.PEOPLE_FOLLOWED),
        ("Nombre de réunions de la cellule mensuelle des femmes victimes", CountKind.CELL_MEETINGS),
    ],
}


def link_demo_indicators(department, agent) -> int:
    """Tie the seed plan's indicators to the groups' counts (those not tied yet and fit for it)."""
    from django.core.exceptions import ValidationError

    from vigie.indicators.models import Indicator

    linked = 0
    for prefix, count in DEMO_INDICATORS.get(department.code, []):
        indicators = Indicator.objects.filter(
            measure__axis__plan__department=department, label__startswith=prefix
        ).exclude(pk__in=CaseworkIndicatorSource.objects.values("indicator"))
        for indicator in indicators:
            try:
                indicator_counts.link_indicator(acting_user=agent, indicator=indicator, count=count)
            except ValidationError:
                continue  # not a department-level annual indicator in this database
            linked += 1
    return linked
