"""E-mails to project applicants: each change of state of their application (Django mail)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from vigie.accounts.enums import Role
from vigie.accounts.models import User
from vigie.funding.models import GrantStateChange


def recipients(application) -> list[str]:
    """The applicant organisation's active accounts in the call's department, and the application's author."""
    accounts = User.objects.filter(
        is_active=True,
        role=Role.APPLICANT,
        organisation_id=application.organisation_id,
        department_id=application.call.department_id,
    ).exclude(email="")
    addresses = {account.email for account in accounts}
    author = application.created_by
    if author is not None and author.is_active and author.email:
        addresses.add(author.email)
    return sorted(addresses)


def send_state_changed(change_pk: int) -> int:
    change = GrantStateChange.objects.select_related(
        "application__call__department", "application__organisation", "application__created_by"
    ).get(pk=change_pk)
    application = change.application
    addresses = recipients(application)
    if not addresses:
        return 0
    context = {"change": change, "application": application, "site_url": settings.VIGIE_SITE_URL}
    subject = f"Votre demande « {application.title} » : {change.get_to_state_display().lower()}"
    body = render_to_string("funding/emails/state_changed.txt", context)
    return send_mail(subject[:200], body, settings.DEFAULT_FROM_EMAIL, addresses)
