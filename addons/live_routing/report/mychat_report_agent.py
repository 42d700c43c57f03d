from odoo import fields, models
from odoo.tools import SQL


class MychatReportAgent(models.Model):
    """Per agent: the conversations they hold (with their stored measures), the transfers away from them
    (routing log) and their busy / available time (availability log), in one view to pivot by agent."""

    _name = "mychat.report.agent"
    _inherit = "mychat.report.median"
    _description = "MyChat Agents Analysis"
    _order = "date desc, id desc"
    _auto = False
    _rec_name = "user_id"
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
        "mychat.assignment.log": [
            "previous_user_id",
            "user_id",
            "team_id",
            "company_id",
            "outcome",
            "create_date",
        ],
        "mychat.availability.log": ["user_id", "availability", "date_from", "date_to"],
    }

    user_id = fields.Many2one("res.users", string="Agent", readonly=True)
    date = fields.Datetime(readonly=True)
    line_kind = fields.Selection(
        [("conversation", "Conversation"), ("transfer", "Transfer out"), ("availability", "Availability")],
        string="Line",
        readonly=True,
    )
    team_id = fields.Many2one("crm.team", string="Team", readonly=True)
    channel_id = fields.Many2one("mychat.channel", string="Channel", readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    conversation_id = fields.Many2one("mychat.conversation", string="Conversation", readonly=True)
    conversation_count = fields.Integer(string="Conversations handled", readonly=True, aggregator="sum")
    open_count = fields.Integer(string="Open now", readonly=True, aggregator="sum")
    first_response_minutes = fields.Float(
        string="First response (min)", digits=(16, 2), readonly=True, aggregator="avg"
    )
    first_response_median_minutes = fields.Float(
        string="Median first response (min)", digits=(16, 2), readonly=True, aggregator="median"
    )
    resolution_hours = fields.Float(
        string="Resolution time (h)", digits=(16, 2), readonly=True, aggregator="avg"
    )
    resolution_median_hours = fields.Float(
        string="Median resolution time (h)", digits=(16, 2), readonly=True, aggregator="median"
    )
    transfer_out_count = fields.Integer(string="Transfers out", readonly=True, aggregator="sum")
    available_hours = fields.Float(string="Available (h)", digits=(16, 2), readonly=True, aggregator="sum")
    busy_hours = fields.Float(string="Busy (h)", digits=(16, 2), readonly=True, aggregator="sum")
    offline_hours = fields.Float(string="Offline (h)", digits=(16, 2), readonly=True, aggregator="sum")

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT C.id * 3 AS id, C.user_id, COALESCE(C.first_inbound_date, C.create_date) AS date,
                   'conversation' AS line_kind, C.team_id, C.channel_id, C.company_id,
                   C.id AS conversation_id,
                   1 AS conversation_count,
                   CASE WHEN C.state IN ('new', 'open', 'pending') THEN 1 ELSE 0 END AS open_count,
                   CASE WHEN C.first_response_date IS NOT NULL THEN C.first_response_seconds / 60.0 END
                       AS first_response_minutes,
                   CASE WHEN C.first_response_date IS NOT NULL THEN C.first_response_seconds / 60.0 END
                       AS first_response_median_minutes,
                   CASE WHEN C.state = 'resolved' AND C.first_inbound_date IS NOT NULL
                        THEN C.resolution_seconds / 3600.0 END AS resolution_hours,
                   CASE WHEN C.state = 'resolved' AND C.first_inbound_date IS NOT NULL
                        THEN C.resolution_seconds / 3600.0 END AS resolution_median_hours,
                   0 AS transfer_out_count, 0.0 AS available_hours, 0.0 AS busy_hours, 0.0 AS offline_hours
              FROM mychat_conversation C
             WHERE C.user_id IS NOT NULL
            UNION ALL
            SELECT L.id * 3 + 1, L.previous_user_id, L.create_date, 'transfer', L.team_id, V.channel_id,
                   L.company_id, L.conversation_id, 0, 0, NULL, NULL, NULL, NULL, 1, 0.0, 0.0, 0.0
              FROM mychat_assignment_log L
              JOIN mychat_conversation V ON V.id = L.conversation_id
             WHERE L.previous_user_id IS NOT NULL AND L.user_id IS NOT NULL
               AND L.user_id != L.previous_user_id AND L.outcome = 'assigned'
            UNION ALL
            SELECT A.id * 3 + 2, A.user_id, A.date_from, 'availability', NULL, NULL, U.company_id, NULL,
                   0, 0, NULL, NULL, NULL, NULL, 0,
                   CASE WHEN A.availability = 'available' THEN %(span)s ELSE 0.0 END,
                   CASE WHEN A.availability = 'busy' THEN %(span)s ELSE 0.0 END,
                   CASE WHEN A.availability = 'offline' THEN %(span)s ELSE 0.0 END
              FROM mychat_availability_log A
              JOIN res_users U ON U.id = A.user_id
            """,
            span=SQL(
                "EXTRACT(epoch FROM COALESCE(A.date_to, NOW() AT TIME ZONE 'utc') - A.date_from) / 3600.0"
            ),
        )
