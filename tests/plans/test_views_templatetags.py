"""Shared template filters and tags (vigie/core/templatetags/vigie_tags.py)."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from vigie.core.formatting import number
from vigie.core.templatetags.vigie_tags import (
    action_status_badge,
    heading,
    nombre,
    pluriel,
)

NNBSP = "\u202f"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "0"),
        (999, "999"),
        (1234, f"1{NNBSP}234"),
        (21986, f"21{NNBSP}986"),
        (1234567, f"1{NNBSP}234{NNBSP}567"),
        (-4500, f"\u22124{NNBSP}500"),  # the real minus sign, as on the statistics pages
        (Decimal("12500.50"), f"12{NNBSP}500,5"),
        (Decimal("3.00"), "3"),
        (12.25, "12,25"),
        (None, "—"),  # missing, as on the indicator and statistics pages
        ("", "—"),
        ("abc", "abc"),
        (float("nan"), "nan"),
    ],
)
def test_format_number(value, expected):
    assert number(value) == expected


def test_nombre_with_decimals():
    assert nombre(Decimal("1234.5678"), 2) == f"1{NNBSP}234,57"
    assert nombre(Decimal("2.5"), "x") == "2,5"
    assert nombre(7, "") == "7"


@pytest.mark.parametrize(
    ("value", "suffixes", "expected"),
    [
        (0, "s", ""),
        (1, "s", ""),
        (2, "s", "s"),
        (1, "e,es", "e"),
        (3, "e,es", "es"),
        ([1, 2], "s", "s"),
        ("x", "s", ""),
    ],
)
def test_pluriel(value, suffixes, expected):
    assert pluriel(value, suffixes) == expected


def test_action_status_badge_always_has_text():
    html = action_status_badge("in_progress", "En cours")
    assert ">En cours</p>" in html and "fr-badge--info" in html
    html = action_status_badge("done", "Réalisée", 3)
    assert ">3 réalisée</p>" in html and "fr-badge--success" in html
    # A zero count stays grey.
    assert "fr-badge--success" not in action_status_badge("done", "Réalisée", 0)


def test_heading():
    assert heading(3, "Axe <1>", id="axe-1") == '<h3 id="axe-1">Axe &lt;1&gt;</h3>'
    assert heading(9, "x") == "<h6>x</h6>"
    assert heading("bad", "x", css="fr-h5") == '<h2 class="fr-h5">x</h2>'


def test_filters_in_a_template():
    rendered = Template("{% load vigie_tags %}{{ n|nombre }} habitant{{ n|pluriel }}").render(
        Context({"n": 21986})
    )
    assert rendered == f"21{NNBSP}986 habitants"
