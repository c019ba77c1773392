"""The forecast budget's arithmetic (Cerfa 12156): totals, balance, amount asked from a fund, its share.

Pure functions over lines (saved `GrantBudgetLine` rows or lines typed in a form): `Decimal` only, never floats.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from vigie.funding.enums import (
    COST_ACCOUNTS,
    IN_KIND_COST,
    IN_KIND_INCOME,
    INCOME_ACCOUNTS,
    FunderCategory,
)

ZERO = Decimal("0")
HUNDRED = Decimal("100")


@dataclass(frozen=True)
class Line:
    account: str
    amount: Decimal
    funder_category: str = ""
    fund_id: int | None = None
    label: str = ""

    @classmethod
    def of(cls, row) -> "Line":
        """A saved budget line (or anything with the same attributes)."""
        return cls(row.account, row.amount, row.funder_category, row.fund_id, row.label)


@dataclass(frozen=True)
class Totals:
    costs: Decimal  # accounts 60 to 68 and indirect costs
    in_kind_costs: Decimal  # account 86
    income: Decimal  # accounts 70 to 78
    in_kind_income: Decimal  # account 87

    @property
    def total_costs(self) -> Decimal:
        return self.costs + self.in_kind_costs

    @property
    def total_income(self) -> Decimal:
        return self.income + self.in_kind_income

    @property
    def is_balanced(self) -> bool:
        return self.total_costs == self.total_income

    def share_base(self, *, in_kind_counted: bool) -> Decimal:
        """The total cost a fund's share is computed on: with in-kind contributions only if the call says so."""
        return self.costs + (self.in_kind_costs if in_kind_counted else ZERO)


def _sum(lines: Iterable[Line], accounts) -> Decimal:
    return sum((line.amount for line in lines if line.account in accounts), ZERO)


def totals(lines: Iterable[Line]) -> Totals:
    lines = list(lines)
    return Totals(
        costs=_sum(lines, COST_ACCOUNTS),
        in_kind_costs=_sum(lines, (IN_KIND_COST,)),
        income=_sum(lines, INCOME_ACCOUNTS),
        in_kind_income=_sum(lines, (IN_KIND_INCOME,)),
    )


def requested_from(lines: Iterable[Line], fund_id: int) -> Decimal:
    """What the budget asks from one State fund: its subsidy lines (account 74)."""
    return sum(
        (
            line.amount
            for line in lines
            if line.account == "74"
            and line.funder_category == FunderCategory.STATE
            and line.fund_id == fund_id
        ),
        ZERO,
    )


def public_funding(lines: Iterable[Line]) -> Decimal:
    """Every subsidy of the budget (account 74), whoever gives it."""
    return sum((line.amount for line in lines if line.account == "74"), ZERO)


def share(amount: Decimal, base: Decimal) -> Decimal | None:
    """`amount` as a percentage of `base` (None when the base is zero)."""
    if base <= ZERO:
        return None
    return amount * HUNDRED / base
