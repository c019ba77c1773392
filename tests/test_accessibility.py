"""End-to-end accessibility checks in Chromium of the pages where axe-core found a serious or
critical violation in a survey of every page of the demo as each role (issue #10).

The pages are grouped by role, so that one test visits several of them with the same browser.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.plans.factories import two_departments
from vigie.audit import services as audit
from vigie.audit.enums import AuditAction
from vigie.plans.views._common import HISTORY_PAGE_SIZE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world():
    return two_departments()


def test_prefecture_pages_through_a_long_plan_history(
    page, live_server, login, make_user, assert_accessible, world
):
    """The first page of a paginated history has no previous page: its disabled links must say so."""
    gers = world.gers
    agent = make_user("prefecture", gers.department)
    for number in range(HISTORY_PAGE_SIZE + 1):
        audit.record(
            acting_user=agent,
            action=AuditAction.UPDATE,
            instance=gers.plan,
            changes={"title": {"label": "titre", "old": f"Titre {number}", "new": "Titre"}},
            department=gers.department,
        )
    login(agent)
    page.goto(f"{live_server.url}/plans/{gers.plan.pk}/historique/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Historique du plan")
    pagination = page.get_by_role("navigation", name="Pagination")
    expect(pagination.locator("[aria-current=page]")).to_contain_text("1 / 2")
    assert_accessible(page)

    pagination.get_by_role("link", name="Page suivante").click()
    expect(page).to_have_url(re.compile(r"\?page=2$"))
    expect(pagination.locator("[aria-current=page]")).to_contain_text("2 / 2")
    assert_accessible(page)
