"""Key figures: the plan's measures and actions, its indicators' positions, its bodies' meetings."""

from vigie.governance.enums import CLOSED_FOLLOW_UP_STATUSES
from vigie.indicators.enums import TrackStatus
from vigie.indicators.progress import BADGE, ActionCounts
from vigie.reviews.sections import Section


def build(source) -> Section:
    actions = ActionCounts()
    for counts in source.action_counts_by_measure.values():
        actions.merge(counts)
    tracks = {status: 0 for status in TrackStatus}
    for item in source.indicators:
        tracks[TrackStatus(item.track.status)] += 1
    statuses = source.body_statuses
    data = {
        "axis_count": len(source.progress),
        "measure_count": sum(len(axis.measures) for axis in source.progress),
        "actions": actions,
        "indicator_count": len(source.indicators),
        "tracks": [
            {"label": s.label, "count": n, "badge": BADGE[s], "status": s}
            for s, n in tracks.items()
        ],
        "meetings_held": sum(source.meetings_held.values()),
        "body_count": len(statuses),
        "bodies_attention": sum(1 for row in statuses if row.needs_attention),
        "open_follow_ups": sum(
            1 for d in source.follow_ups if d.status not in CLOSED_FOLLOW_UP_STATUSES
        ),
    }
    return Section("chiffres-cles", "Chiffres clés", data)
