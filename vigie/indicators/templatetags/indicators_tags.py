from django import template

from vigie.core.templatetags.vigie_tags import nombre
from vigie.indicators import periods
from vigie.indicators.enums import ValueStatus

register = template.Library()

VALUE_BADGE = {
    ValueStatus.DRAFT: "info",
    ValueStatus.SUBMITTED: "new",
    ValueStatus.RETURNED: "warning",
    ValueStatus.VALIDATED: "success",
}


# The shared French number filter under the name the indicator templates use.
register.filter("num", nombre)


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
