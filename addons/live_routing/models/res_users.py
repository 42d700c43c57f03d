from collections import defaultdict
from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL
from odoo.tools.misc import format_datetime

from ..tools.working_hours import Slot, is_working

AVAILABILITY = [("available", "Available"), ("busy", "Busy"), ("offline", "Offline")]
# conversation states that count against an agent's capacity (contract: "Capacity and queue")
CAPACITY_STATES = ("new", "open", "pending")


class ResUsers(models.Model):
    _inherit = "res.users"

    mychat_availability = fields.Selection(
        AVAILABILITY,
        string="MyChat availability",
        default="available",
        required=True,
        help="Only available agents receive new conversations (switch it from the systray).",
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + ["mychat_availability"]

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return super().SELF_WRITEABLE_FIELDS + ["mychat_availability"]

    def write(self, vals):
        changed = self.browse()
        if "mychat_availability" in vals and not self.env.context.get("mychat_no_availability_log"):
            changed = self.filtered(lambda u: u.mychat_availability != vals["mychat_availability"])
        res = super().write(vals)
        if changed:
            self.env["mychat.availability.log"]._mychat_record(changed, vals["mychat_availability"])
        if vals.get("mychat_availability") == "available":
            self.sudo().crm_team_ids._mychat_drain_queue()
        return res

    def mychat_set_availability(self, availability):
        """Called by the systray switch: set the agent's own status (managers may set anybody's)."""
        if any(user != self.env.user for user in self) and not self.env.user.has_group(
            "mychat_omnichannel.group_mychat_manager"
        ):
            raise AccessError(self.env._("You can only change your own availability."))
        if availability not in dict(AVAILABILITY):
            raise ValueError(availability)
        self.sudo().write({"mychat_availability": availability})
        return availability

    @api.model
    def mychat_get_availability(self):
        """Systray state: own status, open conversations and the size of the queues of my teams."""
        user = self.env.user
        queued = self.env["mychat.conversation"].search_count(
            [
                ("team_id", "in", user.crm_team_ids.ids),
                ("user_id", "=", False),
                ("mychat_queued_since", "!=", False),
            ]
        )
        team = user.crm_team_ids[:1]
        reason, count, capacity = user._mychat_availability(team=team)[user.id]
        return {
            "availability": user.mychat_availability,
            "open": count,
            "capacity": capacity,
            "queued": queued,
            "reason": reason or False,
            "reason_label": user._mychat_reason_label(reason, count, capacity, team),
        }

    def _mychat_reason_label(self, reason, count, capacity, team):
        """Why an agent who set themselves available receives no conversation, in plain words."""
        self.ensure_one()
        _ = self.env._
        if reason == "hours":
            opening = self._mychat_next_opening(team)
            return _("outside working hours until %s", opening) if opening else _("outside working hours")
        labels = {
            "leave": _("on leave"),
            "presence": _("not connected to Odoo"),
            "capacity": _("at capacity %(open)s/%(max)s", open=count, max=capacity),
            "inactive": _("not a routing agent"),
        }
        return labels.get(reason, False)

    def _mychat_calendar(self, team=None):
        """The working calendar routing applies to this agent: the team membership's, the employee's,
        else the company's (same order as ``_mychat_availability``)."""
        self.ensure_one()
        member = self.env["crm.team.member"].sudo().search(
            [("user_id", "=", self.id), ("crm_team_id", "in", team.ids if team else [])], limit=1
        ) or self.env["crm.team.member"].sudo().search([("user_id", "=", self.id)], limit=1)
        resource = self.env["resource.resource"].sudo().search([("user_id", "=", self.id)], limit=1)
        calendar = member.mychat_calendar_id or resource.calendar_id or self.company_id.resource_calendar_id
        return calendar, (resource.tz or self.tz or calendar.tz or "UTC")

    def _mychat_next_opening(self, team=None, now=None):
        """The next start of the agent's working hours, formatted in their time zone and language
        (e.g. "Sun 09:00"); False when none within two weeks."""
        self.ensure_one()
        calendar, tz_name = self._mychat_calendar(team)
        if not calendar or calendar.flexible_hours:
            return False
        start = pytz.utc.localize(now or fields.Datetime.now())
        intervals = calendar.sudo()._work_intervals_batch(
            start, start + timedelta(days=14), tz=pytz.timezone(tz_name)
        )[False]
        opening = next((begin for begin, _end, _rec in intervals if begin > start), None)
        if not opening:
            return False
        return format_datetime(
            self.env, opening.astimezone(pytz.utc).replace(tzinfo=None), tz=tz_name, dt_format="EEE HH:mm"
        )

    def _mychat_open_counts(self):
        """{user id: conversations counting against capacity}, one grouped query."""
        groups = (
            self.env["mychat.conversation"]
            .sudo()
            ._read_group(
                [("user_id", "in", self.ids), ("state", "in", CAPACITY_STATES)], ["user_id"], ["__count"]
            )
        )
        return {user.id: count for user, count in groups}

    def _mychat_speaks(self, lang):
        """True when the agent's language or one of their live chat languages matches ``lang``
        (compared on the language part: ``he`` matches ``he_IL``)."""
        self.ensure_one()
        wanted = lang.replace("-", "_").split("_")[0].lower()
        codes = [self.lang or "", *self.livechat_lang_ids.mapped("code")]
        return any(code.split("_")[0].lower() == wanted for code in codes)

    def _mychat_availability(self, team=None, now=None):
        """Why each agent in ``self`` cannot take a conversation now.

        Returns ``{user id: (reason or False, open count, capacity)}``; reasons are ``inactive``,
        ``offline``, ``busy``, ``leave``, ``hours``, ``presence`` and ``capacity``. The facts of every
        agent come from one statement on indexed columns (membership, resource, calendar, open count,
        time off, presence); the working hours are then checked once per calendar and time zone.
        """
        now = now or fields.Datetime.now()
        team = team.sudo() if team else self.env["crm.team"]
        rows = self._mychat_availability_rows(team, now)
        check_hours = not team or team.mychat_use_working_hours
        fixed = {row["calendar_id"] for row in rows if row["calendar_id"] and not row["flexible"]}
        slots = self._mychat_slots(self.env["resource.calendar"].browse(fixed)) if check_hours else {}
        in_hours = {}  # (calendar id, time zone) -> inside its working hours now
        result = {}
        for row in rows:
            count, capacity = row["open_count"], row["capacity"] or 0
            calendar_id = row["calendar_id"]
            if not row["active"] or row["share"]:
                reason = "inactive"
            elif row["availability"] != "available":
                reason = row["availability"]
            elif row["on_leave"]:
                reason = "leave"
            elif check_hours and calendar_id in fixed:
                key = (calendar_id, row["resource_tz"] or row["user_tz"] or row["calendar_tz"] or "UTC")
                if key not in in_hours:
                    local = pytz.utc.localize(now).astimezone(pytz.timezone(key[1])).replace(tzinfo=None)
                    in_hours[key] = is_working(slots.get(calendar_id, []), local)
                reason = False if in_hours[key] else "hours"
            else:
                reason = False
            if not reason and team.mychat_require_online and not row["online"]:
                reason = "presence"
            elif not reason and capacity and count >= capacity:
                reason = "capacity"
            result[row["id"]] = (reason, count, capacity)
        return result

    def _mychat_availability_rows(self, team, now):
        """One row of routing facts per user of ``self``, as dicts: the membership giving capacity and
        calendar (``team``'s first, else the first one), the resource, the calendar that applies (the
        membership's, the resource's, else the company's) with its time zone and flexibility, the
        conversations counting against capacity, whether a time off (the resource's, or a public
        holiday of the calendar) covers ``now``, and whether the user is online in Odoo."""
        for model, names in (
            ("res.users", ["active", "share", "mychat_availability", "company_id", "partner_id"]),
            ("res.partner", ["tz"]),
            ("res.company", ["resource_calendar_id"]),
            (
                "crm.team.member",
                ["user_id", "crm_team_id", "active", "mychat_max_open", "mychat_calendar_id"],
            ),
            ("resource.resource", ["user_id", "active", "name", "calendar_id", "tz"]),
            ("resource.calendar", ["tz", "flexible_hours", "company_id"]),
            ("resource.calendar.leaves", ["time_type", "date_from", "date_to", "resource_id", "calendar_id"]),
            ("mychat.conversation", ["user_id", "state"]),
            ("mail.presence", ["user_id", "status"]),
        ):
            self.env[model].flush_model(names)
        self.env.cr.execute(
            SQL(
                """
            SELECT u.id, u.active, u.share, u.mychat_availability AS availability, p.tz AS user_tz,
                   m.mychat_max_open AS capacity, r.tz AS resource_tz, cal.id AS calendar_id,
                   cal.tz AS calendar_tz, COALESCE(cal.flexible_hours, FALSE) AS flexible,
                   COALESCE(oc.open_count, 0) AS open_count,
                   EXISTS(SELECT 1 FROM resource_calendar_leaves l
                           WHERE l.time_type = 'leave' AND l.date_from <= %(now)s AND l.date_to > %(now)s
                             AND (l.resource_id = r.id
                                  OR (l.resource_id IS NULL AND cal.id IS NOT NULL
                                      AND (l.calendar_id IS NULL OR l.calendar_id = cal.id)
                                      AND (l.company_id IS NULL OR cal.company_id IS NULL
                                           OR l.company_id = cal.company_id)))) AS on_leave,
                   EXISTS(SELECT 1 FROM mail_presence mp
                           WHERE mp.user_id = u.id AND mp.status = 'online') AS online
              FROM res_users u
              JOIN res_partner p ON p.id = u.partner_id
              LEFT JOIN res_company co ON co.id = u.company_id
              LEFT JOIN (
                    SELECT DISTINCT ON (tm.user_id) tm.user_id, tm.mychat_max_open, tm.mychat_calendar_id
                      FROM crm_team_member tm
                     WHERE tm.user_id IN %(ids)s AND tm.active
                     ORDER BY tm.user_id, COALESCE(tm.crm_team_id = %(team)s, FALSE) DESC,
                              tm.create_date, tm.id) m ON m.user_id = u.id
              LEFT JOIN (
                    SELECT c.user_id, COUNT(*) AS open_count FROM mychat_conversation c
                     WHERE c.user_id IN %(ids)s AND c.state IN %(states)s
                     GROUP BY c.user_id) oc ON oc.user_id = u.id
              LEFT JOIN LATERAL (
                    SELECT rr.id, rr.calendar_id, rr.tz FROM resource_resource rr
                     WHERE rr.user_id = u.id AND rr.active
                     ORDER BY rr.name, rr.id
                     LIMIT 1) r ON TRUE
              LEFT JOIN resource_calendar cal
                     ON cal.id = COALESCE(m.mychat_calendar_id, r.calendar_id, co.resource_calendar_id)
             WHERE u.id IN %(ids)s
                """,
                states=CAPACITY_STATES,
                now=now,
                team=team.id or None,
                ids=tuple(self.ids) or (None,),
            )
        )
        return self.env.cr.dictfetchall()

    @api.model
    def _mychat_slots(self, calendars):
        """{calendar id: [Slot]} for fixed-hours calendars (flexible ones are always 'in hours')."""
        calendars = self.env["resource.calendar"].union(*[c for c in calendars if c])
        slots = defaultdict(list)
        for att in calendars.attendance_ids:
            if att.display_type or att.day_period == "lunch":
                continue
            week = int(att.week_type) if att.calendar_id.two_weeks_calendar and att.week_type else None
            slots[att.calendar_id.id].append(Slot(int(att.dayofweek), att.hour_from, att.hour_to, week))
        return slots
