from psycopg2.errors import DeadlockDetected, LockNotAvailable, SerializationFailure

from odoo import fields, models
from odoo.tools import SQL

from ..tools import strategies
from .res_users import CAPACITY_STATES


class CrmTeam(models.Model):
    _inherit = "crm.team"

    mychat_strategy = fields.Selection(
        strategies.STRATEGIES,
        string="Routing strategy",
        default="least_busy",
        required=True,
        help="Round robin: each available agent in turn. Least busy: fewest open conversations, ties to the "
        "agent idle the longest. Tiered: by seniority, senior or junior first, escalating after a delay.",
    )
    mychat_tier_order = fields.Selection(strategies.TIER_ORDERS, string="Tier order", default="senior_first")
    mychat_escalation_minutes = fields.Integer(
        string="Escalate to next tier after (min)",
        default=0,
        help="Tiered strategy: a conversation still unanswered after this delay goes to the next tier "
        "(0 = never).",
    )
    mychat_owner_first = fields.Boolean(
        string="Owner first",
        default=True,
        help="An existing customer goes to their salesperson, the salesperson of their open lead or "
        "the agent who last served them, when that person is available.",
    )
    mychat_use_working_hours = fields.Boolean(
        string="Respect working hours",
        default=True,
        help="Agents outside their working calendar get no work.",
    )
    mychat_require_online = fields.Boolean(
        string="Only connected agents", help="Agents must also be online in Odoo (presence) to receive work."
    )
    mychat_sla_minutes = fields.Integer(
        string="SLA: first answer within (min)", default=0, help="0 = no SLA on conversations of this team."
    )
    mychat_sla_action = fields.Selection(
        [("notify", "Notify the team leader"), ("reassign", "Reassign to another agent")],
        string="On SLA breach",
        default="notify",
        required=True,
    )
    mychat_sms_alert = fields.Boolean(
        string="SMS the agent on a new visitor",
        help="Also text the assigned agent's phone through a MyChat SMS channel of the company.",
    )
    mychat_routed_at = fields.Datetime(
        readonly=True, copy=False, help="Technical: serialises routing decisions."
    )
    mychat_turn = fields.Integer(readonly=True, copy=False, help="Technical: counts this team's assignments.")
    mychat_queue_count = fields.Integer(string="Queued", compute="_compute_mychat_counts")
    mychat_sla_breach_count = fields.Integer(string="SLA breaches", compute="_compute_mychat_counts")

    def _compute_mychat_counts(self):
        Conv = self.env["mychat.conversation"].sudo()
        queued = dict(
            Conv._read_group(
                [("team_id", "in", self.ids), ("user_id", "=", False), ("mychat_queued_since", "!=", False)],
                ["team_id"],
                ["__count"],
            )
        )
        breaches = dict(
            Conv._read_group([("team_id", "in", self.ids)], ["team_id"], ["mychat_sla_breach_count:sum"])
        )
        for team in self:
            team.mychat_queue_count = queued.get(team, 0)
            team.mychat_sla_breach_count = breaches.get(team, 0) or 0

    def action_mychat_view_queue(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("live_routing.mychat_queue_action")
        action["domain"] = [
            ("team_id", "in", self.ids),
            ("user_id", "=", False),
            ("mychat_queued_since", "!=", False),
        ]
        return action

    # ------------------------------------------------------------------
    # Routing
    # ------------------------------------------------------------------

    def _mychat_lock(self):
        """Serialise the routing decisions of this team across transactions.

        The UPDATE takes the row lock (a concurrent decision waits for it). Under Odoo's REPEATABLE READ
        isolation, a transaction whose snapshot predates another decision on this team cannot update
        the row: it gets a serialization failure, so it can never count capacity from a stale snapshot.
        Returns False in that case; the caller queues the conversation for the next drain.
        """
        self.ensure_one()
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        "UPDATE crm_team SET mychat_routed_at = (now() at time zone 'UTC') WHERE id = %s",
                        self.id,
                    ),
                    log_exceptions=False,
                )
        except (SerializationFailure, LockNotAvailable, DeadlockDetected):
            return False
        self.invalidate_recordset(["mychat_routed_at"])
        return True

    def _mychat_next_turn(self):
        """Next value of the team's assignment counter (the row is locked by _mychat_lock)."""
        self.ensure_one()
        self.env.cr.execute(
            SQL(
                "UPDATE crm_team SET mychat_turn = COALESCE(mychat_turn, 0) + 1"
                " WHERE id = %s RETURNING mychat_turn",
                self.id,
            )
        )
        self.invalidate_recordset(["mychat_turn"])
        return self.env.cr.fetchone()[0]

    def _mychat_pick(
        self, conversation, strategy=None, exclude=(), after_tier=None, expertises=None, now=None, facts=None
    ):
        """Choose an agent of this team for ``conversation``. ``facts``: the members' availability when the
        caller already computed it (``res.users._mychat_availability`` with this team and ``now``).

        Returns a dict: ``user`` (empty when nobody fits), ``member``, ``skipped`` [(user, reason, detail)],
        ``available`` (how many agents passed the checks) and ``strategy``.
        """
        self.ensure_one()
        strategy = strategy or self.mychat_strategy
        rows = self._mychat_member_rows(exclude)
        users = self.env["res.users"].sudo().browse([row[1] for row in rows])
        user_of = {user.id: user for user in users}  # one prefetch set for the checks below
        if facts is None:
            facts = users._mychat_availability(team=self, now=now)
        skipped = []
        available = []
        for row in rows:
            reason, count, capacity = facts[row[1]]
            if reason:
                detail = f"{count}/{capacity}" if reason == "capacity" else ""
                skipped.append((user_of[row[1]], reason, detail))
            else:
                available.append(row)
        lang = conversation._mychat_language()
        if lang and available:
            speaking = [row for row in available if user_of[row[1]]._mychat_speaks(lang)]
            if speaking:
                skipped += [(user_of[row[1]], "language", lang) for row in available if row not in speaking]
                available = speaking
        if expertises and available:
            skilled = [row for row in available if expertises <= user_of[row[1]].livechat_expertise_ids]
            if skilled:
                names = ", ".join(expertises.mapped("name"))
                skipped += [(user_of[row[1]], "skill", names) for row in available if row not in skilled]
                available = skilled
        agents = [
            strategies.Agent(
                user_id=user_id,
                seniority=seniority,
                open_count=facts[user_id][1],
                last_turn=last_turn,
                order=index,
            )
            for index, (_member_id, user_id, seniority, last_turn) in enumerate(available)
        ]
        chosen = strategies.select(strategy, agents, self.mychat_tier_order, after_tier)
        member_id = next((row[0] for row in available if chosen and row[1] == chosen.user_id), None)
        member = self.env["crm.team.member"].sudo().browse(member_id)
        return {
            "user": member.user_id,
            "member": member,
            "skipped": skipped,
            "available": len(agents),
            "strategy": strategy,
        }

    def _mychat_member_rows(self, exclude=()):
        """(member id, user id, seniority, last turn) of this team's active members, in membership order,
        without the users of ``exclude``: one statement, no record built per member."""
        self.ensure_one()
        self.env["crm.team.member"].flush_model(
            ["crm_team_id", "user_id", "active", "mychat_seniority", "mychat_last_turn"]
        )
        return self.env.execute_query(
            SQL(
                """SELECT id, user_id, COALESCE(mychat_seniority, 0), COALESCE(mychat_last_turn, 0)
                     FROM crm_team_member
                    WHERE crm_team_id = %s AND active AND NOT user_id = ANY(%s)
                 ORDER BY create_date, id""",
                self.id,
                [int(uid) for uid in exclude],
            )
        )

    def _mychat_drain_queue(self, limit=200):
        """Assign queued conversations, oldest first, while agents have room. The agents' availability
        is computed once per team and kept current by each assignment, not recomputed per conversation
        (the drain runs in one transaction, at one moment)."""
        Conv = self.env["mychat.conversation"].sudo().with_context(mychat_draining=True)
        for team in self:
            queued = Conv.search(
                [
                    ("team_id", "=", team.id),
                    ("user_id", "=", False),
                    ("mychat_queued_since", "!=", False),
                    ("state", "in", CAPACITY_STATES),
                ],
                order="mychat_queued_since, id",
                limit=limit,
            )
            facts = {}
            for conversation in queued:
                decision = conversation._mychat_route_one(kind="queue", team=team, facts=facts)
                if not decision["user"] and (not decision["locked"] or not decision["available"]):
                    break

    def action_mychat_view_members(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "live_routing.crm_team_member_action_live_routing"
        )
        action["domain"] = [("crm_team_id", "in", self.ids)]
        action["context"] = {"default_crm_team_id": self[:1].id}
        return action
