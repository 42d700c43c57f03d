"""The agent workspace side of mychat.conversation: inbox fields, the transcript RPC of the conversation
widget and the composer's actions (quick replies, templates, transfer)."""

from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL, html2plaintext

WINDOW_CLOSING_HOURS = 4


class MychatConversation(models.Model):
    _inherit = "mychat.conversation"

    state = fields.Selection(group_expand="_group_expand_states")
    tag_ids = fields.Many2many("mychat.tag", string="Tags")
    waiting_time = fields.Char(
        string="Waiting",
        compute="_compute_waiting_time",
        help="How long the customer has been waiting for our reply.",
    )
    customer_search = fields.Char(
        string="Customer",
        compute="_compute_customer_search",
        search="_search_customer_search",
        help="Search only: the customer's name, e-mail or customer number, or the sender's name, phone or "
        "e-mail.",
    )
    window_closing_soon = fields.Boolean(
        compute="_compute_window_closing_soon",
        search="_search_window_closing_soon",
        help=f"The reply window closes within {WINDOW_CLOSING_HOURS} hours.",
    )

    @api.model
    def _group_expand_states(self, states, domain):
        """The inbox kanban shows every state as a column, empty ones included."""
        return [key for key, _label in self._fields["state"].selection]

    @api.depends_context("mychat_now")
    @api.depends("awaiting_reply_since")
    def _compute_waiting_time(self):
        now = self.env.context.get("mychat_now") or fields.Datetime.now()
        for conv in self:
            conv.waiting_time = (
                self._mychat_format_duration(now - conv.awaiting_reply_since)
                if conv.awaiting_reply_since
                else False
            )

    @api.model
    def _mychat_format_duration(self, delta):
        minutes = max(int(delta.total_seconds() // 60), 0)
        days, minutes = divmod(minutes, 24 * 60)
        hours, minutes = divmod(minutes, 60)
        if days:
            return _("%(days)sd %(hours)sh", days=days, hours=hours)
        if hours:
            return _("%(hours)sh %(minutes)sm", hours=hours, minutes=minutes)
        return _("%(minutes)sm", minutes=minutes)

    @api.depends("window_expires_at")
    def _compute_window_closing_soon(self):
        now = fields.Datetime.now()
        limit = now + timedelta(hours=WINDOW_CLOSING_HOURS)
        for conv in self:
            conv.window_closing_soon = bool(conv.window_expires_at and now < conv.window_expires_at <= limit)

    def _search_window_closing_soon(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        now = fields.Datetime.now()
        domain = [
            ("window_expires_at", ">", now),
            ("window_expires_at", "<=", now + timedelta(hours=WINDOW_CLOSING_HOURS)),
        ]
        return domain if (operator == "in") == (True in value) else ["!", "&", *domain]

    def _compute_customer_search(self):
        self.customer_search = False

    def _search_customer_search(self, operator, value):
        """Each key looked up on its own table with its trigram index (one ``IN`` per table), instead of one
        filter on the join of conversations, senders and partners that PostgreSQL can only scan."""
        if operator not in ("ilike", "not ilike") or not isinstance(value, str):
            return NotImplemented
        partners = self.env["res.partner"]._search(
            [
                "|",
                "|",
                ("complete_name", "ilike", value),
                ("email", "ilike", value),
                ("ref", "=", value.strip()),
            ]
        )
        contacts = self.env["mychat.contact"]._search(
            ["|", "|", ("name", "ilike", value), ("phone", "ilike", value), ("email", "ilike", value)]
        )
        domain = ["|", ("partner_id", "in", partners), ("contact_id", "in", contacts)]
        return domain if operator == "ilike" else ["!", *domain]

    def write(self, vals):
        res = super().write(vals)
        # routing (live_routing) sends its own notice of an assignment, with the systray counter
        if (
            vals.get("user_id")
            and vals["user_id"] != self.env.uid
            and not self.env.context.get("mychat_routing")
        ):
            for conv in self:
                conv.user_id._bus_send(
                    "mychat/conversation",
                    {
                        "kind": "assigned",
                        "conversation_id": conv.id,
                        "name": conv.display_name,
                        "preview": _("Assigned to you by %s", self.env.user.name),
                        "assigned_to_me": True,
                    },
                )
        return res

    # ------------------------------------------------------------------
    # Inbox actions
    # ------------------------------------------------------------------

    def action_assign_to_me(self):
        self.write({"user_id": self.env.uid})
        return True

    def action_take(self):
        """ "Take" from the queue or the unassigned list: the conversation becomes mine."""
        if any(conv.user_id and conv.user_id != self.env.user for conv in self):
            raise UserError(_("Another agent already took this conversation."))
        return self.action_assign_to_me()

    @api.model
    def _mychat_inbox_queues(self):
        """(filter name, label, domain) of the inbox bar's counters; addons add theirs (the queue)."""
        uid = self.env.uid
        return [
            ("mine", _("Mine"), [("user_id", "=", uid)]),
            ("my_team", _("My team"), [("team_id.member_ids", "in", [uid])]),
            ("unassigned", _("Unassigned"), [("user_id", "=", False)]),
        ]

    @api.model
    def mychat_inbox_counts(self):
        """The inbox bar: open conversations per queue (and how many wait for our reply), and per
        channel type, each with the search filter that shows them. One scan of the open conversations
        the user may read, each counter a ``FILTER`` of it, however many queues addons add."""
        queues = self._mychat_inbox_queues()
        query = self._search([("state", "!=", "resolved")])
        awaiting = self._field_to_sql(self._table, "awaiting_reply", query)
        counters = []
        for _name, _label, domain in queues:
            condition = Domain(domain).optimize_full(self)._to_sql(self, self._table, query)
            counters += [
                SQL("COUNT(*) FILTER (WHERE %s)", condition),
                SQL("COUNT(*) FILTER (WHERE %s AND %s)", condition, awaiting),
            ]
        channel_type = self._field_to_sql(self._table, "channel_type", query)
        query.groupby = channel_type
        rows = self.env.execute_query(query.select(channel_type, SQL("COUNT(*)"), *counters))
        totals = [sum(row[index] for row in rows) for index in range(2, len(counters) + 2)]
        labels = dict(self._fields["channel_type"]._description_selection(self.env))
        return {
            "queues": [
                {
                    "filter": name,
                    "label": label,
                    "count": totals[2 * index],
                    "urgent": bool(totals[2 * index + 1]),
                }
                for index, (name, label, _domain) in enumerate(queues)
            ],
            "channels": [
                {"filter": f"channel_{kind}", "type": kind, "label": labels.get(kind), "count": count}
                for kind, count, *_counters in sorted(rows, key=lambda row: row[0] or "")
                if kind
            ],
        }

    @api.model
    def mychat_unanswered_count(self):
        """The systray counter: my conversations the customer is waiting on."""
        return self._mychat_unanswered_count_of(self.env.user)

    # ------------------------------------------------------------------
    # Conversation widget
    # ------------------------------------------------------------------

    def _mychat_window_open(self):
        self.ensure_one()
        if self.channel_type == "livechat" or not self.channel_id._mychat_window_hours():
            return True
        return bool(self.window_expires_at and self.window_expires_at > fields.Datetime.now())

    def mychat_get_transcript(self):
        """Everything the conversation widget shows, in one call: the messages and internal notes in
        chronological order, the customer panel, the reply window and the templates usable outside it."""
        self.ensure_one()
        items = [self._mychat_message_data(message) for message in self.mychat_message_ids]
        note_subtype = self.env.ref("mail.mt_note")
        items += [
            {
                "kind": "note",
                "id": note.id,
                "author_name": note.author_id.name,
                "body": html2plaintext(note.body or ""),
                "date": note.date,
            }
            for note in self.message_ids.filtered(
                lambda m: m.message_type == "comment" and m.subtype_id == note_subtype
            )
        ]
        items.sort(key=lambda item: (item["date"], item["kind"] == "note", item["id"]))
        window_hours = self.channel_id._mychat_window_hours() if self.channel_type != "livechat" else 0
        window_open = self._mychat_window_open()
        return {
            "id": self.id,
            "state": self.state,
            "channel_name": self.channel_id.name,
            "channel_type": self.channel_type,
            "window_hours": window_hours,
            "window_expires_at": self.window_expires_at,
            "window_open": window_open,
            "awaiting_reply_since": self.awaiting_reply_since,
            "user_id": self.user_id.id,
            "items": items,
            "customer": self._mychat_customer_panel(),
            "templates": []
            if window_open
            else [
                {
                    "id": t.id,
                    "name": t.name,
                    "lang": t.lang,
                    "body": t.body,
                    "variable_count": t.variable_count,
                }
                for t in self.env["mychat.template"]._mychat_usable_for(self.channel_id)
            ],
            "agents": [
                {"id": user.id, "name": user.name}
                for user in self.env.ref("mychat_omnichannel.group_mychat_user").all_user_ids.filtered(
                    lambda u: u.active and not u.share and u != self.env.user
                )
            ],
        }

    def _mychat_message_data(self, message):
        if message.author_kind == "agent":
            author = message.author_user_id.name or _("Agent")
        elif message.author_kind == "bot":
            author = _("Bot")
        elif message.author_kind == "system":
            author = _("System")
        else:
            author = self.contact_id.display_name
        quoted = message.reply_to_id
        return {
            "kind": "message",
            "id": message.id,
            "direction": message.direction,
            "author_kind": message.author_kind,
            "author_name": author,
            "body": message.body or "",
            "message_type": message.message_type,
            "date": message.date,
            "state": message.state,
            "failure_reason": message.failure_reason or "",
            "withdrawn": message.withdrawn,
            "recalled": message.recalled,
            "reaction": message.reaction or "",
            "template_name": message.template_id.name or "",
            "reply_to": {"id": quoted.id, "body": (quoted.body or quoted.message_type or "")[:200]}
            if quoted
            else False,
            "attachments": [
                {"id": a.id, "name": a.name, "mimetype": a.mimetype or "application/octet-stream"}
                for a in message.attachment_ids
            ],
        }

    def _mychat_customer_panel(self):
        contact, partner = self.contact_id, self.partner_id
        conv_domain = [("partner_id", "=", partner.id)] if partner else [("contact_id", "=", contact.id)]
        previous = self.search(
            [*conv_domain, ("id", "!=", self.id)], order="last_message_date desc, id desc", limit=10
        )
        # the user's own CRM rights: a lead the user may not read is not shown
        Lead = self.env["crm.lead"]
        can_read = Lead.has_access("read")
        leads = Lead.search([("id", "=", self.lead_id.id)]) if self.lead_id and can_read else Lead
        if partner and can_read:
            leads |= Lead.search(
                [
                    ("partner_id", "child_of", partner.commercial_partner_id.id),
                    ("won_status", "=", "pending"),
                ],
                limit=10,
            )
        return {
            "partner": {
                "id": partner.id,
                "name": partner.display_name,
                "email": partner.email or "",
                "phone": partner.phone or "",
            }
            if partner
            else False,
            "contact": {
                "id": contact.id,
                "name": contact.display_name,
                "phone": contact.phone or "",
                "email": contact.email or "",
                "lang": contact.lang or "",
                "external_id": contact.external_id,
            },
            "last_seen": self.last_inbound_date,
            "data": [{"label": d.label or d.key, "value": d.value or ""} for d in self.data_ids],
            "leads": [
                {"id": lead.id, "name": lead.name, "stage": lead.stage_id.name or ""} for lead in leads
            ],
            "conversations": [
                {
                    "id": conv.id,
                    "channel": conv.channel_id.name,
                    "state": dict(conv._fields["state"]._description_selection(self.env))[conv.state],
                    "date": conv.last_message_date,
                    "preview": conv.last_message_preview or "",
                }
                for conv in previous
            ],
        }

    # ------------------------------------------------------------------
    # Composer
    # ------------------------------------------------------------------

    def mychat_composer_send(self, body, attachment_ids=None, reply_to_id=None, canned_response_ids=None):
        """Send from the composer: the quick replies used are counted, their images attached."""
        self.ensure_one()
        canned = self.env["mail.canned.response"].browse(canned_response_ids or []).exists()
        # the user's own rights decide: a colleague's private quick reply or a file the user cannot read
        # is refused before anything is copied
        canned.check_access("read")
        attachment_ids = list(attachment_ids or [])
        self.env["ir.attachment"]._mychat_check_handed_in([attachment_ids])
        for response in canned:
            owner = response.sudo().create_uid
            for attachment in response.sudo().mychat_attachment_ids:
                # a file linked to a quick reply must be one its author could read (a link does not check)
                if (attachment.res_model, attachment.res_id) != (response._name, response.id) and not (
                    attachment.with_user(owner).has_access("read")
                ):
                    attachment.with_env(self.env).check_access("read")
                copy = attachment.copy({"res_model": self._name, "res_id": self.id})
                attachment_ids.append(copy.id)
        message_id = self.send_reply(body, attachment_ids=attachment_ids, reply_to_id=reply_to_id)
        canned._mychat_register_use()
        return message_id

    def send_template(self, template_id, values=None):
        """Send an approved template (allowed outside the reply window); return the new message id."""
        self.ensure_one()
        template = self.env["mychat.template"].browse(template_id).exists()
        if not template or template.status != "approved":
            raise UserError(_("Only approved templates can be sent."))
        if template.channel_type != self.channel_type or template.channel_id not in (
            self.channel_id,
            self.channel_id.browse(),
        ):
            raise UserError(_("The template %s does not belong to this channel.", template.name))
        values = [str(v) for v in (values or [])]
        if len(values) < template.variable_count or not all(values[: template.variable_count]):
            raise UserError(_("Fill in every variable of the template %s.", template.name))
        self._mychat_check_can_send(template=True)
        message = self.env["mychat.message"].create(
            {
                "conversation_id": self.id,
                "direction": "outbound",
                "author_kind": "agent",
                "author_user_id": self.env.uid,
                "body": template._mychat_render(values),
                "template_id": template.id,
                "template_values": values[: template.variable_count],
                "date": fields.Datetime.now(),
                "state": "queued",
            }
        )
        if not self.user_id:
            self.user_id = self.env.user
        self._mychat_register(message)
        message._mychat_schedule_send()
        return message.id

    def mychat_transfer(self, user_id):
        """Hand the conversation to a colleague."""
        self.ensure_one()
        user = self.env["res.users"].browse(user_id)
        self.user_id = user
        self.action_post_note(_("Transferred to %(to)s by %(by)s.", to=user.name, by=self.env.user.name))
        return True

    def mychat_invite(self, user_id):
        """Ask a colleague to look at the conversation without changing its agent."""
        self.ensure_one()
        user = self.env["res.users"].browse(user_id)
        self.action_post_note(
            _("%(by)s invited %(who)s to this conversation.", by=self.env.user.name, who=user.name)
        )
        user._bus_send(
            "mychat/conversation",
            {
                "kind": "invite",
                "conversation_id": self.id,
                "name": self.display_name,
                "preview": _("You are invited by %s", self.env.user.name),
            },
        )
        return True
