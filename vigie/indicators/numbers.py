"""Reading numbers typed by people (French or English notation). Showing them: `vigie.core.formatting`."""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from vigie.core.formatting import MINUS

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
        text = _SPACES.sub("", str(raw)).replace(MINUS, "-")
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
