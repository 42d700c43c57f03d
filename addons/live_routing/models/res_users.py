from collections import defaultdict
from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError
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
        res = super().write(vals)
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
        ``offline``, ``busy``, ``leave``, ``hours``, ``presence`` and ``capacity``. A fixed number of
        queries whatever the number of agents (grouped counts, one search per related model).
        """
        now = now or fields.Datetime.now()
        users = self.sudo()
        users.fetch(["active", "share", "mychat_availability", "tz", "company_id"])  # only what is needed
        team = team.sudo() if team else self.env["crm.team"]
        memberships = {}  # user id -> the membership giving capacity and calendar (``team``'s first)
        member_fields = ["user_id", "crm_team_id", "mychat_max_open", "mychat_calendar_id"]
        for member in (
            self.env["crm.team.member"].sudo().search_fetch([("user_id", "in", users.ids)], member_fields)
        ):
            uid = member.user_id.id
            if uid not in memberships or member.crm_team_id.id == team.id:
                memberships[uid] = member
        resources = {}
        Resource = self.env["resource.resource"].sudo()
        for resource in Resource.search_fetch(
            [("user_id", "in", users.ids)], ["user_id", "calendar_id", "tz"]
        ):
            resources.setdefault(resource.user_id.id, resource)
        counts = users._mychat_open_counts()

        calendars = {}
        for user in users:
            member = memberships.get(user.id)
            calendars[user.id] = (
                (member and member.mychat_calendar_id)
                or (resources.get(user.id) and resources[user.id].calendar_id)
                or user.company_id.resource_calendar_id
            )
        on_leave = self._mychat_on_leave(now, resources, calendars)
        check_hours = not team or team.mychat_use_working_hours
        online = set()
        if team.mychat_require_online:
            presences = (
                self.env["mail.presence"]
                .sudo()
                .search([("user_id", "in", users.ids), ("status", "=", "online")])
            )
            online = set(presences.user_id.ids)
        slots = self._mychat_slots(calendars.values()) if check_hours else {}

        result = {}
        for user in users:
            member = memberships.get(user.id)
            capacity = member.mychat_max_open if member else 0
            count = counts.get(user.id, 0)
            calendar = calendars[user.id]
            if not user.active or user.share:
                reason = "inactive"
            elif user.mychat_availability != "available":
                reason = user.mychat_availability
            elif user.id in on_leave:
                reason = "leave"
            elif (
                check_hours and calendar and not self._mychat_in_hours(calendar, slots, user, resources, now)
            ):
                reason = "hours"
            elif team.mychat_require_online and user.id not in online:
                reason = "presence"
            elif capacity and count >= capacity:
                reason = "capacity"
            else:
                reason = False
            result[user.id] = (reason, count, capacity)
        return result

    def _mychat_on_leave(self, now, resources, calendars):
        """Users with a time off (their resource's leave, or a public holiday of their calendar) now."""
        calendar_ids = list({c.id for c in calendars.values() if c})
        leaves = (
            self.env["resource.calendar.leaves"]
            .sudo()
            .search(
                [
                    ("time_type", "=", "leave"),
                    ("date_from", "<=", now),
                    ("date_to", ">", now),
                    "|",
                    ("resource_id", "in", [r.id for r in resources.values()]),
                    "&",
                    ("resource_id", "=", False),
                    ("calendar_id", "in", [False, *calendar_ids]),
                ]
            )
        )
        user_by_resource = {r.id: uid for uid, r in resources.items()}
        out = set()
        for leave in leaves:
            if leave.resource_id:
                out.add(user_by_resource.get(leave.resource_id.id))
                continue
            out.update(
                uid
                for uid, cal in calendars.items()
                if cal
                and (not leave.calendar_id or leave.calendar_id == cal)
                and (not leave.company_id or leave.company_id == cal.company_id or not cal.company_id)
            )
        return out

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

    @api.model
    def _mychat_in_hours(self, calendar, slots, user, resources, now):
        if calendar.flexible_hours:
            return True
        resource = resources.get(user.id)
        tz_name = (resource and resource.tz) or user.tz or calendar.tz or "UTC"
        local = pytz.utc.localize(now).astimezone(pytz.timezone(tz_name)).replace(tzinfo=None)
        return is_working(slots.get(calendar.id, []), local)
