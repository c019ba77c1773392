"""Shared template filters and tags: French number formatting, status badges, audit changes."""

from django import template
from django.utils.html import format_html

from vigie.core.formatting import number

register = template.Library()


@register.filter(name="nombre")
def nombre(value, decimals=None):
    """French number formatting (vigie.core.formatting.number): {{ population|nombre }}, {{ rate|nombre:1 }}."""
    if decimals in (None, ""):
        return number(value)
    try:
        return number(value, int(decimals))
    except (TypeError, ValueError):
        return number(value)


STATUS_BADGE_CLASSES = {
    "planned": "fr-badge--new",
    "in_progress": "fr-badge--info",
    "done": "fr-badge--success",
    "paused": "fr-badge--warning",
    "abandoned": "fr-badge--error",
}
PLAN_STATUS_BADGE_CLASSES = {"draft": "fr-badge--new", "adopted": "fr-badge--success", "closed": ""}


@register.simple_tag
def action_status_badge(status: str, label: str, count=None):
    """A DSFR badge for an action status; the label is always written (never colour alone)."""
    # A zero count stays grey: colour draws the eye only to what exists.
    css = "" if count is not None and not count else STATUS_BADGE_CLASSES.get(status, "")
    text = f"{number(count)} {label.lower()}" if count is not None else label
    return format_html(
        '<p class="fr-badge fr-badge--sm fr-badge--no-icon {} vigie-status vigie-status--{}">{}</p>',
        css,
        status,
        text,
    )


@register.simple_tag
def plan_status_badge(status: str, label: str):
    css = PLAN_STATUS_BADGE_CLASSES.get(status, "")
    return format_html('<p class="fr-badge fr-badge--sm fr-badge--no-icon {}">{}</p>', css, label)


@register.filter
def get_item(mapping, key):
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.simple_tag
def heading(level, text, id="", css=""):
    """A heading whose level depends on where a fragment is included: {% heading 3 axis id="axe-1" %}."""
    try:
        level = min(max(int(level), 1), 6)
    except (TypeError, ValueError):
        level = 2
    attrs = format_html(' id="{}"', id) if id else ""
    classes = format_html(' class="{}"', css) if css else ""
    return format_html("<h{0}{1}{2}>{3}</h{0}>", level, attrs, classes, text)


@register.filter
def add_level(level, offset):
    """{% heading base|add_level:1 … %}"""
    try:
        return int(level) + int(offset)
    except (TypeError, ValueError):
        return level


@register.filter
def pluriel(value, suffixes="s"):
    """French plural: 0 and 1 are singular. {{ n }} mesure{{ n|pluriel }}, ax{{ n|pluriel:"e,es" }}."""
    singular, _, plural = suffixes.rpartition(",") if "," in suffixes else ("", "", suffixes)
    try:
        count = len(value) if isinstance(value, list | tuple | set | dict) else abs(float(value))
    except (TypeError, ValueError):
        return singular
    return plural if count >= 2 else singular
