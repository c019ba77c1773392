"""Property: over random memberships (group, role, charter accepted or not, membership ended or not), a person
reaches a case exactly when they are a current member of its group who accepted the current charter; and a secret
entry exactly when, besides, they are its group's coordinator or a social-work professional assigned to it."""

import datetime
import io
import logging
import zipfile
from collections import defaultdict

import pytest
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.casework.factories import make_case, make_group, make_member, sign_in
from tests.factories import (
    AxisFactory,
    CommuneFactory,
    DepartmentFactory,
    IndicatorFactory,
    MeasureFactory,
    PlanFactory,
    UserFactory,
)
from tests.governance.factories import BodyFactory
from vigie.accounts.enums import Role
from vigie.accounts.models import User
from vigie.casework import access, case_services, demo, indicator_counts, services
from vigie.casework.enums import Level, MemberRole
from vigie.casework.models import Case, CaseGroup, GroupMember
from vigie.core.formatting import french_date
from vigie.governance.enums import BodyKind
from vigie.governance.models import Body, Meeting
from vigie.indicators import services as indicator_services
from vigie.indicators.enums import CampaignStatus, Periodicity, TerritorialLevel
from vigie.indicators.models import Campaign, Indicator, IndicatorValue
from vigie.territories.models import Region

membership = st.tuples(
    st.sampled_from([0, 1, None]),  # group index, or no membership
    st.sampled_from(list(MemberRole)),
    st.booleans(),  # accepted the charter
    st.booleans(),  # membership ended
    st.booleans(),  # assigned to the case of that group
)


@pytest.mark.django_db
@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(people=st.lists(membership, min_size=1, max_size=5))
def test_no_case_or_secret_entry_leaks(people):
    # Each example in its own savepoint, rolled back: examples share the test's database.
    with transaction.atomic():
        _check(people)
        transaction.set_rollback(True)


def _check(people):
    department = DepartmentFactory()
    groups = [
        make_group(department=department, name=f"Groupe {i}", commune_name=f"Commune {i}")[0]
        for i in range(2)
    ]
    coordinators = [make_member(g, role=MemberRole.COORDINATOR) for g in groups]
    social = [make_member(g, role=MemberRole.SOCIAL_WORKER) for g in groups]
    cases = [make_case(coordinators[i], assigned=[social[i]]) for i in range(2)]
    secrets = [
        case_services.add_entry(
            acting_user=social[i].user,
            member=social[i],
            case=cases[i],
            data={"date": datetime.date(2026, 3, 1), "level": Level.SECRET, "situation": "secret"},
        )
        for i in range(2)
    ]
    for index, role, accepted, ended, assigned in people:
        user = UserFactory(role=Role.COORDINATOR, department=department)
        member = None
        if index is not None:
            member = make_member(groups[index], role=role, accept=accepted, user=user)
            if ended:
                GroupMember.objects.filter(pk=member.pk).update(end_date=timezone.localdate())
            if assigned:
                cases[index].assigned.add(member)
        for i, case in enumerate(cases):
            allowed = member is not None and index == i and accepted and not ended
            try:
                _, seen_as = access.get_case_for_user(user, case.public_id)
            except (Http404, access.CharterNotAccepted):
                assert not allowed
                continue
            assert allowed
            reads_secret = role == MemberRole.COORDINATOR or (
                role == MemberRole.SOCIAL_WORKER and assigned
            )
            assert (secrets[i] in access.visible_entries(seen_as, case)) == reads_secret


# ---------------------------------------------------------------- nothing named outside the group (issue 14)
#
# The demo groups (vigie/casework/demo.py) on a small world: both departments, their councils, plans carrying the
# seed wordings of the indicators the groups feed, an open campaign for the year of the demo cases. Every page,
# export and API route outside the groups is fetched as each role, and the captured log of the whole test (at
# DEBUG, members reading cases included) is searched for the fictitious people's names and birth dates.

DEMO_YEAR = 2026


def _forms_of(born: str) -> list[str]:
    year, month, day = born.split("-")
    birth = datetime.date(int(year), int(month), int(day))
    return [born, f"{day}/{month}/{year}", f"{day}.{month}.{year}", french_date(birth)]


FORBIDDEN = sorted(
    {form for spec in demo.GROUPS for person in spec.people for form in _forms_of(person[2])}
    | {person[0] for spec in demo.GROUPS for person in spec.people}
    | {f"{person[1]} {person[0]}" for spec in demo.GROUPS for person in spec.people}
)


def _texts(response) -> str:
    """A response's text; for a spreadsheet or zip (XLSX, ODS, open data), every member of the archive."""
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "\n".join(
                archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
            )
    return body.decode("utf-8", "replace")


def _demo_world():
    occitanie = Region.objects.create(code="76", name="Occitanie")
    gers = DepartmentFactory(code="32", name="Gers", region=occitanie)
    lot = DepartmentFactory(code="46", name="Lot", region=occitanie)
    condom = CommuneFactory(department=gers, code="32107", name="Condom")
    CommuneFactory(department=lot, code="46042", name="Cahors")
    BodyFactory(department=gers, kind=BodyKind.CLSPD, name="CLSPD de Condom", commune=condom)
    BodyFactory(department=lot, kind=BodyKind.ISCG_CELL, name=demo.GROUPS[1].body_name)
    agents = {
        code: UserFactory(username=f"prefecture{code}", role=Role.PREFECTURE, department=dept)
        for code, dept in (("32", gers), ("46", lot))
    }
    plans = {}
    for department in (gers, lot):
        plan = PlanFactory(department=department, period_start=2021, period_end=2026)
        axis = AxisFactory(plan=plan, number="1")
        for index, (label, _) in enumerate(demo.DEMO_INDICATORS[department.code]):
            IndicatorFactory(
                measure=MeasureFactory(axis=axis, number=f"1.{index + 1}"),
                label=label + " (indicateur du plan)",
                periodicity=Periodicity.ANNUAL,
                territorial_level=TerritorialLevel.DEPARTMENT,
            )
        Campaign.objects.create(
            plan=plan,
            title=f"Bilan {DEMO_YEAR}",
            period_start=datetime.date(DEMO_YEAR, 1, 1),
            period_end=datetime.date(DEMO_YEAR, 12, 31),
            deadline=datetime.date(DEMO_YEAR + 1, 1, 31),
            status=CampaignStatus.OPEN,
        )
        plans[department.code] = plan
    demo.load_demo(password="demo-password-123")
    for code, department in (("32", gers), ("46", lot)):
        indicator_counts.compute_year(
            acting_user=agents[code], department=department, year=DEMO_YEAR
        )
        for value in IndicatorValue.objects.filter(department=department):
            indicator_services.validate_value(acting_user=agents[code], value=value)
    return gers, lot, plans, agents


def _outside_urls(plans, gers, lot) -> list[str]:
    urls = [reverse("plans:home"), "/api/", "/api/schema/", reverse("audit:export")]
    for code, department in (("32", gers), ("46", lot)):
        plan = plans[code]
        urls += [
            reverse("plans:department", args=[code]),
            reverse("governance:dashboard", args=[code]),
            reverse("governance:calendar", args=[code]),
            reverse("governance:calendar_ics", args=[code]),
            reverse("audit:export") + f"?departement={code}",
            reverse("plans:plan", args=[plan.pk]),
            reverse("plans:plan_history", args=[plan.pk]),
            reverse("imports:plan_export", args=[plan.pk, "current", "json"]),
            reverse("indicators:plan_progress", args=[plan.pk]),
            reverse("progress:plan", args=[plan.pk]),
            reverse("progress:feed", args=[plan.pk]),
            reverse("progress:data", args=[plan.pk]),
            reverse("reviews:plan", args=[plan.pk]),
            reverse("reviews:preview", args=[plan.pk]),
        ]
        urls += [
            reverse("indicators:export", args=[plan.pk, fmt]) for fmt in ("csv", "xlsx", "ods")
        ]
        for indicator in Indicator.objects.filter(measure__axis__plan=plan):
            urls.append(reverse("indicators:indicator", args=[indicator.pk]))
            urls.append(reverse("plans:measure", args=[indicator.measure_id]))
        for value in IndicatorValue.objects.filter(department=department):
            urls.append(reverse("indicators:value", args=[value.pk]))
        for body in Body.objects.filter(department=department):
            urls.append(reverse("governance:body_detail", args=[body.pk]))
            for meeting in body.meetings.all():
                urls += [
                    reverse("governance:meeting_detail", args=[meeting.pk]),
                    reverse("governance:meeting_history", args=[meeting.pk]),
                ]
    for prefix in ("plans", "axes", "measures", "actions", "indicators", "values"):
        urls.append(f"/api/public/{prefix}/")
    urls += ["/api/indicators/", "/api/campaigns/", "/api/values/"]
    for (
        group
    ) in CaseGroup.objects.all():  # a non-member gets 404, the controller counts and summary
        urls += [
            reverse("casework:groups"),
            reverse("casework:group", args=[group.pk]),
            reverse("casework:access_log", args=[group.pk]),
        ]
    return urls


def _roles(gers, agents) -> dict:
    people = {
        "anonyme": None,
        "admin": UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True),
        "préfecture 32": agents["32"],
        "préfecture 46": agents["46"],
        "région": UserFactory(role=Role.REGIONAL, department=None, region=gers.region),
    }
    for role in (Role.PILOT, Role.COORDINATOR, Role.PARTNER, Role.READER, Role.APPLICANT):
        people[role.label] = UserFactory(role=role, department=gers)
    # The controller (the mayor) and a member of the group, on the pages outside it.
    people["maire de Condom"] = User.objects.get(username="maire32condom")
    people["membre du groupe"] = User.objects.get(username="coordo32condom")
    return people


def _assert_named_on_member_pages(client, case_ids):
    """Self-check: the search below would see a name; a member who accepted the charter reads it."""
    coordinator = User.objects.get(username="coordo32condom")
    group = CaseGroup.objects.get(department__code="32")
    sign_in(client, coordinator)
    services.accept_charter(acting_user=coordinator, group=group, version=group.current_charter())
    page = client.get(reverse("casework:case", args=[case_ids[0]]))
    assert page.status_code == 200
    text = _texts(page)
    assert any(name in text for name in FORBIDDEN), "the self-check must see a name"
    assert any(born in text for born in FORBIDDEN if born[0].isdigit())
    client.logout()


@pytest.mark.django_db
def test_no_name_leaves_the_group(client, caplog):
    caplog.set_level(logging.DEBUG)
    gers, lot, plans, agents = _demo_world()
    case_ids = list(Case.objects.filter(group__department=gers).values_list("public_id", flat=True))
    assert len(case_ids) == 3 and len(FORBIDDEN) > 15
    _assert_named_on_member_pages(client, case_ids)

    urls = _outside_urls(plans, gers, lot)
    seen_ok = defaultdict(int)
    for role, user in _roles(gers, agents).items():
        client.logout()
        if user is not None:
            sign_in(client, user)
        for url in urls:
            response = client.get(url)
            assert response.status_code < 500, (role, url)
            if response.status_code != 200:
                continue
            seen_ok[role] += 1
            text = _texts(response)
            leaked = [name for name in FORBIDDEN if name in text]
            assert not leaked, (role, url, leaked)
        # The same person opening a case URL outside the group: nothing there either.
        if role != "membre du groupe":
            response = client.get(reverse("casework:case", args=[case_ids[0]]))
            assert response.status_code in (302, 404), (role, response.status_code)
            assert not [n for n in FORBIDDEN if n in _texts(response)]
    # Not vacuous: public pages answered for everyone, the department's pages for its prefecture.
    assert all(count >= 20 for count in seen_ok.values()), dict(seen_ok)
    assert seen_ok["préfecture 46"] > seen_ok["anonyme"]

    # The plan's indicators carry counts only: the Lot cell's 2 people show « < 5 », its meetings are counted.
    people = Indicator.objects.get(label__startswith="Nombre de personnes suivies par l'ISCG")
    value = IndicatorValue.objects.get(indicator=people)
    assert value.is_below_threshold and value.value == 0
    client.logout()
    assert (
        "&lt; 5" in client.get(reverse("indicators:indicator", args=[people.pk])).content.decode()
    )
    assert "&lt; 5" in client.get(reverse("progress:plan", args=[plans["46"].pk])).content.decode()
    assert "< 5" in _texts(client.get(reverse("indicators:export", args=[plans["46"].pk, "csv"])))
    # Three meetings and one council: small counts too, shown « < 5 » like the people followed.
    for label in ("Nombre de réunions de la cellule", "Nombre de CLSPD/CISPD"):
        value = IndicatorValue.objects.get(indicator__label__startswith=label)
        assert value.is_below_threshold and value.value == 0
    assert not Meeting.objects.exclude(minutes="").filter(body__case_groups__isnull=False).exists()

    # Logs of the whole test, the members' reads included.
    logged = "\n".join(
        f"{record.name} {record.getMessage()} {record.args!r} {getattr(record, '__dict__', {})!r}"
        for record in caplog.records
    )
    assert not [name for name in FORBIDDEN if name in logged]
