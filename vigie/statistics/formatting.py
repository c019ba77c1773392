"""French rendering of figures: "258 400", "8,30 %", "2,38 ‰", "26 janvier 2025"."""

from datetime import date
from decimal import Decimal

NNBSP = "\u202f"  # narrow no-break space: thousands separator and before % and ‰
WITHHELD_TEXT = "non diffusé (secret statistique)"
MISSING_TEXT = "—"
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


def french_date(value: date) -> str:
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


def number(value, decimals: int | None = None) -> str:
    """258400 → "258 400"; Decimal("2.5000") → "2,5"; decimals fixes the number of decimals."""
    if value is None:
        return MISSING_TEXT
    value = value if isinstance(value, Decimal) else Decimal(str(value))
    if decimals is None:
        value = value.normalize()
        if value == value.to_integral():
            value = value.quantize(Decimal(1))
        text = format(value, "f")
    else:
        text = format(value.quantize(Decimal(1).scaleb(-decimals)), "f")
    sign = ""
    if text.startswith("-"):
        sign, text = "−", text[1:]
    whole, _, fraction = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    result = NNBSP.join(groups)
    if fraction:
        result += "," + fraction
    return sign + result


def percent(value, decimals: int = 2, signed: bool = True) -> str:
    if value is None:
        return MISSING_TEXT
    text = number(value, decimals)
    if signed and not text.startswith("−") and Decimal(str(value)) > 0:
        text = "+" + text
    return f"{text}{NNBSP}%"


def rate(value, decimals: int = 2) -> str:
    if value is None:
        return MISSING_TEXT
    return f"{number(value, decimals)}{NNBSP}‰"


def plain_decimal(value) -> str:
    """For CSV: no thousands separator, decimal comma."""
    if value is None:
        return ""
    value = value if isinstance(value, Decimal) else Decimal(str(value))
    value = value.normalize()
    if value == value.to_integral():
        value = value.quantize(Decimal(1))
    return format(value, "f").replace(".", ",")
