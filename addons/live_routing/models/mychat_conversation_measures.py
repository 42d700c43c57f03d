"""Measures stored on each conversation when they happen (contract "Additions > Measures").

Durations run from the first inbound message's ``date`` (the provider's timestamp) to the first agent or
bot message, and to resolution; their working-hours variants count only the open time of the team's
calendar (``crm.team.mychat_calendar_id``), else of the company's (``resource_calendar_id``).
"""

from pytz import utc

from odoo import api, fields, models

HANDLED_BY = [("bot", "Bot"), ("human", "Human"), ("bot_and_human", "Bot and human")]
RESPONDERS = ("agent", "bot")
MEASURE_FIELDS = (
    "first_inbound_date",
    "first_response_date",
    "first_response_seconds",
    "first_response_working_seconds",
    "resolution_seconds",
    "resolution_working_seconds",
    "handled_by",
    "reassignment_count",
    "inbound_count",
    "outbound_count",
    "sla_breached",
)


def _handled_by(bot, human):
    if bot and human:
        return "bot_and_human"
    return "bot" if bot else ("human" if human else False)


class MychatConversation(models.Model):
    _inherit = "mychat.conversation"

    first_inbound_date = fields.Datetime(
        string="First customer message",
        readonly=True,
        help="Provider timestamp of the first inbound message.",
    )
    first_response_date = fields.Datetime(
        string="First response", readonly=True, help="Date of the first agent or bot message."
    )
    first_response_seconds = fields.Integer(
        string="First response (s)",
        readonly=True,
        aggregator="avg",
        help="Seconds from the first customer message to the first agent or bot message.",
    )
    first_response_working_seconds = fields.Integer(
        string="First response, working hours (s)",
        readonly=True,
        aggregator="avg",
        help="The same wait, counting only the open hours of the team's calendar (else the company's).",
    )
    resolution_seconds = fields.Integer(
        string="Resolution time (s)",
        readonly=True,
        aggregator="avg",
        help="Seconds from the first customer message to resolution.",
    )
    resolution_working_seconds = fields.Integer(
        string="Resolution time, working hours (s)", readonly=True, aggregator="avg"
    )
    handled_by = fields.Selection(
        HANDLED_BY, readonly=True, help="Who answered: a bot, a human, or a bot then a human (hand-off)."
    )
    reassignment_count = fields.Integer(
        string="Reassignments",
        readonly=True,
        help="Changes from one agent to another (the first assignment is none).",
    )
    inbound_count = fields.Integer(string="Customer messages", readonly=True)
    outbound_count = fields.Integer(string="Our messages", readonly=True)
    sla_breached = fields.Boolean(
        string="Answered late",
        readonly=True,
        help="The first answer came after the team's SLA (or the SLA passed without an answer).",
    )

    # ------------------------------------------------------------------
    # Live updates
    # ------------------------------------------------------------------

    def _mychat_register(self, message):
        res = super()._mychat_register(message)
        self._mychat_measure_message(message)
        return res

    def _mychat_measure_message(self, message):
        self.ensure_one()
        vals = {}
        if message.direction == "inbound":
            vals["inbound_count"] = self.inbound_count + 1
            if not self.first_inbound_date or message.date < self.first_inbound_date:
                vals["first_inbound_date"] = message.date
        else:
            vals["outbound_count"] = self.outbound_count + 1
            if message.author_kind in RESPONDERS:
                bot, human = self._mychat_handled_parts()
                handled = _handled_by(
                    bot or message.author_kind == "bot", human or message.author_kind == "agent"
                )
                if handled != self.handled_by:
                    vals["handled_by"] = handled
                if not self.first_response_date and self.first_inbound_date:
                    vals.update(self._mychat_first_response_vals(message.date))
        if vals:
            self._mychat_write_measures(vals)

    def _mychat_handled_parts(self):
        """(bot part, human part) known so far."""
        handled = self.handled_by or ""
        return "bot" in handled, handled in ("human", "bot_and_human")

    def _mychat_first_response_vals(self, date):
        start = self.first_inbound_date
        date = max(date, start)
        seconds = int((date - start).total_seconds())
        vals = {
            "first_response_date": date,
            "first_response_seconds": seconds,
            "first_response_working_seconds": self._mychat_working_seconds(start, date),
        }
        sla = self.team_id.mychat_sla_minutes
        if sla and seconds > sla * 60:
            vals["sla_breached"] = True
        return vals

    def _mychat_calendar(self):
        self.ensure_one()
        return self.team_id.mychat_calendar_id or (self.company_id or self.env.company).resource_calendar_id

    def _mychat_working_seconds(self, start, end):
        """Open seconds of the conversation's calendar between two naive UTC datetimes (public
        holidays of the calendar excluded); wall-clock seconds when there is no calendar."""
        if not start or not end or end <= start:
            return 0
        calendar = self._mychat_calendar().sudo()
        if not calendar:
            return int((end - start).total_seconds())
        intervals = calendar._work_intervals_batch(
            utc.localize(start), utc.localize(end), compute_leaves=True
        )[False]
        return int(sum((stop - begin).total_seconds() for begin, stop, _meta in intervals))

    def _mychat_write_measures(self, vals):
        self.with_context(mychat_measures=True).sudo().write(vals)

    def write(self, vals):
        if self.env.context.get("mychat_measures"):
            return super().write(vals)
        reassigned = self.browse()
        if vals.get("user_id"):
            reassigned = self.filtered(lambda c: c.user_id and c.user_id.id != vals["user_id"])
        resolving = (
            self.filtered(lambda c: c.state != "resolved")
            if vals.get("state") == "resolved"
            else self.browse()
        )
        reopened = "resolved_date" in vals and not vals["resolved_date"]
        res = super().write(vals)
        for conv in reassigned:
            conv._mychat_write_measures({"reassignment_count": conv.reassignment_count + 1})
        if vals.get("mychat_sla_breached"):
            self.filtered(lambda c: not c.sla_breached)._mychat_write_measures({"sla_breached": True})
        for conv in resolving:
            conv._mychat_write_measures(conv._mychat_resolution_vals())
        if reopened:
            self._mychat_write_measures({"resolution_seconds": 0, "resolution_working_seconds": 0})
        return res

    def _mychat_resolution_vals(self):
        self.ensure_one()
        end = self.resolved_date or fields.Datetime.now()
        start = self.first_inbound_date
        vals = {}
        if start:
            vals["resolution_seconds"] = int((max(end, start) - start).total_seconds())
            vals["resolution_working_seconds"] = self._mychat_working_seconds(start, end)
        bot, human = self._mychat_handled_parts()
        if not bot and not human:
            bot, human = bool(self.is_chatbot), not self.is_chatbot
        vals["handled_by"] = _handled_by(bot, human)
        sla = self.team_id.mychat_sla_minutes
        if sla and start and not self.first_response_date and (end - start).total_seconds() > sla * 60:
            vals["sla_breached"] = True
        return vals

    # ------------------------------------------------------------------
    # Backfill (install, upgrade)
    # ------------------------------------------------------------------

    @api.model
    def _mychat_backfill_measures(self, conversations=None):
        """Compute every measure from the stored messages and routing log (existing conversations on
        install or upgrade). Idempotent."""
        convs = (
            conversations
            if conversations is not None
            else self.sudo().with_context(active_test=False).search([])
        )
        Message = self.env["mychat.message"].sudo()
        Log = self.env["mychat.assignment.log"].sudo()
        for conv in convs.sudo():
            messages = Message.search([("conversation_id", "=", conv.id)], order="date, id")
            inbound = messages.filtered(lambda m: m.direction == "inbound")
            outbound = messages - inbound
            responders = outbound.filtered(lambda m: m.author_kind in RESPONDERS)
            vals = dict.fromkeys(MEASURE_FIELDS, False)
            vals.update(
                inbound_count=len(inbound),
                outbound_count=len(outbound),
                first_inbound_date=inbound[:1].date or False,
                handled_by=_handled_by(
                    any(m.author_kind == "bot" for m in responders),
                    any(m.author_kind == "agent" for m in responders),
                ),
                reassignment_count=Log.search_count(
                    [
                        ("conversation_id", "=", conv.id),
                        ("previous_user_id", "!=", False),
                        ("user_id", "!=", False),
                        ("outcome", "=", "assigned"),
                    ]
                ),
            )
            conv._mychat_write_measures(vals)
            after = responders.filtered(lambda m, c=conv: m.date >= c.first_inbound_date) if inbound else []
            if after:
                conv._mychat_write_measures(conv._mychat_first_response_vals(after[0].date))
            if conv.state == "resolved":
                conv._mychat_write_measures(conv._mychat_resolution_vals())
        return True
