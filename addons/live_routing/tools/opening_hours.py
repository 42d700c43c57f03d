"""Opening hours of a working calendar: open now, or the next opening (pure Python, no ORM)."""

from datetime import datetime, time, timedelta

from babel.dates import format_datetime

from .working_hours import is_working, week_type


def next_opening(slots, local_now, closed=(), horizon_days=21):
    """The first slot start after the naive local datetime ``local_now``, skipping starts that fall in
    one of the ``closed`` (start, end) local intervals (public holidays); None when there is none."""
    for offset in range(horizon_days + 1):
        day = local_now.date() + timedelta(days=offset)
        parity = week_type(day)
        starts = sorted(
            datetime.combine(day, time()) + timedelta(hours=s.hour_from)
            for s in slots
            if s.dayofweek == day.weekday() and (s.week_type is None or s.week_type == parity)
        )
        for start in starts:
            if start > local_now and not any(a <= start < b for a, b in closed):
                return start
    return None


def is_open(slots, local_now, closed=()):
    return is_working(slots, local_now) and not any(a <= local_now < b for a, b in closed)


def format_opening(local_dt, locale):
    """``Sunday 09:00`` in the visitor's language (babel locale, e.g. ``he_IL``)."""
    try:
        return format_datetime(local_dt, "EEEE HH:mm", locale=locale or "en_US")
    except (ValueError, TypeError, LookupError):
        return format_datetime(local_dt, "EEEE HH:mm", locale="en_US")
