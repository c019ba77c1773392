"""French rendering of numbers and dates, the one place for it: "258 400", "−7,37 %", "2,38 ‰", "5 décembre 2026".

Rules (docs/conventions.md, « Nombres et dates »):
- Rounding is decimal, half away from zero (`ROUND_HALF_UP` on `Decimal`): 2.5 → 3, −2.5 → −3, 0.125 at two
  places → 0,13. A float is read through its shortest repr (`repr(0.125)`), never through its binary expansion,
  so 2.675 at two places gives 2,68 as a person expects.
- Thousands are grouped by a narrow no-break space (U+202F), decimals follow a comma; the same space stands
  before "%" and "‰".
- A negative number takes the real minus sign "−" (U+2212); a value that rounds to zero has no sign.
- Without a number of decimals, trailing zeros are dropped (Decimal("12.50") → "12,5", Decimal("3.00") → "3");
  with one, it is fixed ("8,30 %").
- A missing value (None or "") shows as "—"; a value that is not a number is shown as given.
- A count too small to publish (1 to 4 people: statistical secrecy) is BELOW_THRESHOLD and shows as "< 5"
  everywhere, CSV included (`plain_decimal`).
- Dates: « 5 décembre 2026 », « 1er décembre 2026 » (long), « 05/12/2026 » (short).
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

NNBSP = "\u202f"  # narrow no-break space: thousands separator and before % and ‰
MINUS = "\u2212"
MISSING_TEXT = "—"
BELOW_THRESHOLD_TEXT = "< 5"


class BelowThreshold(Decimal):
    """A count from 1 to 4 that is not published: numerically 0 (a sum or a chart never learns the count, and
    nothing that does arithmetic on it breaks), written "< 5" by `number` and `plain_decimal`."""

    def __new__(cls):
        return super().__new__(cls, 0)

    def __repr__(self) -> str:
        return "BELOW_THRESHOLD"


BELOW_THRESHOLD = BelowThreshold()
MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


def to_decimal(value) -> Decimal:
    """An exact Decimal of an int, a Decimal, a float (through its repr) or a numeric string; ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    try:
        return Decimal(repr(value) if isinstance(value, float) else str(value).strip())
    except InvalidOperation as exc:
        raise ValueError(value) from exc


def round_half_up(value, decimals: int = 0) -> Decimal:
    """Decimal rounding half away from zero: round_half_up(Decimal("0.125"), 2) == Decimal("0.13")."""
    return to_decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _group_thousands(whole: str) -> str:
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return NNBSP.join(groups)


def number(value, decimals: int | None = None, *, signed: bool = False) -> str:
    """258400 → "258 400"; Decimal("2.5000") → "2,5"; number(2.5, 0) → "3"; signed=True writes "+" before a positive."""
    if value is None or value == "":
        return MISSING_TEXT
    if isinstance(value, BelowThreshold):
        return BELOW_THRESHOLD_TEXT
    try:
        figure = to_decimal(value)
    except ValueError:
        return str(value)
    if not figure.is_finite():
        return str(value)
    if decimals is not None:
        figure = round_half_up(figure, decimals)
    else:
        figure = figure.normalize()
        if figure == figure.to_integral_value():
            figure = figure.quantize(Decimal(1))
    text = format(abs(figure), "f")
    whole, _, fraction = text.partition(".")
    result = _group_thousands(whole) + ("," + fraction if fraction else "")
    if figure < 0:
        return MINUS + result
    if signed and figure > 0:
        return "+" + result
    return result


def percent(value, decimals: int = 2, *, signed: bool = True) -> str:
    """A percentage or a change: Decimal("3.2") → "+3,20 %"; signed=False for a share ("45 %")."""
    if value is None or value == "":
        return MISSING_TEXT
    return f"{number(value, decimals, signed=signed)}{NNBSP}%"


def rate(value, decimals: int = 2) -> str:
    """A rate per thousand: Decimal("2.38") → "2,38 ‰"."""
    if value is None or value == "":
        return MISSING_TEXT
    return f"{number(value, decimals)}{NNBSP}‰"


def plain_decimal(value) -> str:
    """For CSV files: no thousands separator, a decimal comma, an ASCII hyphen for negatives; None → ""."""
    if value is None:
        return ""
    if isinstance(value, BelowThreshold):
        return BELOW_THRESHOLD_TEXT
    figure = to_decimal(value).normalize()
    if figure == figure.to_integral_value():
        figure = figure.quantize(Decimal(1))
    return format(figure, "f").replace(".", ",")


def french_date(value: date | None) -> str:
    """date(2026, 12, 5) → "5 décembre 2026"; the first of the month is "1er"."""
    if value is None:
        return MISSING_TEXT
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


def short_date(value: date | None) -> str:
    """date(2026, 12, 5) → "05/12/2026"."""
    if value is None:
        return MISSING_TEXT
    return f"{value.day:02d}/{value.month:02d}/{value.year}"


def euros(value) -> str:
    """An amount of money: Decimal("12000") → "12 000 €", Decimal("1234.5") → "1 234,50 €" (cents only when any)."""
    if value is None or value == "":
        return MISSING_TEXT
    figure = to_decimal(value)
    decimals = 0 if figure == figure.to_integral_value() else 2
    return f"{number(figure, decimals)}{NNBSP}€"
