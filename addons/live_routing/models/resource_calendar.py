import pytz

from odoo import fields, models

from ..tools.opening_hours import format_opening, is_open, next_opening


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    def _mychat_opening(self, now=None, tz=None):
        """(open now, next opening as a naive UTC datetime or False) of this calendar; public holidays
        (time off of the whole calendar) count as closed. A flexible calendar is always open."""
        self.ensure_one()
        now = now or fields.Datetime.now()
        if self.flexible_hours:
            return True, False
        slots = self.env["res.users"]._mychat_slots(self).get(self.id, [])
        if not slots:
            return True, False
        zone = pytz.timezone(self.tz or tz or "UTC")
        local_now = pytz.utc.localize(now).astimezone(zone).replace(tzinfo=None)
        holidays = (
            self.env["resource.calendar.leaves"]
            .sudo()
            .search(
                [
                    ("resource_id", "=", False),
                    ("calendar_id", "in", [False, self.id]),
                    ("time_type", "=", "leave"),
                    ("date_to", ">", now),
                    ("company_id", "in", [False, self.company_id.id]),
                ]
            )
        )

        def local(dt):
            return pytz.utc.localize(dt).astimezone(zone).replace(tzinfo=None)

        closed = [(local(h.date_from), local(h.date_to)) for h in holidays]
        if is_open(slots, local_now, closed):
            return True, False
        start = next_opening(slots, local_now, closed)
        if not start:
            return False, False
        return False, zone.localize(start).astimezone(pytz.utc).replace(tzinfo=None)

    def _mychat_format_opening(self, when_utc, tz=None, lang=None):
        """``when_utc`` (naive UTC) as ``Sunday 09:00`` in the time zone ``tz`` (else the calendar's) and
        language ``lang``."""
        zone = pytz.timezone(tz or self.tz or "UTC")
        local = pytz.utc.localize(when_utc).astimezone(zone).replace(tzinfo=None)
        return format_opening(local, (lang or "en_US").replace("-", "_"))
