"""Per axis and measure: the prefecture's comment, actions by state, what changed in the period (or, for the
end-of-plan review, what was done), and the indicators against their targets with their traffic lights."""

from dataclasses import dataclass

from vigie.core.formatting import number
from vigie.indicators.progress import ACTION_BADGE, ActionCounts
from vigie.plans.enums import ActionStatus, AxisKind
from vigie.reviews.sections import Section, TocEntry


def counts_text(actions: ActionCounts) -> str:
    """ "5 actions : à venir 1, réalisée 3, en pause 1" (states with no action left out)."""
    total = actions.total
    head = f"{number(total)} action{'s' if total > 1 else ''}"
    parts = [
        f"{row['label'].lower()} {number(row['count'])}" for row in actions.rows if row["count"]
    ]
    return f"{head} : {', '.join(parts)}." if parts else f"{head}."


@dataclass
class MeasureReview:
    measure: object
    anchor: str
    actions: ActionCounts
    action_list: list
    changes: list
    done: list
    indicators: list

    @property
    def counts_text(self) -> str:
        return counts_text(self.actions)


@dataclass
class AxisReview:
    axis: object
    anchor: str
    heading: str
    comment: str
    actions: ActionCounts
    measures: list[MeasureReview]
    indicators: list

    @property
    def counts_text(self) -> str:
        return counts_text(self.actions)


def _merged(counts) -> ActionCounts:
    total = ActionCounts()
    for item in counts:
        total.merge(item)
    return total


def _measure(source, measure_progress) -> MeasureReview:
    measure = measure_progress.measure
    actions = source.actions_by_measure.get(measure.pk, [])
    for action in actions:
        action.badge = ACTION_BADGE.get(action.status, "info")
    changes = sorted(
        (change for action in actions for change in source.changes_by_action.get(action.pk, [])),
        key=lambda change: change.when,
    )
    return MeasureReview(
        measure=measure,
        anchor=f"mesure-{measure.pk}",
        actions=source.action_counts_by_measure[measure.pk],
        action_list=actions,
        changes=changes,
        done=[a for a in actions if a.status == ActionStatus.DONE],
        indicators=source.indicators_by_measure.get(measure.pk, []),
    )


def build(source) -> Section:
    axes = []
    toc = []
    for axis_progress in source.progress:
        axis = axis_progress.axis
        prefix = "Annexe" if axis.kind == AxisKind.ANNEX else "Axe"
        measures = [_measure(source, mp) for mp in axis_progress.measures]
        review = AxisReview(
            axis=axis,
            anchor=f"axe-{axis.pk}",
            heading=f"{prefix} {axis.number} — {axis.title}",
            comment=source.texts.get(axis.pk, ""),
            actions=_merged(m.actions for m in measures),
            measures=measures,
            indicators=[i for m in measures for i in m.indicators],
        )
        axes.append(review)
        toc.append(TocEntry(review.anchor, review.heading, 2))
    title = "Bilan par axe" if source.params.is_final else "Avancement par axe et par mesure"
    return Section("axes", title, {"axes": axes, "final": source.params.is_final}, toc)
