"""Template helpers of the committee's programming table: its rows (agenda × funders) are written in Python by
vigie.funding.programming_html, several times faster than as template nodes (bench/funding/instruction.py)."""

from django import template

from vigie.funding import programming_html

register = template.Library()


@register.simple_tag
def programming_rows(session, programming, extra_query="", outcome_choices=()):
    """Every row of the table: amounts typed (saved through HTMX) or written once the session has decided."""
    table = programming_html.Table(session, programming.funders, extra_query, list(outcome_choices))
    return programming_html.rows(table, programming.rows)


@register.simple_tag
def waiting_checkboxes(waiting):
    """A check box per application that can be put on the agenda."""
    return programming_html.waiting_checkboxes(waiting)
