from django import template

from vigie.indicators import periods
from vigie.indicators.enums import ValueStatus
from vigie.indicators.numbers import format_number

register = template.Library()

VALUE_BADGE = {
    ValueStatus.DRAFT: "info",
    ValueStatus.SUBMITTED: "new",
    ValueStatus.RETURNED: "warning",
    ValueStatus.VALIDATED: "success",
}


@register.filter
def num(value, decimals=None):
    if value is None or value == "":
        return "—"
    return format_number(value, decimals if decimals is None else int(decimals))


@register.filter
def period_label(code):
    return periods.label(code or "")


@register.filter
def value_badge(status):
    try:
        return VALUE_BADGE[ValueStatus(status)]
    except ValueError:
        return "info"


@register.filter
def value_status_label(status):
    try:
        return ValueStatus(status).label
    except ValueError:
        return "Non saisie"
