"""Template helpers of the funding pages: amounts in euros, state badges."""

from django import template
from django.utils.html import format_html

from vigie.core import formatting
from vigie.funding.enums import ApplicantKind, AttachmentKind
from vigie.funding.enums import ApplicationState as S

register = template.Library()

# DSFR badge colour of each state.
STATE_BADGES = {
    S.DRAFT: "",
    S.SUBMITTED: "fr-badge--info",
    S.TO_CORRECT: "fr-badge--warning",
    S.IN_REVIEW: "fr-badge--new",
    S.ACCEPTED: "fr-badge--success",
    S.REFUSED: "fr-badge--error",
    S.DISMISSED: "",
    S.NOTIFIED: "fr-badge--success",
    S.PAID: "fr-badge--success",
    S.REPORT_DUE: "fr-badge--warning",
    S.REPORT_RECEIVED: "fr-badge--info",
    S.CLOSED: "",
}


@register.filter
def euros(value):
    return formatting.euros(value)


@register.simple_tag
def state_badge(state: str, label: str):
    css = STATE_BADGES.get(state, "")
    return format_html('<span class="fr-badge fr-badge--sm {}">{}</span>', css, label)


@register.filter
def share(value):
    """A percentage share: Decimal("50.00") → "50 %"."""
    if value is None:
        return formatting.MISSING_TEXT
    return f"{formatting.number(value)}{formatting.NNBSP}%"


@register.inclusion_tag("funding/partials/call_rules.html")
def call_rules(call):
    return {
        "call": call,
        "eligible": [
            ApplicantKind(k).label
            for k in call.eligible_applicant_kinds
            if k in ApplicantKind.values
        ],
        "attachments": [
            AttachmentKind(k).label for k in call.required_attachments if k in AttachmentKind.values
        ],
    }
