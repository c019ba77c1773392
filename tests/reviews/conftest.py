"""A small plan of the Gers with an axis, measures, actions and an indicator with values; a review stored."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile

from tests.factories import (
    ActionFactory,
    AxisFactory,
    DepartmentFactory,
    IndicatorFactory,
    MeasureFactory,
    PlanFactory,
)
from vigie.reviews.enums import ReviewFormat, ReviewKind
from vigie.reviews.models import Review


@pytest.fixture
def small(db):
    gers = DepartmentFactory(code="32", name="Gers")
    lot = DepartmentFactory(code="46", name="Lot")
    plan = PlanFactory(department=gers, period_start=2021, period_end=2024, status="adopted")
    axis = AxisFactory(plan=plan, number="1", title="Les jeunes", order=1)
    axis2 = AxisFactory(plan=plan, number="2", title="Les personnes vulnérables", order=2)
    m11 = MeasureFactory(axis=axis, number="1.1", title="Prévenir au plus tôt")
    m21 = MeasureFactory(axis=axis2, number="2.1", title="Protéger les victimes")
    ActionFactory(measure=m11, text="Former les référents", status="done")
    late = ActionFactory(
        measure=m11, text="Ouvrir un point écoute", status="planned", due_date=date(2024, 6, 30)
    )
    ActionFactory(measure=m21, text="Signer une convention", status="in_progress")
    indicator = IndicatorFactory(
        measure=m11,
        label="Nombre d'interventions en milieu scolaire",
        baseline_period="2020",
        baseline_value=Decimal(100),
        target_period="2024",
        target_value=Decimal(200),
    )
    return {
        "gers": gers,
        "lot": lot,
        "plan": plan,
        "axis": axis,
        "axis2": axis2,
        "m11": m11,
        "m21": m21,
        "late": late,
        "indicator": indicator,
    }


@pytest.fixture
def stored_review(small):
    review = Review(
        plan=small["plan"],
        kind=ReviewKind.ANNUAL,
        date_from=date(2024, 1, 1),
        date_to=date(2024, 12, 31),
        output_format=ReviewFormat.HTML,
        title="Bilan annuel 2024",
        filename="bilan.html",
        sha256="0" * 64,
        size=5,
    )
    review.file.save("bilan.html", ContentFile(b"<p>x</p>"), save=False)
    review.save()
    return review
