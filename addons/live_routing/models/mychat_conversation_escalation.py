from datetime import timedelta

from odoo import api, fields, models

from .res_users import CAPACITY_STATES


class MychatConversation(models.Model):
    """Routing work done by the cron: conversations left behind, queues, tier escalation, SLA."""

    _inherit = "mychat.conversation"

    # ------------------------------------------------------------------
    # Cron: routing left behind, queues, tier escalation, SLA
    # ------------------------------------------------------------------

    @api.model
    def _cron_mychat_routing(self):
        now = fields.Datetime.now()
        Conv = self.sudo()
        Conv.search(
            [
                ("mychat_routing_pending", "=", True),
                ("is_chatbot", "=", False),
                ("mychat_held", "=", False),
                ("user_id", "=", False),
                ("state", "in", CAPACITY_STATES),
                ("create_date", "<=", now - timedelta(minutes=1)),
            ],
            order="id",
            limit=200,
        )._mychat_route()
        queued_teams = Conv._read_group(
            [("user_id", "=", False), ("mychat_queued_since", "!=", False), ("state", "in", CAPACITY_STATES)],
            ["team_id"],
        )
        self.env["crm.team"].union(*(team for [team] in queued_teams))._mychat_drain_queue()
        self._mychat_escalate_tiers(now)
        self._mychat_check_sla(now)

    @api.model
    def _mychat_escalate_tiers(self, now):
        """Tiered teams: a conversation unanswered for the team's delay goes to the next tier."""
        for team in self.env["crm.team"].sudo().search([("mychat_escalation_minutes", ">", 0)]):
            limit = now - timedelta(minutes=team.mychat_escalation_minutes)
            convs = self.sudo().search(
                [
                    ("team_id", "=", team.id),
                    ("mychat_strategy", "=", "tiered"),
                    ("user_id", "!=", False),
                    ("awaiting_reply", "=", True),
                    ("state", "in", CAPACITY_STATES),
                    ("awaiting_reply_since", "<=", limit),
                    ("mychat_assigned_at", "<=", limit),
                    "|",
                    ("mychat_escalated_at", "=", False),
                    ("mychat_escalated_at", "<=", limit),
                ],
                order="awaiting_reply_since, id",
            )
            for conv in convs:
                decision = conv._mychat_route_one(
                    kind="escalation",
                    team=team,
                    exclude=tuple(conv.user_id.ids),
                    after_tier=conv.mychat_tier,
                    strategy="tiered",
                )
                if not decision["user"]:
                    conv.with_context(mychat_routing=True).mychat_escalated_at = now

    @api.model
    def _mychat_check_sla(self, now):
        """Conversations awaiting an answer past their team's SLA: highlight, count, escalate."""
        breached = self.sudo().search(
            [
                ("mychat_sla_deadline", "<=", now),
                ("awaiting_reply", "=", True),
                ("mychat_sla_breached", "=", False),
                ("state", "in", CAPACITY_STATES),
            ],
            order="mychat_sla_deadline, id",
        )
        for conv in breached:
            conv.with_context(mychat_routing=True).write(
                {"mychat_sla_breached": True, "mychat_sla_breach_count": conv.mychat_sla_breach_count + 1}
            )
            team = conv.team_id
            if team.mychat_sla_action == "reassign" and conv.user_id:
                conv._mychat_route_one(kind="sla", team=team, exclude=tuple(conv.user_id.ids))
            else:
                conv._mychat_alert_supervisor()

    def _mychat_alert_supervisor(self):
        self.ensure_one()
        team = self.team_id
        supervisor = team.user_id or team.member_ids[:1]
        why = self.env._(
            "SLA of %(minutes)s min breached (awaiting since %(since)s): team leader notified.",
            minutes=team.mychat_sla_minutes,
            since=self.awaiting_reply_since,
        )
        self._mychat_log("sla", supervisor, why, context={"team": team}, outcome="notified")
        payload = {"kind": "sla", "conversation_id": self.id, "name": self.display_name, "preview": why}
        for user in supervisor | self.user_id:
            user._bus_send("mychat/conversation", payload)
