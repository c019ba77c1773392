"""Reading numbers typed by people (French or English notation) and showing them the French way."""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

MAX_ABS = Decimal("1e12")
_SPACES = re.compile(r"[\s\u00a0\u202f']")


class NotANumber(ValueError):
    pass


def parse_number(raw) -> Decimal | None:
    """None for an empty cell; a Decimal (4 decimals at most) otherwise; NotANumber when unreadable."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise NotANumber(str(raw))
    if isinstance(raw, int | Decimal):
        number = Decimal(raw)
    elif isinstance(raw, float):
        number = Decimal(repr(raw))
    else:
        text = _SPACES.sub("", str(raw))
        if text == "":
            return None
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        if not re.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)", text):
            raise NotANumber(str(raw))
        try:
            number = Decimal(text)
        except InvalidOperation as exc:
            raise NotANumber(str(raw)) from exc
    if not number.is_finite() or abs(number) >= MAX_ABS:
        raise NotANumber(str(raw))
    return number.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def format_number(value, decimals: int | None = None) -> str:
    """1234.5 → "1 234,5" (narrow no-break space as thousands separator)."""
    if value is None:
        return "—"
    number = Decimal(value)
    if decimals is not None:
        number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    number = number.normalize()
    if number == number.to_integral():
        number = number.quantize(Decimal(1))
    sign = "-" if number < 0 else ""
    text = format(abs(number), "f")
    whole, _, fraction = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    result = "\u202f".join(groups)
    return f"{sign}{result},{fraction}" if fraction else f"{sign}{result}"
