import pytest
from django.urls import reverse

from tests.factories import PlanFactory


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["core:about", "core:accessibility"])
def test_static_pages_render(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert "Vigie" in response.content.decode()


@pytest.mark.django_db
def test_home_lists_public_plans_only(client):
    adopted = PlanFactory(
        title="Plan adopté du Gers", department__code="32", department__name="Gers"
    )
    PlanFactory(
        title="Projet confidentiel",
        status="draft",
        department=adopted.department,
        period_start=2025,
        period_end=2028,
    )
    response = client.get(reverse("plans:home"))
    content = response.content.decode()
    assert "Plan adopté du Gers" in content
    assert "Projet confidentiel" not in content


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_about_page_is_accessible(page, live_server, assert_accessible):
    page.goto(f"{live_server.url}/a-propos/")
    assert page.get_by_role("heading", level=1).inner_text() == "Sources et licences des données"
    assert_accessible(page)
