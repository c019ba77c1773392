"""Derived figures, computed with Decimal and rounded half-up, as the plans and the SSMSI round them.

Year-over-year change: (new − old) / old × 100, rounded half-up to 2 decimals. 0 → 0 is 0.00 % (the Lot
plan prints "0,00 %" for homicides); a change from 0 to a positive count has no percentage (None).
"""

from dataclasses import dataclass
from decimal import Decimal, localcontext

from vigie.core import formatting

HUNDRED = Decimal(100)
THOUSAND = Decimal(1000)


def _d(value) -> Decimal | None:
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def round_half_up(value: Decimal | None, decimals: int = 2) -> Decimal | None:
    """The rounding rule of `vigie.core.formatting` (half away from zero), two decimals by default; None stays None."""
    if value is None:
        return None
    return formatting.round_half_up(value, decimals)


def exact_change(old, new) -> Decimal | None:
    """Change in %, not rounded (None when undefined)."""
    old, new = _d(old), _d(new)
    if old is None or new is None:
        return None
    if old == 0:
        return Decimal(0) if new == 0 else None
    with localcontext() as ctx:
        ctx.prec = 34
        return (new - old) / old * HUNDRED


def percent_change(old, new, decimals: int = 2) -> Decimal | None:
    """Year-over-year change (or change over n years) in %, rounded half-up."""
    return round_half_up(exact_change(old, new), decimals)


def exact_rate(count, base) -> Decimal | None:
    count, base = _d(count), _d(base)
    if count is None or not base:
        return None
    with localcontext() as ctx:
        ctx.prec = 34
        return count / base * THOUSAND


def rate_per_thousand(count, base, decimals: int = 2) -> Decimal | None:
    """Count per 1,000 inhabitants (or dwellings), rounded half-up."""
    return round_half_up(exact_rate(count, base), decimals)


def annual_average_change(old, new, years: int, decimals: int = 2) -> Decimal | None:
    """Compound annual change in % over `years` years (for "evolution over n years")."""
    old, new = _d(old), _d(new)
    if old is None or new is None or old <= 0 or new < 0 or years <= 0:
        return None
    with localcontext() as ctx:
        ctx.prec = 34
        ratio = new / old
        growth = (ratio.ln() / Decimal(years)).exp() - 1
        return round_half_up(growth * HUNDRED, decimals)


@dataclass(frozen=True)
class Check:
    """A figure stated by a document, against the value recomputed from its counts."""

    stated: Decimal
    recomputed: Decimal | None
    exact: Decimal | None

    @property
    def checkable(self) -> bool:
        return self.recomputed is not None

    @property
    def matches(self) -> bool:
        return self.recomputed is not None and self.recomputed == self.stated


def check_stated(stated, exact: Decimal | None, decimals: int) -> Check:
    """Round the exact recomputed value to the precision the document used, and compare."""
    stated = _d(stated)
    return Check(
        stated=round_half_up(stated, decimals),
        recomputed=round_half_up(exact, decimals),
        exact=exact,
    )
