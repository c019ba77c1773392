"""E-mails of the accounts app: the invitation to choose one's password."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from vigie.accounts import invitations


def site_url() -> str:
    return settings.VIGIE_SITE_URL.rstrip("/")


def send_invitation(account, token: str, *, invited_by, expires_at) -> None:
    context = {
        "account": account,
        "invited_by": invited_by,
        "link": site_url() + reverse("accounts:invitation", args=[token]),
        "expires_at": timezone.localtime(expires_at),
        "validity": invitations.validity_text(),
        "site_url": site_url(),
        "password_help": "au moins 12 caractères, dont une majuscule, une minuscule, un chiffre et "
        "un caractère spécial",
    }
    subject = " ".join(render_to_string("accounts/emails/invitation_subject.txt", context).split())
    body = render_to_string("accounts/emails/invitation.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [account.email])
