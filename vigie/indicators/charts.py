"""The chart of an indicator: its department-level validated values, with its baseline and target.

Drawn once here for the indicator page and for the plan reviews (vigie/reviews), so both show the same chart.
"""

from decimal import Decimal

from vigie.core.charts import Line, Reference, line_chart
from vigie.core.formatting import BelowThreshold, number
from vigie.indicators import periods


def indicator_chart(indicator, plan, by_period: dict[str, Decimal], *, chart_id: str = "") -> str:
    """The department's validated values over the periods, with the baseline and the target as dashed lines.
    A « < 5 » count (BELOW_THRESHOLD) is not drawn: the indicator's table shows it."""
    by_period = {k: v for k, v in by_period.items() if not isinstance(v, BelowThreshold)}
    if not by_period:
        return ""
    labels = [periods.label(code) for code in by_period]
    values = list(by_period.values())
    references = []
    if indicator.target_value is not None:
        target_label = indicator.target_period or str(plan.period_end)
        references.append(Reference("target", f"Cible {target_label}", indicator.target_value))
    if indicator.baseline_value is not None:
        baseline_label = f"Référence {indicator.baseline_period or ''}".strip()
        references.append(Reference("baseline", baseline_label, indicator.baseline_value))
    unit = indicator.get_unit_display().lower()
    described = [f"{label} : {number(value)}" for label, value in zip(labels, values, strict=True)]
    description = (
        f"Évolution de l'indicateur au niveau du département ({unit}), valeurs validées : "
        + "; ".join(described)
        + "".join(f". {r.label} : {number(r.value)}" for r in references if r.kind == "target")
        + "."
    )
    return line_chart(
        chart_id=chart_id or f"graphique-{indicator.pk}",
        title=f"Évolution — {indicator}",
        description=description,
        x_labels=labels,
        lines=[Line("Département", values, 0)],
        references=references,
        decimals=None,
    )
