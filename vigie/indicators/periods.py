"""Period codes of indicator values.

Annual "2025", semester "2025-S1", quarter "2025-T3" (trimestre), month "2025-03".
"""

import re
from datetime import date
from functools import lru_cache

from vigie.indicators.enums import Periodicity

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
_PATTERNS = [
    (Periodicity.ANNUAL, re.compile(r"^(\d{4})$")),
    (Periodicity.SEMESTER, re.compile(r"^(\d{4})-S([12])$")),
    (Periodicity.QUARTER, re.compile(r"^(\d{4})-T([1-4])$")),
    (Periodicity.MONTH, re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")),
]
_MONTHS_PER_STEP = {
    Periodicity.ANNUAL: 12,
    Periodicity.SEMESTER: 6,
    Periodicity.QUARTER: 3,
    Periodicity.MONTH: 1,
}


def normalize(raw) -> str:
    """A period typed by a person or read from a spreadsheet cell, as a code (not validated)."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return str(raw).strip().upper()


@lru_cache(maxsize=4096)
def parse(code: str) -> tuple[str, int, int] | None:
    """(periodicity, year, index starting at 1) or None when the code is not a period."""
    for periodicity, pattern in _PATTERNS:
        match = pattern.match(code or "")
        if match:
            year = int(match.group(1))
            index = int(match.group(2)) if match.lastindex and match.lastindex > 1 else 1
            return periodicity, year, index
    return None


def code(periodicity: str, year: int, index: int = 1) -> str:
    if periodicity == Periodicity.SEMESTER:
        return f"{year}-S{index}"
    if periodicity == Periodicity.QUARTER:
        return f"{year}-T{index}"
    if periodicity == Periodicity.MONTH:
        return f"{year}-{index:02d}"
    return str(year)


def bounds(code_: str) -> tuple[date, date]:
    parsed = parse(code_)
    if parsed is None:
        raise ValueError(f"Période inconnue : {code_}")
    periodicity, year, index = parsed
    step = _MONTHS_PER_STEP[periodicity]
    first_month = (index - 1) * step + 1
    last_month = first_month + step - 1
    end = date(year + 1, 1, 1) if last_month == 12 else date(year, last_month + 1, 1)
    return date(year, first_month, 1), date.fromordinal(end.toordinal() - 1)


def year_of(code_: str) -> int | None:
    parsed = parse(code_)
    return parsed[1] if parsed else None


def periods_between(periodicity: str, start: date, end: date) -> list[str]:
    """Codes of the periods of that periodicity lying entirely within [start, end]."""
    step = _MONTHS_PER_STEP[Periodicity(periodicity)]
    result = []
    for year in range(start.year, end.year + 1):
        for index in range(1, 12 // step + 1):
            candidate = code(periodicity, year, index)
            first, last = bounds(candidate)
            if first >= start and last <= end:
                result.append(candidate)
    return result


@lru_cache(maxsize=4096)
def label(code_: str) -> str:
    parsed = parse(code_)
    if parsed is None:
        return code_
    periodicity, year, index = parsed
    if periodicity == Periodicity.SEMESTER:
        return f"{'1er' if index == 1 else '2e'} semestre {year}"
    if periodicity == Periodicity.QUARTER:
        return f"{'1er' if index == 1 else f'{index}e'} trimestre {year}"
    if periodicity == Periodicity.MONTH:
        return f"{MONTHS[index - 1]} {year}"
    return str(year)


def sort_key(code_: str) -> tuple:
    parsed = parse(code_)
    if parsed is None:
        return (9999, 99, code_)
    first, _ = bounds(code_)
    return (first.year, first.month, code_)


def example(periodicity: str) -> str:
    return {
        Periodicity.ANNUAL: "2025",
        Periodicity.SEMESTER: "2025-S1",
        Periodicity.QUARTER: "2025-T1",
        Periodicity.MONTH: "2025-01",
    }[Periodicity(periodicity)]
