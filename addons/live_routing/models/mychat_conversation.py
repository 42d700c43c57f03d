from datetime import timedelta

from odoo import api, fields, models

from ..tools import strategies
from .res_users import CAPACITY_STATES

OWNER_SOURCES = {
    "salesperson": "salesperson",
    "lead": "lead owner",
    "last": "last agent",
    "livechat": "live chat operator",
}


class MychatConversation(models.Model):
    _inherit = "mychat.conversation"

    mychat_queued_since = fields.Datetime(
        string="Queued since",
        index="btree_not_null",
        readonly=True,
        help="Waiting in the team queue for an agent.",
    )
    mychat_queue_position = fields.Integer(string="Queue position", compute="_compute_mychat_queue_position")
    mychat_routing_pending = fields.Boolean(
        string="Waiting for routing",
        readonly=True,
        index="btree_not_null",
        help="Routed at the first customer message or the bot's hand-off.",
    )
    mychat_assigned_at = fields.Datetime(string="Assigned on", readonly=True)
    mychat_strategy = fields.Selection(strategies.STRATEGIES, string="Routed by", readonly=True)
    mychat_tier = fields.Integer(string="Tier", readonly=True, help="Seniority of the tier that has it.")
    mychat_escalated_at = fields.Datetime(string="Escalated on", readonly=True)
    mychat_routing_rule_id = fields.Many2one("mychat.routing.rule", string="Routing rule", readonly=True)
    mychat_sla_deadline = fields.Datetime(
        string="Answer due", compute="_compute_mychat_sla_deadline", store=True, index="btree_not_null"
    )
    mychat_sla_breached = fields.Boolean(
        string="SLA breached",
        readonly=True,
        index="btree_not_null",
        help="Awaiting our answer past the team's SLA.",
    )
    mychat_sla_breach_count = fields.Integer(string="SLA breaches", readonly=True)
    mychat_invited_user_ids = fields.Many2many(
        "res.users", "mychat_conversation_invited_user_rel", string="Invited colleagues"
    )
    mychat_assignment_log_ids = fields.One2many(
        "mychat.assignment.log", "conversation_id", string="Routing log"
    )

    # the agents' open counts of the routing facts (res.users._mychat_availability_rows): index only
    _mychat_agent_load_idx = models.Index("(user_id, state) WHERE user_id IS NOT NULL")

    @api.depends("awaiting_reply_since", "team_id.mychat_sla_minutes")
    def _compute_mychat_sla_deadline(self):
        for conv in self:
            minutes = conv.team_id.mychat_sla_minutes
            since = conv.awaiting_reply_since
            conv.mychat_sla_deadline = since + timedelta(minutes=minutes) if since and minutes else False

    def _compute_mychat_queue_position(self):
        queued = self.filtered(lambda c: c.mychat_queued_since and not c.user_id)
        (self - queued).mychat_queue_position = 0
        for team in queued.team_id:
            line = self.sudo().search(
                [
                    ("team_id", "=", team.id),
                    ("user_id", "=", False),
                    ("mychat_queued_since", "!=", False),
                    ("state", "in", CAPACITY_STATES),
                ],
                order="mychat_queued_since, id",
            )
            position = {cid: index + 1 for index, cid in enumerate(line.ids)}
            for conv in queued.filtered(lambda c, t=team: c.team_id == t):
                conv.mychat_queue_position = position.get(conv.id, 0)
        (queued - queued.filtered("team_id")).mychat_queue_position = 0

    # ------------------------------------------------------------------
    # Hooks of mychat_omnichannel
    # ------------------------------------------------------------------

    @api.model
    def _mychat_inbox_queues(self):
        return [
            *super()._mychat_inbox_queues(),
            (
                "queued",
                self.env._("Queue"),
                [("user_id", "=", False), ("mychat_queued_since", "!=", False)],
            ),
        ]

    def _mychat_on_new(self):
        """A new conversation is routed at its first customer message (rules may need its text), or
        at the bot's hand-off for bot conversations; the cron catches any left behind."""
        res = super()._mychat_on_new()
        if not self.env.context.get("mychat_skip_routing"):
            self.filtered(lambda c: not c.user_id).with_context(mychat_routing=True).write(
                {"mychat_routing_pending": True}
            )
        return res

    def _mychat_on_inbound(self, message):
        res = super()._mychat_on_inbound(message)
        self.filtered(
            lambda c: c.mychat_routing_pending and not c.is_chatbot and not c.mychat_held
        )._mychat_route(message)
        return res

    def write(self, vals):
        routing = self.env.context.get("mychat_routing")
        vals = dict(vals)
        if "awaiting_reply" in vals and not vals["awaiting_reply"]:
            vals["mychat_sla_breached"] = False
        if vals.get("state") in ("resolved", "snoozed"):
            vals.setdefault("mychat_queued_since", False)
            if vals["state"] == "resolved":
                vals.setdefault("mychat_routing_pending", False)
        manual = "user_id" in vals and not routing
        changed = (
            self.filtered(lambda c: c.user_id.id != (vals["user_id"] or False)) if manual else self.browse()
        )
        if manual:
            vals.update(mychat_queued_since=False, mychat_routing_pending=False)
            vals.setdefault("mychat_assigned_at", fields.Datetime.now() if vals["user_id"] else False)
        freed = self._mychat_freed_users(vals)
        reopened = (
            self.filtered(lambda c: c.state == "resolved") if vals.get("state") in CAPACITY_STATES else self
        )
        previous = {conv.id: conv.user_id for conv in changed}
        handoff = self.filtered("is_chatbot") if self._mychat_is_handoff(vals) else self.browse()
        res = super().write(vals)
        for conv in changed:
            conv._mychat_log(
                "manual",
                conv.user_id,
                self.env._("Assigned by %(who)s.", who=self.env.user.name)
                if conv.user_id
                else self.env._("Unassigned."),
                previous=previous[conv.id],
            )
        if vals.get("state") in CAPACITY_STATES and reopened:
            reopened.with_context(mychat_routing=True).write({"mychat_routing_pending": True})
        if handoff:
            handoff.filtered(lambda c: c.mychat_routing_pending and not c.user_id)._mychat_route()
        if freed and not self.env.context.get("mychat_draining"):
            freed.sudo().crm_team_ids._mychat_drain_queue()
        return res

    def _mychat_freed_users(self, vals):
        """Agents whose capacity this write frees (resolved, snoozed, reassigned)."""
        if "state" not in vals and "user_id" not in vals:
            return self.env["res.users"]
        freed = self.env["res.users"]
        for conv in self.filtered(lambda c: c.user_id and c.state in CAPACITY_STATES):
            if (
                vals.get("state", conv.state) not in CAPACITY_STATES
                or vals.get("user_id", conv.user_id.id) != conv.user_id.id
            ):
                freed |= conv.user_id
        return freed

    # ------------------------------------------------------------------
    # Routing
    # ------------------------------------------------------------------

    def _mychat_language(self):
        self.ensure_one()
        return self.contact_id.lang or self.partner_id.lang or False

    def _mychat_route(self, message=None):
        """Route each conversation: the first matching routing rule picks team and strategy, the owner
        goes first when available, else the strategy picks an agent, else the conversation is queued.
        Public hook: bots call it at hand-off."""
        for conv in self.sudo():
            conv._mychat_route_one(message=message)
        return True

    def _mychat_owner_candidates(self):
        """(user, source) pairs in priority order: the customer's salesperson, the salesperson of their
        open lead or opportunity, the agent who last served them, and for Odoo's website live chat the
        operator Odoo put in the session (chosen among available agents, see im_livechat_channel.py)."""
        self.ensure_one()
        partner = self.partner_id
        lead = (
            self.lead_id
            if self.lead_id.active and self.lead_id.won_status == "pending"
            else self._mychat_find_open_lead()
        )
        last = self.user_id
        if not last and (partner or self.contact_id):
            domain = [("id", "!=", self.id), ("user_id", "!=", False)]
            if partner:
                domain += ["|", ("contact_id", "=", self.contact_id.id), ("partner_id", "=", partner.id)]
            else:
                domain += [("contact_id", "=", self.contact_id.id)]
            last = self.search(domain, order="id desc", limit=1).user_id
        pairs = [
            (partner.user_id or partner.commercial_partner_id.user_id, "salesperson"),
            (lead.user_id, "lead"),
            (last, "last"),
            (self._mychat_livechat_operator(), "livechat"),
        ]
        seen, out = set(), []
        for user, source in pairs:
            if user and not user.share and user.id not in seen:
                seen.add(user.id)
                out.append((user, source))
        return out

    def _mychat_livechat_operator(self):
        """The human operator of the Odoo live chat session bridged into this conversation, if any."""
        if self.channel_type != "livechat":
            return self.env["res.users"]
        session = self.sudo().discuss_channel_id
        return session.livechat_operator_id.user_ids.filtered(lambda u: not u.share)[:1]

    def _mychat_route_one(
        self, message=None, kind="rule", team=None, exclude=(), after_tier=None, strategy=None, facts=None
    ):
        """One routing decision, logged. Returns a dict with ``user`` (empty when queued or kept),
        ``available`` and ``locked``. ``facts``: a queue drain's availability of the agents, filled
        here for those it lacks and kept current with this decision's assignment (see
        ``crm.team._mychat_drain_queue``); without it, the availability is computed for this decision."""
        self.ensure_one()
        now = fields.Datetime.now()
        Rule = self.env["mychat.routing.rule"]
        rule = Rule._mychat_find(self, message) if kind == "rule" else Rule
        team = (
            team
            or rule.team_id
            or self.team_id
            or self.channel_id.team_id
            or self.company_id._mychat_default_team()
        )
        strategy = strategy or rule.strategy or team.mychat_strategy or "least_busy"
        context = {"rule": rule, "team": team, "strategy": strategy, "kind": kind}
        if not team:
            self._mychat_enqueue(
                context,
                self.env._("No team: set a team on the channel or the company's default MyChat team."),
            )
            return {"user": self.env["res.users"], "available": 0, "locked": True}
        if not team._mychat_lock():
            self._mychat_enqueue(
                context, self.env._("Another decision was being made for this team: queued.")
            )
            self.env.ref("live_routing.ir_cron_mychat_routing")._trigger()
            return {"user": self.env["res.users"], "available": 0, "locked": False}
        owner_skipped = []
        shared, facts = facts, None
        owners = (
            self._mychat_owner_candidates() if kind in ("rule", "queue") and team.mychat_owner_first else []
        )
        owner_users = self.env["res.users"].union(*[u for u, _s in owners])
        if owner_users or shared is not None:
            # one availability pass for the owners and the team, reused by the team's pick below
            everyone = owner_users | team.sudo().crm_team_member_ids.user_id
            facts = self._mychat_facts(everyone, team, now, shared)
        for user, source in owners:
            reason = facts[user.id][0]
            if not reason:
                member = team.crm_team_member_ids.filtered(lambda m, u=user: m.user_id == u)[:1]
                context.update(kind="owner", strategy=False, owner_source=source)
                self._mychat_assign(user, member, context, [], now)
                self._mychat_count_assignment(shared, user)
                return {"user": user, "available": 1, "locked": True}
            owner_skipped.append((user, reason, self.env._("owner: %s", OWNER_SOURCES[source])))
        decision = team._mychat_pick(
            self,
            strategy=strategy,
            exclude=exclude,
            after_tier=after_tier,
            expertises=rule.expertise_ids,
            now=now,
            facts=facts,
        )
        skipped = owner_skipped + decision["skipped"]
        if decision["user"]:
            self._mychat_assign(decision["user"], decision["member"], context, skipped, now)
            self._mychat_count_assignment(shared, decision["user"])
            if owner_skipped:
                self._mychat_tell_owner(owner_skipped[0][0], decision["user"])
        elif kind in ("escalation", "sla") and self.user_id:
            self._mychat_log(
                kind,
                self.user_id,
                self.env._("Nobody else available: stays with %s.", self.user_id.name),
                context=context,
                skipped=skipped,
                outcome="kept",
            )
        else:
            self._mychat_enqueue(context, self.env._("Nobody available: queued."), skipped)
        return {"user": decision["user"], "available": decision["available"], "locked": True}

    @api.model
    def _mychat_facts(self, users, team, now, shared=None):
        """``users``' availability (``res.users._mychat_availability``); with ``shared``, a drain's
        facts, only the users it lacks are computed, added to it, and it is returned."""
        if shared is None:
            return users._mychat_availability(team=team, now=now)
        missing = users.filtered(lambda user: user.id not in shared)
        if missing:
            shared.update(missing._mychat_availability(team=team, now=now))
        return shared

    @api.model
    def _mychat_count_assignment(self, shared, user):
        """A drain's facts after ``user`` was given one more conversation: one more open, and at
        capacity when it is reached."""
        if shared is None or user.id not in shared:
            return
        reason, count, capacity = shared[user.id]
        count += 1
        shared[user.id] = (
            reason or ("capacity" if capacity and count >= capacity else False),
            count,
            capacity,
        )

    def _mychat_assign(self, user, member, context, skipped, now):
        previous = self.user_id
        self.with_context(mychat_routing=True).write(
            {
                "user_id": user.id,
                "team_id": context["team"].id,
                "mychat_queued_since": False,
                "mychat_routing_pending": False,
                "mychat_assigned_at": now,
                "mychat_escalated_at": now if context["kind"] == "escalation" else self.mychat_escalated_at,
                "mychat_strategy": context["strategy"] or self.mychat_strategy,
                "mychat_tier": member.mychat_seniority if member else 0,
                "mychat_routing_rule_id": context["rule"].id or self.mychat_routing_rule_id.id,
            }
        )
        if member:
            member.sudo().write(
                {"mychat_last_assigned": now, "mychat_last_turn": member.crm_team_id._mychat_next_turn()}
            )
        if context["kind"] == "owner":
            why = self.env._("Owner first (%s).", OWNER_SOURCES[context["owner_source"]])
        else:
            label = dict(strategies.STRATEGIES)[context["strategy"]]
            why = self.env._(
                "Chosen by %(strategy)s in team %(team)s.", strategy=label, team=context["team"].name
            )
        self._mychat_log(context["kind"], user, why, context=context, skipped=skipped, previous=previous)
        self._mychat_notify("assigned")
        if context["team"].mychat_sms_alert and context["kind"] in ("rule", "owner") and not previous:
            self._mychat_sms_alert(user)

    def _mychat_enqueue(self, context, why, skipped=()):
        self.with_context(mychat_routing=True).write(
            {
                "user_id": False,
                "team_id": context["team"].id or self.team_id.id,
                "mychat_queued_since": self.mychat_queued_since or fields.Datetime.now(),
                "mychat_routing_pending": False,
            }
        )
        self._mychat_log(context["kind"], False, why, context=context, skipped=skipped, outcome="queued")

    def _mychat_log(self, kind, user, why, context=None, skipped=(), previous=None, outcome=None):
        """Write the explanation line of one decision."""
        context = context or {}
        labels = self._mychat_skip_labels()
        lines = [
            f"{u.name}: {labels.get(reason, reason)}{f' ({detail})' if detail else ''}"
            for u, reason, detail in skipped
        ]
        rule = context.get("rule")
        parts = [self.env._("Rule: %s.", rule.name)] if rule else []
        parts.append(why)
        if lines:
            parts.append(self.env._("Skipped: %s.", "; ".join(lines)))
        vals = {
            "conversation_id": self.id,
            "user_id": user.id if user else False,
            "previous_user_id": previous.id if previous else False,
            "team_id": context["team"].id if context.get("team") else self.team_id.id,
            "rule_id": rule.id if rule else False,
            "kind": kind,
            "strategy": context.get("strategy") or False,
            "outcome": outcome or ("assigned" if user else "queued"),
            "reason": " ".join(parts),
            "skipped": "\n".join(lines) or False,
            "skipped_count": len(lines),
        }
        Log = self.env["mychat.assignment.log"].sudo()
        if vals["outcome"] in ("queued", "kept"):
            # a conversation looked at again with the same outcome and reason writes no new line
            last = Log.search([("conversation_id", "=", self.id)], order="id desc", limit=1)
            if last and all(
                (last[key].id if key.endswith("_id") else last[key]) == vals[key]
                for key in ("user_id", "team_id", "outcome", "reason", "skipped")
            ):
                return last
        return Log.create(vals)

    def _mychat_skip_labels(self):
        _ = self.env._
        return {
            "inactive": _("archived"),
            "offline": _("offline"),
            "busy": _("busy"),
            "leave": _("on leave"),
            "hours": _("outside working hours"),
            "presence": _("not connected"),
            "capacity": _("at capacity"),
            "language": _("language"),
            "skill": _("skills"),
        }

    def _mychat_tell_owner(self, owner, agent):
        """The unavailable owner gets an activity: customer X is being served by Y."""
        target = self.partner_id.commercial_partner_id or self.lead_id
        summary = self.env._(
            "Customer %(customer)s is being served by %(agent)s", customer=self.display_name, agent=agent.name
        )
        if target:
            target.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=owner.id,
                summary=summary,
                note=self.env._("Conversation on %s while you were unavailable.", self.channel_id.name),
            )
        owner._bus_send("mychat/conversation", {"kind": "owner", "conversation_id": self.id, "name": summary})

    def _mychat_sms_alert(self, user):
        """Text the agent through the hub's alert path; what kept it from going out goes to the log."""
        text = self.env._("New conversation for you: %s", self.display_name)
        failure = user._mychat_alert("assigned", self, text, media=("sms",))["sms"]
        if failure:
            self._mychat_log("rule", user, failure, outcome="notified")
        return not failure
