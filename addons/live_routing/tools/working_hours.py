"""Pure working-time checks over plain attendance tuples (no ORM)."""

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Slot:
    dayofweek: int  # 0 = Monday
    hour_from: float
    hour_to: float
    week_type: int | None = None  # two-week calendars: 0 or 1


def week_type(day):
    """Same parity rule as resource.calendar.attendance.get_week_type."""
    return int(math.floor((day.toordinal() - 1) / 7) % 2)


def is_working(slots, local_dt):
    """True when the naive local datetime falls inside one of the slots."""
    hour = local_dt.hour + local_dt.minute / 60 + local_dt.second / 3600
    day, parity = local_dt.weekday(), week_type(local_dt.date())
    return any(
        s.dayofweek == day
        and s.hour_from <= hour < s.hour_to
        and (s.week_type is None or s.week_type == parity)
        for s in slots
    )
