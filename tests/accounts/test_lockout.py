"""Ten wrong passwords lock an account (per username, whatever the IP); an administrator unlocks it."""

import pytest
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD, DepartmentFactory, UserFactory
from vigie.accounts import perms
from vigie.audit.models import AuditEntry

LOCKED = "Compte verrouillé après 10 tentatives infructueuses."


def _sign_in(client, username, password, ip="10.0.0.1"):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def _lock(client, username):
    for _ in range(10):
        _sign_in(client, username, "mauvais mot de passe")


@pytest.fixture
def gers():
    return DepartmentFactory(code="32", name="Gers")


@pytest.fixture
def lot():
    return DepartmentFactory(code="46", name="Lot")


@pytest.mark.django_db
def test_nine_wrong_passwords_do_not_lock(client, gers):
    UserFactory(username="claire", department=gers)
    for _ in range(9):
        response = _sign_in(client, "claire", "mauvais mot de passe")
        assert response.status_code == 200
        assert "Identifiant ou mot de passe incorrect." in response.content.decode()
    assert _sign_in(client, "claire", DEFAULT_PASSWORD).status_code == 302


@pytest.mark.django_db
def test_ten_wrong_passwords_lock_the_account_and_refuse_the_right_one(client, gers):
    UserFactory(username="claire", department=gers)
    _lock(client, "claire")
    response = _sign_in(client, "claire", DEFAULT_PASSWORD)
    assert response.status_code == 429
    content = response.content.decode()
    assert LOCKED in content
    assert "Comptes verrouillés" in content  # what to do: who unlocks, from which page
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_lock_is_per_username_not_per_address(client, gers):
    """Agents of a prefecture share one outgoing address: another account from it still signs in."""
    UserFactory(username="claire", department=gers)
    UserFactory(username="nadia", department=gers)
    _lock(client, "claire")
    assert _sign_in(client, "nadia", DEFAULT_PASSWORD).status_code == 302
    client.logout()
    # And a guesser changing address does not escape the lock.
    response = _sign_in(client, "claire", DEFAULT_PASSWORD, ip="192.0.2.7")
    assert response.status_code == 429


@pytest.mark.django_db
def test_an_administrator_unlocks_and_the_person_signs_in(client, make_user, gers):
    account = UserFactory(username="claire", department=gers)
    _lock(client, "claire")
    admin = make_user("admin")
    client.force_login(admin)
    page = client.get(reverse("accounts:locked"))
    assert page.status_code == 200
    assert "claire" in page.content.decode()
    response = client.post(reverse("accounts:unlock", args=[account.pk]))
    assert response.status_code == 302
    entry = AuditEntry.objects.get(object_id=str(account.pk), reason__startswith="Déverrouillage")
    assert entry.actor == admin
    assert entry.changes["locked"] == {
        "label": "verrouillage",
        "old": "verrouillé",
        "new": "déverrouillé",
    }
    assert entry.department == gers
    assert "Aucun compte verrouillé." in client.get(reverse("accounts:locked")).content.decode()
    client.logout()
    assert _sign_in(client, "claire", DEFAULT_PASSWORD).status_code == 302


@pytest.mark.django_db
def test_a_prefecture_agent_unlocks_an_account_of_their_department(client, make_user, gers):
    account = UserFactory(username="claire", role="pilot", department=gers)
    _lock(client, "claire")
    client.force_login(make_user("prefecture", gers))
    assert client.post(reverse("accounts:unlock", args=[account.pk])).status_code == 302
    assert AuditEntry.objects.filter(object_id=str(account.pk)).count() == 1


@pytest.mark.django_db
def test_a_prefecture_agent_of_another_department_gets_404(client, make_user, gers, lot):
    account = UserFactory(username="claire", department=gers)
    _lock(client, "claire")
    client.force_login(make_user("prefecture", lot))
    assert "Aucun compte verrouillé." in client.get(reverse("accounts:locked")).content.decode()
    assert client.post(reverse("accounts:unlock", args=[account.pk])).status_code == 404
    assert not AuditEntry.objects.filter(object_id=str(account.pk)).exists()
    client.logout()
    assert _sign_in(client, "claire", DEFAULT_PASSWORD).status_code == 429


@pytest.mark.django_db
def test_unlocking_an_account_that_is_not_locked_writes_nothing(client, make_user, gers):
    account = UserFactory(username="claire", department=gers)
    client.force_login(make_user("admin"))
    assert client.post(reverse("accounts:unlock", args=[account.pk])).status_code == 302
    assert not AuditEntry.objects.filter(object_id=str(account.pk)).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "same_department", "expected"),
    [
        ("admin", False, True),
        ("prefecture", True, True),
        ("prefecture", False, False),
        ("pilot", True, False),
        ("coordinator", True, False),
        ("partner", True, False),
        ("reader", True, False),
        ("anonymous", True, False),
    ],
)
def test_can_unlock_account(make_user, gers, lot, role, same_department, expected):
    account = UserFactory(username="claire", department=gers)
    user = make_user(role, gers if same_department else lot)
    assert perms.can_unlock_account(user, account) is expected


@pytest.mark.django_db
def test_only_a_national_administrator_unlocks_an_account_without_department(make_user, gers):
    national = UserFactory(username="alex", role="admin", department=None)
    assert perms.can_unlock_account(make_user("admin"), national)
    assert not perms.can_unlock_account(make_user("prefecture", gers), national)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_locked_person_is_told_and_an_agent_unlocks(page, live_server, login, assert_accessible):
    gers = DepartmentFactory(code="32", name="Gers")
    UserFactory(
        username="claire", first_name="Claire", last_name="Dupuy", role="pilot", department=gers
    )
    agent = UserFactory(username="nadia", role="prefecture", department=gers)
    page.goto(f"{live_server.url}/comptes/connexion/")
    for _ in range(10):
        page.get_by_label("Identifiant").fill("claire")
        page.get_by_label("Mot de passe").fill("mauvais mot de passe")
        page.get_by_role("button", name="Se connecter").click()
    page.get_by_label("Identifiant").fill("claire")
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    assert page.get_by_text(LOCKED).is_visible()
    assert_accessible(page)

    login(agent)
    page.goto(f"{live_server.url}/comptes/verrouilles/")
    assert_accessible(page)
    page.get_by_role("row").filter(has_text="claire").get_by_role(
        "button", name="Déverrouiller"
    ).click()
    assert page.get_by_text("Le compte claire (Claire Dupuy) est déverrouillé.").is_visible()
    assert page.get_by_text("Aucun compte verrouillé.").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Se déconnecter").click()

    login(UserFactory.build(username="claire"))
    assert "Claire Dupuy" in page.locator("#current-user").inner_text()


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        ("prefecture", True),
        ("admin", True),
        ("pilot", False),
        ("coordinator", False),
        ("reader", False),
    ],
)
def test_header_links_to_locked_accounts_for_account_managers_only(
    client, make_user, gers, role, shown
):
    client.force_login(make_user(role, gers))
    html = client.get(reverse("plans:home")).content.decode()
    assert (reverse("accounts:locked") in html) is shown


def test_header_has_no_locked_accounts_link_when_signed_out(client, db):
    assert reverse("accounts:locked") not in client.get(reverse("plans:home")).content.decode()
