"""Permission matrix of every page of the plan foundation (plans, organisations, territories, audit).

Roles × (object of the user's department / of another department) × URL → exact HTTP status.
The user works in the Gers; "own" targets Gers objects, "other" targets Lot objects.
"""

from dataclasses import dataclass, field

import pytest
from django.urls import reverse

from tests.conftest import ALL_ROLES
from tests.plans.factories import two_departments

URL_NAMES_COVERED = {
    "plans:department",
    "plans:plan",
    "plans:plan_edit",
    "plans:plan_history",
    "plans:measure",
    "plans:measure_edit",
    "plans:measure_history",
    "plans:measure_comments",
    "plans:action_create",
    "plans:action_edit",
    "plans:action_delete",
    "plans:action_status",
    "plans:action_history",
    "organisations:directory",
    "plans:organisation",
    "organisations:glossary",
    "plans:commune",
    "territories:epci",
    "audit:export",
}

LOGIN = "login"  # 302 to the login page
DONE = "done"  # 302 elsewhere: the write succeeded


def table(anonymous, admin, prefecture, pilot, coordinator, partner, reader) -> dict:
    """Expected (own department, other department) per role."""
    return {
        "anonymous": anonymous,
        "admin": admin,
        "prefecture": prefecture,
        "pilot": pilot,
        "coordinator": coordinator,
        "partner": partner,
        "reader": reader,
    }


PUBLIC = table(*[(200, 200)] * 7)
# Drafts, history, comments: members of the department and administrators only.
PRIVATE = table((404, 404), (200, 200), (200, 404), (200, 404), (200, 404), (200, 404), (200, 404))
PLAN_EDITOR = table(
    (LOGIN, LOGIN), (200, 200), (200, 404), (403, 404), (403, 404), (403, 404), (403, 404)
)
# The pilot's organisation pilots the measure (in its own department).
MEASURE_EDITOR = table(
    (LOGIN, LOGIN), (200, 200), (200, 404), (200, 404), (403, 404), (403, 404), (403, 404)
)
MEASURE_WRITE = table(
    (LOGIN, LOGIN), (DONE, DONE), (DONE, 404), (DONE, 404), (403, 404), (403, 404), (403, 404)
)
COMMENT_WRITE = table(
    (404, 404), (DONE, DONE), (DONE, 404), (DONE, 404), (DONE, 404), (DONE, 404), (403, 404)
)
AUDIT_EXPORT = table(
    (LOGIN, LOGIN), (200, 200), (403, 403), (403, 403), (403, 403), (403, 403), (403, 403)
)


@dataclass
class Case:
    name: str
    url_name: str
    args: callable  # scenario -> URL args
    expected: dict
    method: str = "get"
    data: dict = field(default_factory=dict)
    query: callable = None  # scenario -> query string


CASES = [
    Case("department", "plans:department", lambda s: [s.department.code], PUBLIC),
    Case("plan", "plans:plan", lambda s: [s.plan.pk], PUBLIC),
    Case("draft plan", "plans:plan", lambda s: [s.draft_plan.pk], PRIVATE),
    Case("plan edit", "plans:plan_edit", lambda s: [s.plan.pk], PLAN_EDITOR),
    Case("draft plan edit", "plans:plan_edit", lambda s: [s.draft_plan.pk], PLAN_EDITOR),
    Case("plan history", "plans:plan_history", lambda s: [s.plan.pk], PRIVATE),
    Case("measure", "plans:measure", lambda s: [s.measure.pk], PUBLIC),
    Case("draft measure", "plans:measure", lambda s: [s.draft_measure.pk], PRIVATE),
    Case("measure edit", "plans:measure_edit", lambda s: [s.measure.pk], MEASURE_EDITOR),
    Case(
        "draft measure edit", "plans:measure_edit", lambda s: [s.draft_measure.pk], MEASURE_EDITOR
    ),
    Case(
        "measure edit (not piloted)",
        "plans:measure_edit",
        lambda s: [s.other_measure.pk],
        table(
            (LOGIN, LOGIN), (200, 200), (200, 404), (403, 404), (403, 404), (403, 404), (403, 404)
        ),
    ),
    Case("measure history", "plans:measure_history", lambda s: [s.measure.pk], PRIVATE),
    Case("measure comments", "plans:measure_comments", lambda s: [s.measure.pk], PRIVATE),
    Case(
        "post comment",
        "plans:measure_comments",
        lambda s: [s.measure.pk],
        COMMENT_WRITE,
        method="post",
        data={"body": "Un commentaire."},
    ),
    Case("action create", "plans:action_create", lambda s: [s.measure.pk], MEASURE_EDITOR),
    Case(
        "action create (post)",
        "plans:action_create",
        lambda s: [s.measure.pk],
        MEASURE_WRITE,
        method="post",
        data={"text": "Nouvelle action.", "status": "planned"},
    ),
    Case("action edit", "plans:action_edit", lambda s: [s.action.pk], MEASURE_EDITOR),
    Case(
        "action edit (post)",
        "plans:action_edit",
        lambda s: [s.action.pk],
        MEASURE_WRITE,
        method="post",
        data={"text": "Texte modifié.", "status": "done", "version": 1},
    ),
    Case("action delete", "plans:action_delete", lambda s: [s.action.pk], MEASURE_EDITOR),
    Case(
        "action delete (post)",
        "plans:action_delete",
        lambda s: [s.action.pk],
        MEASURE_WRITE,
        method="post",
        data={"version": 1},
    ),
    Case(
        "action status",
        "plans:action_status",
        lambda s: [s.action.pk],
        MEASURE_WRITE,
        method="post",
        data={"status": "in_progress", "version": 1},
    ),
    Case(
        "draft action status",
        "plans:action_status",
        lambda s: [s.draft_action.pk],
        MEASURE_WRITE,
        method="post",
        data={"status": "in_progress", "version": 1},
    ),
    Case("action history", "plans:action_history", lambda s: [s.action.pk], PRIVATE),
    Case("draft action history", "plans:action_history", lambda s: [s.draft_action.pk], PRIVATE),
    Case(
        "directory",
        "organisations:directory",
        lambda s: [],
        PUBLIC,
        query=lambda s: f"departement={s.department.code}",
    ),
    Case("organisation", "plans:organisation", lambda s: [s.pilot_org.pk], PUBLIC),
    Case("glossary", "organisations:glossary", lambda s: [s.department.code], PUBLIC),
    Case(
        "commune",
        "plans:commune",
        lambda s: [s.department.communes.order_by("code").first().code],
        PUBLIC,
    ),
    Case(
        "epci",
        "territories:epci",
        lambda s: [s.department.communes.filter(epci__isnull=False).first().epci.code],
        PUBLIC,
    ),
    Case(
        "audit export",
        "audit:export",
        lambda s: [],
        AUDIT_EXPORT,
        query=lambda s: f"departement={s.department.code}",
    ),
]


def test_every_url_name_is_in_a_case():
    assert {case.url_name for case in CASES} == URL_NAMES_COVERED


@pytest.mark.django_db
@pytest.mark.parametrize("scope", ["own", "other"])
@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_permission_matrix(client, make_user, case, role, scope):
    world = two_departments()
    home = world.gers
    target = home if scope == "own" else world.lot
    organisation = home.pilot_org if role == "pilot" else None
    if role != "anonymous":
        department = None if role == "admin" else home.department
        client.force_login(make_user(role, department, organisation=organisation))
    url = reverse(case.url_name, args=case.args(target))
    if case.query:
        url += "?" + case.query(target)
    response = getattr(client, case.method)(url, case.data)
    expected = case.expected[role][0 if scope == "own" else 1]
    login_url = reverse("accounts:login")
    if expected == LOGIN:
        assert response.status_code == 302 and response.url.startswith(login_url), (
            response.status_code,
            url,
        )
    elif expected == DONE:
        assert response.status_code == 302 and not response.url.startswith(login_url), (
            response.status_code,
            url,
        )
    else:
        assert response.status_code == expected, url
