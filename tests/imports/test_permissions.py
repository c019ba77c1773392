"""Permission matrix of the import pages and plan versions.

Roles × (object of the user's department / of another department) × URL → exact HTTP status.
Importing is for prefecture agents of the department and national administrators; versions
are readable by whoever may read the plan (a draft plan's only inside its department), and so
is the plan as a file (PDF, ODT, DOCX, JSON), anonymous visitors included for a public plan.
"""

from dataclasses import dataclass, field

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from tests.conftest import ALL_ROLES
from tests.plans.factories import two_departments
from vigie.imports import services
from vigie.imports.enums import ImportStatus
from vigie.imports.models import ImportSession
from vigie.imports.parsing.structure import parse_plan
from vigie.imports.reading.text import parse_text

URL_NAMES_COVERED = {
    "imports:start",
    "imports:session",
    "imports:progress",
    "imports:review",
    "imports:item",
    "imports:organisations",
    "imports:diff",
    "imports:keep",
    "imports:confirm",
    "imports:cancel",
    "imports:versions",
    "imports:version",
    "imports:version_diff",
    "imports:plan_export",
}

LOGIN = "login"
DONE = "done"


def table(anonymous, admin, prefecture, pilot, coordinator, partner, reader) -> dict:
    return {
        "anonymous": anonymous,
        "admin": admin,
        "prefecture": prefecture,
        "pilot": pilot,
        "coordinator": coordinator,
        "partner": partner,
        "reader": reader,
    }


IMPORTER = table(
    (LOGIN, LOGIN), (200, 200), (200, 404), (403, 404), (403, 404), (403, 404), (403, 404)
)
IMPORTER_DONE = table(
    (LOGIN, LOGIN), (DONE, DONE), (DONE, 404), (403, 404), (403, 404), (403, 404), (403, 404)
)
PUBLIC_VERSIONS = table(
    (LOGIN, LOGIN), (200, 200), (200, 200), (200, 200), (200, 200), (200, 200), (200, 200)
)
PRIVATE_VERSIONS = table(
    (LOGIN, LOGIN), (200, 200), (200, 404), (200, 404), (200, 404), (200, 404), (200, 404)
)
# The plan as a file: for whoever sees the plan, anonymous visitors included (public plans).
PUBLIC_DOWNLOAD = table(
    (200, 200), (200, 200), (200, 200), (200, 200), (200, 200), (200, 200), (200, 200)
)
PRIVATE_DOWNLOAD = table(
    (404, 404), (200, 200), (200, 404), (200, 404), (200, 404), (200, 404), (200, 404)
)

SMALL_PLAN = (
    "# Plan départemental de prévention de la délinquance 2030-2034\n\n"
    "## Axe 1 : Les jeunes\n\n### Mesure 1.1 : Agir tôt\n\nPilote : DDETS\n\n"
    "- Ouvrir un accueil\n\n### Mesure 1.2 : Former\n\n- Former les agents\n\n"
    "Indicateurs :\n\n- Nombre d'agents formés\n"
)


@dataclass
class Imports:
    review: ImportSession
    failed: ImportSession
    parsing: ImportSession
    version_plan: object
    version_draft: object


def _session(department, status, **values) -> ImportSession:
    session = ImportSession(
        department=department,
        original_name="plan.md",
        file_size=len(SMALL_PLAN),
        file_format="md",
        status=status,
        created_at=timezone.now(),
        **values,
    )
    session.file.save("plan.md", ContentFile(SMALL_PLAN.encode()), save=False)
    session.save()
    return session


def imports_of(scenario) -> Imports:
    structure = parse_plan(parse_text(SMALL_PLAN)).to_dict(scenario.department.code)
    review = _session(
        scenario.department,
        ImportStatus.REVIEW,
        structure=structure,
        source_blocks=[{"kind": "paragraph", "level": 0, "text": "Texte"}],
    )
    failed = _session(scenario.department, ImportStatus.FAILED, error_message="Erreur.")
    parsing = _session(scenario.department, ImportStatus.PARSING, progress=40)
    first = services.record_version(acting_user=None, plan=scenario.plan, label="Version initiale")
    services.record_version(acting_user=None, plan=scenario.plan, label="Avenant n° 1")
    draft = services.record_version(
        acting_user=None, plan=scenario.draft_plan, label="Version initiale"
    )
    del first
    version = scenario.plan.versions.order_by("-number").first()
    return Imports(review, failed, parsing, version, draft)


@dataclass
class Case:
    name: str
    url_name: str
    args: callable  # (scenario, imports) -> URL args
    expected: dict
    method: str = "get"
    data: dict = field(default_factory=dict)


CASES = [
    Case("start", "imports:start", lambda s, i: [s.department.code], IMPORTER),
    Case("failed session", "imports:session", lambda s, i: [i.failed.pk], IMPORTER),
    Case("session in review", "imports:session", lambda s, i: [i.review.pk], IMPORTER_DONE),
    Case("progress", "imports:progress", lambda s, i: [i.parsing.pk], IMPORTER_DONE),
    Case("review", "imports:review", lambda s, i: [i.review.pk], IMPORTER),
    Case("item", "imports:item", lambda s, i: [i.review.pk, "axes-0-measures-0"], IMPORTER),
    Case(
        "item edit",
        "imports:item",
        lambda s, i: [i.review.pk, "axes-0-measures-1"],
        IMPORTER_DONE,
        method="post",
        data={"operation": "up", "revision": "0"},
    ),
    Case(
        "organisations",
        "imports:organisations",
        lambda s, i: [i.review.pk],
        IMPORTER_DONE,
        method="post",
        data={"create": ["DDETS"]},
    ),
    Case("diff", "imports:diff", lambda s, i: [i.review.pk], IMPORTER_DONE),
    Case("keep", "imports:keep", lambda s, i: [i.review.pk], IMPORTER_DONE, method="post"),
    Case("confirm page", "imports:confirm", lambda s, i: [i.review.pk], IMPORTER),
    Case("confirm", "imports:confirm", lambda s, i: [i.review.pk], IMPORTER_DONE, method="post"),
    Case("cancel", "imports:cancel", lambda s, i: [i.review.pk], IMPORTER_DONE, method="post"),
    Case("versions", "imports:versions", lambda s, i: [s.plan.pk], PUBLIC_VERSIONS),
    Case("draft versions", "imports:versions", lambda s, i: [s.draft_plan.pk], PRIVATE_VERSIONS),
    Case("version", "imports:version", lambda s, i: [i.version_plan.pk], PUBLIC_VERSIONS),
    Case("draft version", "imports:version", lambda s, i: [i.version_draft.pk], PRIVATE_VERSIONS),
    Case("version diff", "imports:version_diff", lambda s, i: [i.version_plan.pk], PUBLIC_VERSIONS),
    Case(
        "plan document",
        "imports:plan_export",
        lambda s, i: [s.plan.pk, "current", "json"],
        PUBLIC_DOWNLOAD,
    ),
    Case(
        "signed plan document",
        "imports:plan_export",
        lambda s, i: [s.plan.pk, "signed", "docx"],
        PUBLIC_DOWNLOAD,
    ),
    Case(
        "draft plan document",
        "imports:plan_export",
        lambda s, i: [s.draft_plan.pk, "current", "odt"],
        PRIVATE_DOWNLOAD,
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
    imports = imports_of(target)
    organisation = home.pilot_org if role == "pilot" else None
    if role != "anonymous":
        department = None if role == "admin" else home.department
        client.force_login(make_user(role, department, organisation=organisation))
    url = reverse(case.url_name, args=case.args(target, imports))
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
        assert response.status_code == expected, (response.status_code, url)


@pytest.mark.django_db
def test_an_unknown_item_path_is_404(client, make_user):
    world = two_departments()
    imports = imports_of(world.gers)
    client.force_login(make_user("prefecture", world.gers.department))
    url = reverse("imports:item", args=[imports.review.pk, "axes-7-measures-0"])
    assert client.get(url).status_code == 404
