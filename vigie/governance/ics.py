"""The iCalendar feed of a department's meetings (RFC 5545), and personal subscription keys.

Calendar applications cannot log in, so each member gets a personal signed address; the key names the user
and the department, and the feed checks at each request that the account is still active and still works in
that department.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.utils import timezone
from icalendar import Calendar, Event

SIGNING_SALT = "vigie.governance.calendar"
DEFAULT_DURATION = timedelta(hours=2)


def subscription_key(user, department) -> str:
    return signing.dumps({"u": user.pk, "d": department.code}, salt=SIGNING_SALT, compress=True)


def read_subscription_key(key: str, department) -> int | None:
    """The user id the key was issued to, or None when it is invalid or for another department."""
    try:
        payload = signing.loads(key, salt=SIGNING_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("d") != department.code:
        return None
    user_id = payload.get("u")
    return user_id if isinstance(user_id, int) else None


def build_calendar(department, meetings, *, base_url: str) -> bytes:
    tz = ZoneInfo(settings.TIME_ZONE)
    cal = Calendar()
    cal.add("prodid", "-//Vigie//Instances de prévention de la délinquance//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"Instances — {department.name}")
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now()
    for meeting in meetings:
        event = Event()
        event.add("uid", f"reunion-{meeting.pk}@vigie")
        event.add("dtstamp", stamp)
        if meeting.start_time:
            start = datetime.combine(meeting.date, meeting.start_time, tzinfo=tz)
            event.add("dtstart", start)
            event.add("dtend", start + DEFAULT_DURATION)
        else:
            event.add("dtstart", meeting.date)
            event.add("dtend", meeting.date + timedelta(days=1))
        summary = meeting.body.name + (f" — {meeting.title}" if meeting.title else "")
        event.add("summary", summary)
        if meeting.location:
            event.add("location", meeting.location)
        description = [f"Ordre du jour :\n{meeting.agenda}" if meeting.agenda else ""]
        if meeting.is_restricted:
            description.append("Réunion en formation restreinte.")
        event.add("description", "\n\n".join(filter(None, description)) or meeting.body.name)
        event.add("url", base_url + meeting.get_absolute_url())
        event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
        event.add("last-modified", meeting.updated_at)
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
