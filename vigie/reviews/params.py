"""What a review covers: a plan, a kind (annual or end of plan) and a date range."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError

from vigie.core.formatting import french_date
from vigie.reviews.enums import ReviewKind


@dataclass(frozen=True)
class ReviewParams:
    plan: object
    kind: str
    date_from: date
    date_to: date

    @classmethod
    def for_year(cls, plan, year: int) -> "ReviewParams":
        return cls(plan, ReviewKind.ANNUAL, date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def for_whole_plan(cls, plan) -> "ReviewParams":
        return cls(
            plan, ReviewKind.FINAL, date(plan.period_start, 1, 1), date(plan.period_end, 12, 31)
        )

    def __post_init__(self):
        if self.date_to < self.date_from:
            raise ValidationError(
                {"date_to": "La fin de la période doit suivre son début."}, code="order"
            )

    @property
    def is_final(self) -> bool:
        return self.kind == ReviewKind.FINAL

    @property
    def is_calendar_year(self) -> bool:
        return (
            self.date_from.year == self.date_to.year
            and (self.date_from.month, self.date_from.day) == (1, 1)
            and (self.date_to.month, self.date_to.day) == (12, 31)
        )

    @property
    def period_label(self) -> str:
        if self.is_calendar_year:
            return str(self.date_from.year)
        if (self.date_from.month, self.date_from.day) == (1, 1) and (
            self.date_to.month,
            self.date_to.day,
        ) == (12, 31):
            return f"{self.date_from.year}-{self.date_to.year}"
        return f"du {french_date(self.date_from)} au {french_date(self.date_to)}"

    @property
    def title(self) -> str:
        department = self.plan.department.name
        if self.is_final:
            return f"Bilan du plan départemental de prévention de la délinquance — {department} {self.period_label}"
        return f"Bilan annuel {self.period_label} du plan de prévention de la délinquance — {department}"

    def as_json(self) -> dict:
        return {
            "plan": self.plan.pk,
            "kind": self.kind,
            "date_from": self.date_from.isoformat(),
            "date_to": self.date_to.isoformat(),
        }

    def slug(self) -> str:
        kind = "bilan-final" if self.is_final else "bilan"
        return f"{kind}-{self.plan.department.code}-{self.date_from.isoformat()}-{self.date_to.isoformat()}"
