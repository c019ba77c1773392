"""Shared fixtures: domain objects, and a Chromium browser driven by Playwright for end-to-end tests.

Browser tests are marked `browser`. They run when Chromium is installed (/usr/bin/chromium, or
VIGIE_CHROMIUM). With VIGIE_REQUIRE_BROWSER=1 (set by .ci/run) a missing browser is an error,
never a skip.
"""

import os
import shutil

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from tests.factories import DEFAULT_PASSWORD  # noqa: E402

CHROMIUM = os.environ.get("VIGIE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
REQUIRE_BROWSER = os.environ.get("VIGIE_REQUIRE_BROWSER") == "1"


def _chromium_available() -> bool:
    return os.path.exists(CHROMIUM) or shutil.which(CHROMIUM) is not None


def pytest_collection_modifyitems(config, items):
    if _chromium_available():
        return
    if REQUIRE_BROWSER:
        raise pytest.UsageError(
            f"VIGIE_REQUIRE_BROWSER=1 but Chromium was not found at {CHROMIUM}."
        )
    skip = pytest.mark.skip(
        reason=f"Chromium not found at {CHROMIUM} (install the 'chromium' package)"
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance):
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def login(page, live_server):
    """Log a user in through the real login form."""

    def _login(user, password: str = DEFAULT_PASSWORD):
        page.goto(f"{live_server.url}/comptes/connexion/")
        page.get_by_label("Identifiant").fill(user.username)
        page.get_by_label("Mot de passe").fill(password)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_load_state("networkidle")
        return page

    return _login


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def assert_accessible(axe):
    """Run axe-core on the current page; fail on any serious or critical violation."""

    def _check(page):
        results = axe.run(page)
        bad = [
            v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")
        ]
        details = "\n".join(
            f"- [{v['impact']}] {v['id']}: {v['help']} → "
            + "; ".join(
                node.get("target", [""])[0] if node.get("target") else "" for node in v["nodes"][:5]
            )
            for v in bad
        )
        assert not bad, f"Accessibility violations on {page.url}:\n{details}"

    return _check


ALL_ROLES = ["anonymous", "admin", "prefecture", "pilot", "coordinator", "partner", "reader"]


@pytest.fixture
def make_user(db):
    """make_user("pilot", department, organisation=org) → a saved user (password DEFAULT_PASSWORD)."""
    from tests.factories import UserFactory

    def _make(role: str, department=None, **kwargs):
        if role == "anonymous":
            from django.contrib.auth.models import AnonymousUser

            return AnonymousUser()
        if role == "admin":
            kwargs.setdefault("is_staff", True)
            kwargs.setdefault("is_superuser", True)
        return UserFactory(role=role, department=department, **kwargs)

    return _make
