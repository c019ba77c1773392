"""Template helpers of the committee's programming table: its many cells (agenda × funders) are written here
with format_html, about ten times faster than as template nodes (bench/funding/instruction.py)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from vigie.core import formatting

register = template.Library()


@register.simple_tag
def proposal_cells(session, row, funders, extra_query=""):
    """One cell per funder: the amount typed (saved through HTMX), or written once the session has decided."""
    if session.decided_at is not None:
        return format_html_join(
            "", "<td>{}</td>", ((formatting.euros(row.amounts.get(f.pk)),) for f in funders)
        )
    base = reverse("instruction:proposal", args=[session.pk, row.item.pk, 0])[: -len("0/")]
    title = row.application.title
    cells = (
        (
            row.item.pk,
            fund.pk,
            fund.code,
            title,
            "" if row.amounts.get(fund.pk) is None else row.amounts[fund.pk],
            base,
            extra_query,
        )
        for fund in funders
    )
    return format_html_join(
        "",
        '<td><label class="fr-sr-only" for="amount-{0}-{1}">{2} pour « {3} »</label>'
        '<input class="fr-input" id="amount-{0}-{1}" name="amount" inputmode="decimal" value="{4}" '
        'hx-post="{5}{1}/{6}" hx-trigger="change" hx-target="#programming" hx-swap="outerHTML"></td>',
        cells,
    )


@register.simple_tag
def outcome_select(row, choices):
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, " selected" if value == row.item.outcome else "", label)
            for value, label in choices
        ),
    )
    return format_html(
        '<label class="fr-sr-only" for="outcome-{0}">Décision pour « {1} »</label>'
        '<select class="fr-select" id="outcome-{0}" name="outcome-{0}" form="decisions-form">{2}</select>',
        row.item.pk,
        row.application.title,
        options,
    )
