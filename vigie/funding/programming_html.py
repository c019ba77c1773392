"""The rows of the committee's programming table, written in Python.

300 agenda items by three or four funders are thousands of cells: as template nodes (or one format_html per cell)
they cost more than everything else on the page (bench/funding/instruction.py). Each row, and each cell that a
typed amount changes, is written here by one function, for the page and for the HTMX answer alike, so both show
the same markup. Every text read from the database goes through escape(); amounts through
vigie.core.formatting.euros, once per distinct amount of the table.
"""

from dataclasses import dataclass, field
from html import (
    escape,
)  # what django.utils.html.escape does to a str, without its lazy-string wrapper

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from vigie.core import formatting
from vigie.funding.committee import ProgrammingRow, WaitingApplication
from vigie.funding.models import CommitteeSession, Fund

NNBSP = formatting.NNBSP


class _Euros(dict):
    """euros() of each amount, computed once: a table of 300 rows repeats a handful of amounts."""

    def __missing__(self, value):
        text = self[value] = formatting.euros(value)
        return text


def _proposal_url_prefix(session: CommitteeSession) -> str:
    """The address of a proposal without its item and fund: reverse() once per table, not once per cell."""
    url = reverse("instruction:proposal", args=[session.pk, 0, 0])
    if not url.endswith("/0/0/"):  # pragma: no cover - guards a change of instruction_urls
        raise ValueError(f"Unexpected proposal address: {url}")
    return url[: -len("0/0/")]


@dataclass
class Table:
    """What every row of one rendering shares."""

    session: CommitteeSession
    funders: list[Fund]
    extra_query: str = ""
    outcome_choices: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self):
        self.is_decided = self.session.decided_at is not None
        self.euros = _Euros()
        self.url_prefix = _proposal_url_prefix(self.session)
        self.extra = escape(self.extra_query)
        self.options = [
            (value, escape(value), escape(label)) for value, label in self.outcome_choices
        ]


def _application_cell(table: Table, row: ProgrammingRow, title: str) -> str:
    application = row.application
    messages = "".join(
        f'<p class="fr-message fr-message--error">{escape(message)}</p>' for message in row.messages
    )
    return (
        f'<td id="application-{row.item.pk}">{title}<br><span class="fr-hint-text">'
        f"{escape(str(application.organisation))} — {escape(str(application.call_programme.programme))}, "
        f"demandé {table.euros[application.requested_amount]}</span>{messages}</td>"
    )


def _public_cell(table: Table, row: ProgrammingRow) -> str:
    share = ""
    if row.public_share is not None:
        share = f" ({formatting.number(row.public_share, 1)}{NNBSP}%)"
    return f'<td id="public-{row.item.pk}">{table.euros[row.total_public]}{share}</td>'


def _amount_cell(table: Table, row: ProgrammingRow, fund: Fund, title: str, error: str = "") -> str:
    if table.is_decided:
        return f"<td>{table.euros[row.amounts.get(fund.pk)]}</td>"
    key = f"{row.item.pk}-{fund.pk}"
    amount = row.amounts.get(fund.pk)
    value = "" if amount is None else amount
    invalid = message = ""
    if error:
        invalid = f' aria-invalid="true" aria-describedby="amount-{key}-error"'
        message = (
            f'<p class="fr-message fr-message--error" id="amount-{key}-error">{escape(error)}</p>'
        )
    return (
        f'<td id="cell-{key}"><label class="fr-sr-only" for="amount-{key}">{escape(fund.code)} pour « {title} »'
        f'</label><input class="fr-input{" fr-input--error" if error else ""}" id="amount-{key}" name="amount" '
        f'inputmode="decimal" value="{value}"{invalid} hx-post="{table.url_prefix}{row.item.pk}/{fund.pk}/'
        f'{table.extra}" hx-trigger="change" hx-swap="none">{message}</td>'
    )


def _outcome_cell(table: Table, row: ProgrammingRow, title: str) -> str:
    item = row.item
    if table.is_decided:
        return f"<td>{escape(item.get_outcome_display() or '—')}</td>"
    options = "".join(
        f'<option value="{value}"{" selected" if raw == item.outcome else ""}>{label}</option>'
        for raw, value, label in table.options
    )
    return (
        f'<td><label class="fr-sr-only" for="outcome-{item.pk}">Décision pour « {title} »</label>'
        f'<select class="fr-select" id="outcome-{item.pk}" name="outcome-{item.pk}" form="decisions-form">'
        f"{options}</select></td>"
    )


def _row(table: Table, row: ProgrammingRow) -> str:
    title = escape(row.application.title)
    amounts = "".join(_amount_cell(table, row, fund, title) for fund in table.funders)
    return (
        f'<tr id="item-{row.item.pk}">{_application_cell(table, row, title)}'
        f"<td>{table.euros[row.application.total_cost]}</td>{amounts}{_public_cell(table, row)}"
        f"{_outcome_cell(table, row, title)}</tr>"
    )


def rows(table: Table, programming_rows: list[ProgrammingRow]) -> SafeString:
    """The body of the programming table: one <tr> per agenda item."""
    return mark_safe("".join(_row(table, row) for row in programming_rows))


def changed_cells(table: Table, row: ProgrammingRow, fund: Fund, error: str = "") -> SafeString:
    """After one amount is typed: the cells it changes (the amount itself, the row's checks, its public share),
    each swapped out of band by its id. In a <template>: table cells cannot stand alone in an HTML fragment."""
    if table.is_decided:  # nothing to type any more: the page itself shows the decisions
        return mark_safe("")
    title = escape(row.application.title)
    cells = (
        _amount_cell(table, row, fund, title, error),
        _application_cell(table, row, title),
        _public_cell(table, row),
    )
    # Each cell opens with <td id="…">: the attribute goes before the first ">".
    swapped = "".join(cell.replace(">", ' hx-swap-oob="true">', 1) for cell in cells)
    return mark_safe(f"<template>{swapped}</template>")


def waiting_checkboxes(waiting: list[WaitingApplication]) -> SafeString:
    """One check box per application that can be put on the agenda (up to 200 of them)."""
    return mark_safe(
        "".join(
            f'<div class="fr-fieldset__element"><div class="fr-checkbox-group"><input type="checkbox" '
            f'id="add-{application.pk}" name="applications" value="{application.pk}"><label class="fr-label" '
            f'for="add-{application.pk}">{escape(application.title)} — {escape(str(application.organisation))} '
            f"({escape(str(application.programme))})</label></div></div>"
            for application in waiting
        )
    )
