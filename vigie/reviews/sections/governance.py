"""Governance in the period: meetings held against each body's cadence, decisions followed, local councils
and their last meeting, the obligation of a council in communes over 10,000 inhabitants."""

from collections import Counter
from dataclasses import dataclass

from vigie.governance.enums import CADENCE_MONTHS, LOCAL_COUNCIL_KINDS, FollowUpStatus
from vigie.governance.selectors import LOCAL_COUNCIL_THRESHOLD
from vigie.reviews.sections import Section


@dataclass
class BodyRow:
    status: object  # governance.selectors.BodyStatus
    held: int
    required: int | None

    @property
    def body(self):
        return self.status.body

    @property
    def short(self) -> bool:
        return self.required is not None and self.held < self.required


def months_in(date_from, date_to) -> int:
    return (date_to.year - date_from.year) * 12 + date_to.month - date_from.month + 1


def required_meetings(cadence: str, months: int) -> int | None:
    """Meetings a body's cadence asks for over a period of `months` months (None: no cadence)."""
    every = CADENCE_MONTHS.get(cadence)
    if every is None:
        return None
    return max(1, months // every)


def build(source) -> Section:
    params = source.params
    months = months_in(params.date_from, params.date_to)
    rows = [
        BodyRow(
            status,
            source.meetings_held.get(status.body.pk, 0),
            required_meetings(status.body.cadence, months),
        )
        for status in source.body_statuses
    ]
    decided = [d for d in source.follow_ups if params.date_from <= d.meeting.date <= params.date_to]
    counts = Counter(d.status for d in source.follow_ups)
    data = {
        "bodies": rows,
        "local_councils": [r for r in rows if r.body.kind in LOCAL_COUNCIL_KINDS],
        "coverage": source.coverage,
        "uncovered": [row for row in source.coverage if not row.covered],
        "threshold": LOCAL_COUNCIL_THRESHOLD,
        "decided_count": len(decided),
        "follow_up_counts": [
            {"label": status.label, "count": counts.get(status, 0)} for status in FollowUpStatus
        ],
        "follow_up_total": len(source.follow_ups),
    }
    return Section("gouvernance", "Gouvernance : instances, réunions et décisions", data)
