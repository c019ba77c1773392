import pytest
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD, DepartmentFactory, UserFactory


@pytest.mark.django_db
def test_wrong_password_gives_a_french_error(client):
    UserFactory(username="claire")
    response = client.post(reverse("accounts:login"), {"username": "claire", "password": "faux"})
    assert response.status_code == 200
    assert "Identifiant ou mot de passe incorrect." in response.content.decode()


@pytest.mark.django_db
def test_login_redirects_to_next(client):
    UserFactory(username="claire")
    response = client.post(
        reverse("accounts:login") + "?next=/a-propos/",
        {"username": "claire", "password": DEFAULT_PASSWORD, "next": "/a-propos/"},
    )
    assert response.status_code == 302
    assert response.url == "/a-propos/"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_person_logs_in_and_out(page, live_server, assert_accessible):
    user = UserFactory(
        username="claire",
        first_name="Claire",
        last_name="Dupuy",
        department=DepartmentFactory(code="32", name="Gers"),
    )
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Se connecter").click()
    assert_accessible(page)
    page.get_by_label("Identifiant").fill("claire")
    page.get_by_label("Mot de passe").fill("mauvais mot de passe")
    page.get_by_role("button", name="Se connecter").click()
    assert page.get_by_text("Identifiant ou mot de passe incorrect.").is_visible()
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    assert "Claire Dupuy" in page.locator("#current-user").inner_text()
    assert "Agent de préfecture" in page.locator("#current-user").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Se déconnecter").click()
    assert page.get_by_role("link", name="Se connecter").is_visible()
    assert user.username not in page.content()
