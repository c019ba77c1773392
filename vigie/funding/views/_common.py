"""What the funding pages share: breadcrumbs, the rule messages of an application."""

from django.urls import reverse
from django.utils import timezone

from vigie.funding import perms, rules

HOME_CRUMB = {"url": "/", "title": "Accueil"}


def calls_crumb() -> dict:
    return {"url": reverse("funding:calls"), "title": "Appels à projets"}


def call_crumbs(call) -> list[dict]:
    return [calls_crumb(), {"url": call.get_absolute_url(), "title": call.title}]


def application_crumbs(user, application) -> list[dict]:
    if perms.is_applicant(user):
        first = {"url": reverse("funding:my_applications"), "title": "Mes demandes"}
        return [first, {"url": application.get_absolute_url(), "title": application.title}]
    return [
        *call_crumbs(application.call),
        {
            "url": reverse("funding:call_applications", args=[application.call_id]),
            "title": "Demandes",
        },
        {"url": application.get_absolute_url(), "title": application.title},
    ]


def rule_messages(application, *, lines=None) -> list[rules.RuleMessage]:
    """Every rule of the call on the application as saved (or with typed budget `lines`)."""
    proposal = rules.Proposal.of(application, lines=lines)
    return rules.check_proposal(proposal, today=timezone.localdate())
