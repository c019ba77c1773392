"""End-to-end: the national and the regional overview in Chromium, each page checked with axe-core."""

import pytest
from playwright.sync_api import expect

from tests.overview import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_national_administrator_compares_departments_and_filters_a_region(
    page, live_server, login, assert_accessible, make_user
):
    departments = factories.generate_departments(26, regions=13)
    login(make_user("admin"))
    page.get_by_role("link", name="Vue nationale").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Vue nationale des plans départementaux"
    )
    rows = page.locator("#table-departements tbody tr")
    expect(rows).to_have_count(26)
    first = rows.filter(has=page.get_by_role("link", name="Département 1 (001)", exact=True))
    expect(first).to_contain_text("40 %")
    expect(first).to_contain_text("2 sur 6 suivis")
    assert_accessible(page)
    page.get_by_label("Région").select_option(label=departments[0].region.name)
    page.get_by_role("button", name="Filtrer").click()
    expect(rows).to_have_count(2)
    assert_accessible(page)
    # The off-track figure leads to the department's detail, at its indicators.
    first.locator('a[href$="#indicateurs"]').click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Département 1 (001) — vue d'ensemble"
    )
    expect(page.get_by_role("heading", name="Indicateurs hors trajectoire")).to_be_visible()
    expect(page.get_by_text("Indicateur de la mesure 1.1")).to_be_visible()
    expect(page.get_by_role("link", name="Gouvernance du département")).to_be_visible()
    assert_accessible(page)


def test_the_regional_prefecture_sees_its_region(
    page, live_server, login, assert_accessible, make_user
):
    departments = factories.generate_departments(26, regions=13)
    region = departments[0].region
    login(make_user("regional", None, region=region))
    page.get_by_role("link", name="Ma région").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Vue régionale des plans départementaux — {region.name}"
    )
    expect(page.locator("#table-departements tbody tr")).to_have_count(2)
    expect(page.get_by_label("Région")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name="Département 1 (001)", exact=True).click()
    expect(
        page.get_by_text("ne sont pas publiques : la vue d'ensemble n'en donne que les chiffres")
    ).to_be_visible()
    assert_accessible(page)
    response = page.goto(f"{live_server.url}/vue-d-ensemble/departements/002/")
    assert response.status == 404
