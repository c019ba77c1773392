"""Security headers: Content-Security-Policy without inline scripts, Permissions-Policy, no-store when signed in."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import DepartmentFactory
from tests.plans.factories import two_departments
from tests.statistics.helpers import demo_subset
from vigie.statistics.services import import_ssmsi_file, load_plan_figures


def _directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part
    }


@pytest.fixture
def world(db):
    return two_departments()


@pytest.mark.django_db
def test_public_page_headers_for_an_anonymous_visitor(client):
    response = client.get(reverse("core:about"))
    assert response.status_code == 200
    directives = _directives(response)
    assert directives["script-src"][0] == "'self'"
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    policy = response.headers["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment"):
        assert f"{feature}=()" in policy
    # A public page seen anonymously may be cached.
    assert "no-store" not in response.headers.get("Cache-Control", "")


@pytest.mark.django_db
def test_signed_in_page_headers(client, make_user, world):
    client.force_login(make_user("prefecture", world.gers.department))
    for url in (reverse("core:about"), world.gers.measure.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" in response.headers["Cache-Control"]
        assert "private" in response.headers["Cache-Control"]
        assert "'unsafe-inline'" not in _directives(response)["script-src"]
        assert "camera=()" in response.headers["Permissions-Policy"]


@pytest.mark.django_db
def test_no_store_on_an_htmx_fragment_and_on_the_api_for_a_signed_in_user(client, make_user, world):
    client.force_login(make_user("prefecture", world.gers.department))
    response = client.get(reverse("api:indicator-list"))
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]


@pytest.mark.django_db
def test_no_store_stops_after_signing_out(client, make_user, world):
    client.force_login(make_user("prefecture", world.gers.department))
    client.post(reverse("accounts:logout"))
    assert "no-store" not in client.get(reverse("core:about")).headers.get("Cache-Control", "")


class _InlineCode(HTMLParser):
    """Collects what the CSP forbids: scripts without src or nonce, on* handlers, style elements and attributes."""

    def __init__(self, nonce: str):
        super().__init__()
        self.nonce = nonce
        self.problems = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        nonced = self.nonce is not None and attributes.get("nonce") == self.nonce
        if tag == "script" and not attributes.get("src") and not nonced:
            self.problems.append(f"inline <script> at line {self.getpos()[0]}")
        if tag == "style":
            self.problems.append(f"<style> at line {self.getpos()[0]}")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{name}= on <{tag}> at line {self.getpos()[0]}")
            if name == "style":
                self.problems.append(f"style= on <{tag}> at line {self.getpos()[0]}")
            if name in ("href", "src", "action") and (value or "").lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"javascript: URL on <{tag}> at line {self.getpos()[0]}")


def _inline_code(response) -> list[str]:
    # A nonce is in the header only when a page used it; an inline script needs it.
    match = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"])
    parser = _InlineCode(match.group(1) if match else None)
    parser.feed(response.content.decode())
    return parser.problems


@pytest.mark.django_db
def test_no_inline_script_in_a_sample_of_rendered_pages(client, make_user, world):
    gers = world.gers
    public = [
        reverse("plans:home"),
        reverse("core:about"),
        reverse("core:accessibility"),
        reverse("accounts:login"),
        reverse("plans:department", args=["32"]),
        gers.plan.get_absolute_url(),
        gers.measure.get_absolute_url(),
        reverse("statistics:index"),
        reverse("organisations:directory"),
    ]
    for url in public:
        response = client.get(url)
        assert response.status_code == 200, url
        assert _inline_code(response) == [], url
    client.force_login(make_user("prefecture", gers.department))
    signed_in = [
        reverse("plans:department", args=["32"]),
        gers.measure.get_absolute_url(),
        gers.draft_plan.get_absolute_url(),
        reverse("accounts:locked"),
        reverse("statistics:department", args=["32"]),
    ]
    for url in signed_in:
        response = client.get(url)
        assert response.status_code == 200, url
        assert _inline_code(response) == [], url


TEMPLATE_DIR = Path(settings.BASE_DIR) / "templates"
INLINE_IN_TEMPLATE = re.compile(
    r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+=|\sstyle=|<style", re.IGNORECASE
)


# Standalone documents written to a file, never served as a page: the generated review as HTML (its stylesheet
# inside so that the file reads alone; downloaded as an attachment — tests/reviews/test_services.py — and the
# input of WeasyPrint for the PDF).
STANDALONE_DOCUMENTS = {"reviews/document.html": ["<style"]}


def test_no_template_holds_inline_script_or_style():
    """Every template of Vigie, including the ones a sample of pages does not render."""
    found = [
        f"{path.relative_to(TEMPLATE_DIR)}: {match.group(0).strip()}"
        for path in sorted(TEMPLATE_DIR.rglob("*.html"))
        for match in INLINE_IN_TEMPLATE.finditer(path.read_text(encoding="utf-8"))
        if match.group(0).strip()
        not in STANDALONE_DOCUMENTS.get(str(path.relative_to(TEMPLATE_DIR)), [])
    ]
    assert found == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pages_run_under_the_csp_without_violation(page, live_server, login, make_user, tmp_path):
    world = two_departments()
    for code, name in (("31", "Haute-Garonne"), ("12", "Aveyron")):
        DepartmentFactory(code=code, name=name)
    import_ssmsi_file(
        acting_user=None,
        path=demo_subset(
            tmp_path / "donnee-dep-data.gouv-2024-geographie2024-produit-le2025-01-26.csv"
        ),
    )
    load_plan_figures(acting_user=None)
    gers = world.gers
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.on("pageerror", lambda error: messages.append(str(error)))

    login(make_user("pilot", gers.department, organisation=gers.pilot_org))
    page.goto(f"{live_server.url}{reverse('plans:department', args=['32'])}")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    # The DSFR's JavaScript ran (it marks the page) although it is a module script under the CSP.
    expect(page.locator("html")).to_have_attribute("data-fr-js", "true")

    page.goto(f"{live_server.url}{gers.measure.get_absolute_url()}")
    page.evaluate("window.__vigieNoReload = true")
    action = page.locator(f"#action-{gers.action.pk}")
    action.get_by_label("État d'avancement").select_option(label="En cours")
    expect(action.locator(".vigie-status")).to_have_text("En cours")
    expect(page.locator("#status-live")).to_have_text("État d'avancement enregistré : En cours.")
    assert page.evaluate("window.__vigieNoReload") is True  # htmx swapped the fragment, no reload

    page.goto(f"{live_server.url}{reverse('statistics:department', args=['46'])}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lot (46)")
    page.wait_for_load_state("networkidle")

    violations = [
        m for m in messages if "Content Security Policy" in m or "Content-Security-Policy" in m
    ]
    assert violations == []
    assert [m for m in messages if "error" in m.lower()] == []
