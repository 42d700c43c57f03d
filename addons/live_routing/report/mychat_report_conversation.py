from odoo import fields, models
from odoo.tools import SQL

from ..models.mychat_conversation_measures import HANDLED_BY

DAYS = [
    ("0", "Sunday"),
    ("1", "Monday"),
    ("2", "Tuesday"),
    ("3", "Wednesday"),
    ("4", "Thursday"),
    ("5", "Friday"),
    ("6", "Saturday"),
]


class MychatReportConversation(models.Model):
    """One line per conversation with its stored measures (see mychat_conversation_measures.py), for
    the graph, pivot and list views and the spreadsheet dashboard."""

    _name = "mychat.report.conversation"
    _inherit = "mychat.report.median"
    _description = "MyChat Conversations Analysis"
    _order = "start_date desc, id desc"
    _auto = False
    _rec_name = "conversation_id"
    _depends = {  # noqa: RUF012
        "mychat.conversation": [
            "channel_id",
            "channel_type",
            "company_id",
            "team_id",
            "user_id",
            "partner_id",
            "contact_id",
            "state",
            "is_chatbot",
            "handled_by",
            "first_inbound_date",
            "resolved_date",
            "sla_breached",
            "first_response_date",
            "first_response_seconds",
            "first_response_working_seconds",
            "resolution_seconds",
            "resolution_working_seconds",
            "reassignment_count",
            "inbound_count",
            "outbound_count",
            "create_date",
        ],
        "mychat.contact": ["lang"],
        "res.partner": ["country_id", "lang"],
    }

    conversation_id = fields.Many2one("mychat.conversation", string="Conversation", readonly=True)
    channel_id = fields.Many2one("mychat.channel", string="Channel", readonly=True)
    channel_type = fields.Selection(
        lambda self: self.env["mychat.channel"]._fields["channel_type"].selection,
        string="Channel type",
        readonly=True,
    )
    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    team_id = fields.Many2one("crm.team", string="Team", readonly=True)
    user_id = fields.Many2one("res.users", string="Agent", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    country_id = fields.Many2one("res.country", string="Country", readonly=True)
    lang = fields.Char(string="Language", readonly=True)
    customer_kind = fields.Selection(
        [("new", "New customer"), ("known", "Known customer")],
        string="New or known",
        readonly=True,
        help="New: the sender's first conversation.",
    )
    is_chatbot = fields.Boolean(string="Bot conversation", readonly=True)
    bot_name = fields.Char(string="Bot", readonly=True)
    state = fields.Selection(
        lambda self: self.env["mychat.conversation"]._fields["state"].selection, readonly=True
    )
    handled_by = fields.Selection(HANDLED_BY, readonly=True)
    start_date = fields.Datetime(string="Started", readonly=True)
    start_hour = fields.Char(string="Hour of day", readonly=True)
    day_number = fields.Selection(DAYS, string="Day of the week", readonly=True)
    resolved_date = fields.Datetime(string="Resolved", readonly=True)
    sla_breached = fields.Boolean(string="Answered late", readonly=True)

    first_response_minutes = fields.Float(
        string="First response (min)", digits=(16, 2), readonly=True, aggregator="avg"
    )
    first_response_median_minutes = fields.Float(
        string="Median first response (min)", digits=(16, 2), readonly=True, aggregator="median"
    )
    first_response_working_minutes = fields.Float(
        string="First response, working hours (min)", digits=(16, 2), readonly=True, aggregator="avg"
    )
    resolution_hours = fields.Float(
        string="Resolution time (h)", digits=(16, 2), readonly=True, aggregator="avg"
    )
    resolution_median_hours = fields.Float(
        string="Median resolution time (h)", digits=(16, 2), readonly=True, aggregator="median"
    )
    resolution_working_hours = fields.Float(
        string="Resolution time, working hours (h)", digits=(16, 2), readonly=True, aggregator="avg"
    )
    answered_in_sla = fields.Float(
        string="Answered within SLA (%)",
        digits=(16, 1),
        readonly=True,
        aggregator="avg",
        help="Share of answered conversations whose first answer met the team's SLA.",
    )
    bot_contained = fields.Float(
        string="Bot containment (%)",
        digits=(16, 1),
        readonly=True,
        aggregator="avg",
        help="Share of bot conversations resolved without a human.",
    )
    handoff_count = fields.Integer(
        string="Hand-offs", readonly=True, aggregator="sum", help="Bot conversations handed to a human."
    )
    reassignment_count = fields.Integer(string="Reassignments", readonly=True, aggregator="sum")
    message_count = fields.Float(
        string="Messages per conversation", digits=(16, 1), readonly=True, aggregator="avg"
    )
    inbound_count = fields.Integer(string="Customer messages", readonly=True, aggregator="sum")
    outbound_count = fields.Integer(string="Our messages", readonly=True, aggregator="sum")
    rating = fields.Float(string="Rating", digits=(16, 2), readonly=True, aggregator="avg")

    @property
    def _table_query(self):
        return SQL("%s %s", self._select(), self._from())

    def _bot_name_sql(self):
        if "bot_name" in self.env["mychat.conversation"]._fields:
            return SQL("C.bot_name")
        return SQL("NULL::varchar")

    def _rating_sql(self):
        if "rating_last_value" in self.env["mychat.conversation"]._fields:
            return SQL("NULLIF(C.rating_last_value, 0)")
        return SQL("NULL::float")

    def _select(self):
        return SQL(
            """
            SELECT
                C.id AS id,
                C.id AS conversation_id,
                C.channel_id,
                C.channel_type,
                C.company_id,
                C.team_id,
                C.user_id,
                C.partner_id,
                P.country_id,
                COALESCE(K.lang, P.lang) AS lang,
                CASE WHEN EXISTS (
                    SELECT 1 FROM mychat_conversation E
                     WHERE E.id < C.id
                       AND (E.contact_id = C.contact_id
                            OR (C.partner_id IS NOT NULL AND E.partner_id = C.partner_id))
                ) THEN 'known' ELSE 'new' END AS customer_kind,
                COALESCE(C.is_chatbot, FALSE) OR C.handled_by IN ('bot', 'bot_and_human') AS is_chatbot,
                %(bot_name)s AS bot_name,
                C.state,
                C.handled_by,
                COALESCE(C.first_inbound_date, C.create_date) AS start_date,
                to_char(COALESCE(C.first_inbound_date, C.create_date), 'HH24') AS start_hour,
                EXTRACT(dow FROM COALESCE(C.first_inbound_date, C.create_date))::int::text AS day_number,
                C.resolved_date,
                COALESCE(C.sla_breached, FALSE) AS sla_breached,
                CASE WHEN C.first_response_date IS NOT NULL THEN C.first_response_seconds / 60.0 END
                    AS first_response_minutes,
                CASE WHEN C.first_response_date IS NOT NULL THEN C.first_response_seconds / 60.0 END
                    AS first_response_median_minutes,
                CASE WHEN C.first_response_date IS NOT NULL THEN C.first_response_working_seconds / 60.0 END
                    AS first_response_working_minutes,
                CASE WHEN C.state = 'resolved' AND C.first_inbound_date IS NOT NULL
                     THEN C.resolution_seconds / 3600.0 END AS resolution_hours,
                CASE WHEN C.state = 'resolved' AND C.first_inbound_date IS NOT NULL
                     THEN C.resolution_seconds / 3600.0 END AS resolution_median_hours,
                CASE WHEN C.state = 'resolved' AND C.first_inbound_date IS NOT NULL
                     THEN C.resolution_working_seconds / 3600.0 END AS resolution_working_hours,
                CASE WHEN C.first_response_date IS NULL THEN NULL
                     WHEN C.sla_breached THEN 0.0 ELSE 100.0 END AS answered_in_sla,
                CASE WHEN NOT (COALESCE(C.is_chatbot, FALSE) OR C.handled_by IN ('bot', 'bot_and_human'))
                     THEN NULL
                     WHEN C.state = 'resolved' AND C.handled_by = 'bot' THEN 100.0
                     ELSE 0.0 END AS bot_contained,
                CASE WHEN C.handled_by = 'bot_and_human' THEN 1 ELSE 0 END AS handoff_count,
                COALESCE(C.reassignment_count, 0) AS reassignment_count,
                COALESCE(C.inbound_count, 0) + COALESCE(C.outbound_count, 0) AS message_count,
                COALESCE(C.inbound_count, 0) AS inbound_count,
                COALESCE(C.outbound_count, 0) AS outbound_count,
                %(rating)s AS rating
            """,
            bot_name=self._bot_name_sql(),
            rating=self._rating_sql(),
        )

    def _from(self):
        return SQL(
            """
            FROM mychat_conversation C
            JOIN mychat_contact K ON K.id = C.contact_id
            LEFT JOIN res_partner P ON P.id = C.partner_id
            """
        )
