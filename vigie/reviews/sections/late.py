"""What is late at the end of the period: actions past their due date, indicators off their trajectory,
bodies that have not met as their cadence asks, followed decisions past due, communes without a council."""

from vigie.indicators.enums import TrackStatus
from vigie.plans.enums import ActionStatus
from vigie.reviews.sections import Section

OPEN_STATES = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS, ActionStatus.PAUSED)


def build(source) -> Section:
    end = source.params.date_to
    measures = {mp.measure.pk: mp.measure for axis in source.progress for mp in axis.measures}
    actions = [
        (measures[measure_id], action)
        for measure_id, group in source.actions_by_measure.items()
        for action in group
        if action.due_date and action.due_date <= end and action.status in OPEN_STATES
    ]
    actions.sort(key=lambda pair: (pair[1].due_date, pair[0].number))
    indicators = [
        (measures[item.indicator.measure_id], item)
        for item in source.indicators
        if item.track.status in (TrackStatus.OFF_TRACK, TrackStatus.AT_RISK)
    ]
    data = {
        "actions": actions,
        "indicators": indicators,
        "bodies": [row for row in source.body_statuses if row.needs_attention],
        "decisions": source.overdue_follow_ups,
        "uncovered": [row for row in source.coverage if not row.covered],
    }
    return Section("retards", "Ce qui est en retard", data)
