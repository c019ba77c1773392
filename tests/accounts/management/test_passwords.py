"""Password change (current password required) and reset by e-mail (same answer whether the address exists)."""

from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.accounts.management.helpers import GOOD_PASSWORD, last_link_path, text
from tests.factories import DEFAULT_PASSWORD
from vigie.accounts import services
from vigie.accounts.enums import Role
from vigie.accounts.models import User
from vigie.accounts.password_views import RESET_SENT
from vigie.accounts.roles import RoleAssignment
from vigie.audit.models import AuditEntry


def entries(account):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(account.pk)
    )


def test_changing_ones_password(client, pilot):
    other_session = Client()
    other_session.force_login(pilot)
    client.force_login(pilot)
    url = reverse("accounts:password_change")
    wrong = client.post(
        url,
        {"old_password": "faux", "new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD},
    )
    assert "Le mot de passe actuel est incorrect." in text(wrong)
    weak = client.post(
        url, {"old_password": DEFAULT_PASSWORD, "new_password1": "court", "new_password2": "court"}
    )
    html = text(weak)
    assert "Le mot de passe doit contenir au moins" in html and "12" in html
    mismatch = client.post(
        url,
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": GOOD_PASSWORD,
            "new_password2": GOOD_PASSWORD + "x",
        },
    )
    assert "Les deux mots de passe saisis ne sont pas identiques." in text(mismatch)
    assert not entries(pilot).exists()
    done = client.post(
        url,
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": GOOD_PASSWORD,
            "new_password2": GOOD_PASSWORD,
        },
    )
    assert done.status_code == 302
    pilot.refresh_from_db()
    assert pilot.check_password(GOOD_PASSWORD)
    assert "_auth_user_id" in client.session  # this session stays signed in
    assert "Julien Lafitte" not in text(other_session.get("/"))  # the other one ends
    entry = entries(pilot).get()
    assert entry.reason == "Mot de passe changé par la personne" and entry.actor == pilot
    assert GOOD_PASSWORD not in str(entry.changes)


def test_reset_answers_the_same_whether_the_address_exists_or_not(client, pilot):
    url = reverse("accounts:password_reset")
    unknown = client.post(url, {"email": "personne@example.org"}, follow=True)
    assert not mail.outbox
    known = client.post(url, {"email": pilot.email.upper()}, follow=True)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [pilot.email]
    assert unknown.redirect_chain == known.redirect_chain == [(reverse("accounts:login"), 302)]
    assert RESET_SENT in text(unknown) and RESET_SENT in text(known)
    assert "valable 2 heures" in mail.outbox[0].body


def test_the_reset_link_sets_a_new_password_once(client, pilot):
    client.post(reverse("accounts:password_reset"), {"email": pilot.email})
    link = last_link_path("/comptes/mot-de-passe-oublie/")
    form_page = client.get(link, follow=True)
    form_url = form_page.redirect_chain[-1][0]
    assert "Choisissez votre nouveau mot de passe." in text(form_page)
    weak = client.post(form_url, {"new_password1": "julien", "new_password2": "julien"})
    assert "Le mot de passe doit contenir au moins" in text(weak)
    done = client.post(
        form_url, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD}, follow=True
    )
    assert "Votre nouveau mot de passe est enregistré" in text(done)
    pilot.refresh_from_db()
    assert pilot.check_password(GOOD_PASSWORD)
    assert entries(pilot).get().reason == "Mot de passe réinitialisé par courriel"
    again = Client().get(link, follow=True)
    assert "Ce lien de réinitialisation a expiré ou a déjà servi." in text(again)


def test_no_reset_for_an_invitation_not_yet_accepted(client, agent, gers):
    services.invite_account(
        acting_user=agent,
        email="camille@example.org",
        first_name="C",
        last_name="R",
        assignment=RoleAssignment.build(Role.READER, gers),
    )
    mail.outbox.clear()
    client.post(reverse("accounts:password_reset"), {"email": "camille@example.org"})
    assert not mail.outbox  # the invitation link is the way in


def test_the_sign_in_page_offers_the_reset(client, db):
    html = text(client.get(reverse("accounts:login")))
    assert reverse("accounts:password_reset") in html and "Mot de passe oublié ?" in html
