"""Small template helpers of the governance pages."""

from django import template

register = template.Library()


@register.filter
def pluriel(count, suffix: str = "s") -> str:
    """French plural: "0 décision", "1 décision", "2 décisions" (`{{ n }} décision{{ n|pluriel }}`)."""
    try:
        return suffix if abs(int(count)) >= 2 else ""
    except (TypeError, ValueError):
        return ""
