import base64
from datetime import timedelta

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import plaintext2html

from ..const import TEAM_SUBCHANNEL

STATES = [
    ("new", "New"),
    ("open", "Open"),
    ("pending", "Pending"),
    ("snoozed", "Snoozed"),
    ("resolved", "Resolved"),
]
ACTIVE_STATES = ("new", "open", "pending", "snoozed")


class MychatConversation(models.Model):
    _name = "mychat.conversation"
    _inherit = ("mail.thread", "mail.activity.mixin")
    _description = "MyChat Conversation"
    _order = "awaiting_reply desc, last_message_date desc, id desc"
    _rec_name = "display_name"

    channel_id = fields.Many2one("mychat.channel", required=True, index=True, ondelete="restrict")
    channel_type = fields.Selection(related="channel_id.channel_type", store=True)
    company_id = fields.Many2one(related="channel_id.company_id", store=True, index=True)
    contact_id = fields.Many2one("mychat.contact", required=True, index=True, ondelete="restrict")
    partner_id = fields.Many2one(
        related="contact_id.partner_id", store=True, readonly=False, index="btree_not_null", string="Customer"
    )
    candidate_partner_ids = fields.Many2many(
        "res.partner",
        "mychat_conversation_candidate_rel",
        string="Possible customers",
        help="Partners an ambiguous or loose match found; link one to identify the sender.",
    )
    lead_id = fields.Many2one(
        "crm.lead", string="Lead / Opportunity", index="btree_not_null", ondelete="set null", tracking=True
    )
    user_id = fields.Many2one("res.users", string="Agent", index="btree_not_null", tracking=True)
    team_id = fields.Many2one("crm.team", string="Team", index="btree_not_null", tracking=True)
    state = fields.Selection(STATES, default="new", required=True, index=True, tracking=True)
    snoozed_until = fields.Datetime()
    is_chatbot = fields.Boolean(string="Chatbot", help="Handled by a bot, fully or in part.", index=True)
    external_thread_id = fields.Char(
        string="Provider conversation id", index="btree_not_null", help="The provider's own conversation id."
    )
    subject = fields.Char()
    mychat_message_ids = fields.One2many("mychat.message", "conversation_id", string="Wire messages")
    message_count = fields.Integer(compute="_compute_message_count", help="Messages on the wire.")
    discuss_channel_id = fields.Many2one(
        "discuss.channel",
        string="Discuss thread",
        readonly=True,
        index="btree_not_null",
        copy=False,
        ondelete="set null",
        help="The Discuss channel holding the transcript (for website live chat, the session itself).",
    )
    data_ids = fields.One2many("mychat.conversation.data", "conversation_id", string="Collected data")
    last_inbound_date = fields.Datetime(readonly=True)
    last_outbound_date = fields.Datetime(readonly=True)
    last_message_date = fields.Datetime(readonly=True, index=True)
    last_message_preview = fields.Char(readonly=True)
    awaiting_reply = fields.Boolean(
        readonly=True, index=True, help="The customer spoke last and neither an agent nor a bot answered."
    )
    awaiting_reply_since = fields.Datetime(readonly=True)
    window_expires_at = fields.Datetime(
        compute="_compute_window_expires_at",
        store=True,
        string="Reply window ends",
        help="Free-form replies are possible until then (last inbound message + the channel's window).",
    )
    resolved_date = fields.Datetime(readonly=True)

    @api.depends("contact_id", "channel_id", "subject")
    def _compute_display_name(self):
        for conv in self:
            conv.display_name = conv.partner_id.name or conv.contact_id.display_name or _("Unknown")

    def _compute_message_count(self):
        counts = dict(
            self.env["mychat.message"]._read_group(
                [("conversation_id", "in", self.ids)], ["conversation_id"], ["__count"]
            )
        )
        for conv in self:
            conv.message_count = counts.get(conv, 0)

    @api.depends("last_inbound_date", "channel_id.channel_type", "channel_id.meta_human_agent")
    def _compute_window_expires_at(self):
        for conv in self:
            hours = conv.channel_id._mychat_window_hours()
            conv.window_expires_at = (
                conv.last_inbound_date + timedelta(hours=hours) if hours and conv.last_inbound_date else False
            )

    # ------------------------------------------------------------------
    # Inbound
    # ------------------------------------------------------------------

    @api.model
    def _mychat_open_for(self, channel, contact, thread_key=None):
        """The conversation a new message of ``contact`` belongs to: the open one, the provider's thread
        (chatbots), or a new one (a resolved one is reopened when the channel says so)."""
        if thread_key:
            conv = self.search(
                [("channel_id", "=", channel.id), ("external_thread_id", "=", thread_key)], limit=1
            )
            if conv:
                return conv
        conv = self.search(
            [
                ("contact_id", "=", contact.id),
                ("state", "in", ACTIVE_STATES),
                ("external_thread_id", "in", [thread_key or False]),
            ],
            order="id desc",
            limit=1,
        )
        if not conv and channel.after_resolved == "reopen" and not thread_key:
            conv = self.search([("contact_id", "=", contact.id)], order="id desc", limit=1)
            if conv:
                conv.state = "open"
        if not conv:
            conv = self.create(
                {
                    "channel_id": channel.id,
                    "contact_id": contact.id,
                    "team_id": channel.team_id.id,
                    "external_thread_id": thread_key or False,
                }
            )
            conv._mychat_on_new()
        return conv

    @api.model
    def _mychat_ingest(self, channel, item):
        """Store one normalised InboundMessage; return the mychat.message (existing one for duplicates)."""
        Message = self.env["mychat.message"]
        if item.external_id:
            existing = Message.search(
                [("channel_id", "=", channel.id), ("external_id", "=", item.external_id)], limit=1
            )
            if existing:
                return existing
        if item.reaction_to_external_id:
            target = Message.search(
                [("channel_id", "=", channel.id), ("external_id", "=", item.reaction_to_external_id)], limit=1
            )
            old_reaction = target.reaction
            target.reaction = item.reaction or False
            if target:
                target.conversation_id._mychat_discuss_reaction(target, old_reaction, target.reaction)
            return target
        contact = self.env["mychat.contact"]._mychat_find_or_create(channel, item.contact)
        conv = self._mychat_open_for(channel, contact, item.thread_key)
        reply_to = item.reply_to_external_id and Message.search(
            [("channel_id", "=", channel.id), ("external_id", "=", item.reply_to_external_id)], limit=1
        )
        message = Message.create(
            {
                "conversation_id": conv.id,
                "direction": item.direction,
                "author_kind": item.author_kind,
                "external_id": item.external_id or False,
                "body": item.body,
                "message_type": item.message_type or "text",
                "date": item.date,
                "state": "received" if item.direction == "inbound" else "sent",
                "reply_to_id": reply_to.id if reply_to else False,
                "failure_reason": item.error or False,
            }
        )
        message._mychat_fetch_media(item.media)
        conv._mychat_register(message)
        return message

    def _mychat_register(self, message):
        """Update the conversation after a message was added, then notify."""
        self.ensure_one()
        vals = {}
        if not self.last_message_date or message.date >= self.last_message_date:
            # a late delivery of an older message does not become the conversation's latest
            vals.update(
                last_message_date=message.date,
                last_message_preview=(message.body or message.message_type or "")[:120],
            )
        if message.direction == "inbound":
            if not self.last_inbound_date or message.date >= self.last_inbound_date:
                vals["last_inbound_date"] = message.date
            answered = self.last_outbound_date and message.date <= self.last_outbound_date
            if not self.awaiting_reply and not answered:
                vals.update(awaiting_reply=True, awaiting_reply_since=message.date)
            if self.state in ("pending", "snoozed"):
                vals.update(state="open", snoozed_until=False)
        else:
            vals["last_outbound_date"] = message.date
            if message.author_kind != "system":  # an automatic message answers nobody
                vals.update(awaiting_reply=False, awaiting_reply_since=False)
            if self.state == "new" and message.author_kind == "agent":
                vals["state"] = "open"
        self.write(vals)
        if message.direction == "inbound":
            self._mychat_on_inbound(message)
        # the agent's systray counter moves only when the conversation starts or stops waiting
        self._mychat_notify("message", message, counter=bool({"awaiting_reply", "state"} & set(vals)))

    def _mychat_find_open_lead(self):
        """The open lead or opportunity of this conversation's sender (partner first, then contact)."""
        self.ensure_one()
        Lead = self.env["crm.lead"].sudo()
        open_domain = [("active", "=", True), ("won_status", "=", "pending")]
        if self.partner_id:
            lead = Lead.search(
                [("partner_id", "child_of", self.partner_id.commercial_partner_id.id), *open_domain], limit=1
            )
            if lead:
                return lead
        return Lead.search(
            [("mychat_conversation_ids.contact_id", "=", self.contact_id.id), *open_domain], limit=1
        )

    def _mychat_on_new(self):
        """Hook: a conversation was just created (routing assigns it)."""

    @api.model
    def _mychat_is_handoff(self, vals):
        """Hook: whether writing ``vals`` hands bot conversations over to humans (routing then assigns
        them). Here: ``is_chatbot`` cleared; chatbot_sync adds its hand-off and live-mode fields."""
        return vals.get("is_chatbot") is False

    def _mychat_on_inbound(self, message):
        """Hook: a customer message arrived (lead rules, bot mode, routing). A conversation held at the
        front door (see mychat_conversation_front_door.py) gets no lead yet."""
        if not self.mychat_held:
            self.env["mychat.lead.rule"]._mychat_apply(self, message)

    def _mychat_notify(self, kind, message=None, counter=True):
        """Tell the web clients of the people concerned that the conversation changed: the agent, with
        their systray counter (pushed, no client asks for it again; ``None`` when ``counter`` says it
        did not change), else the team, in one bus message on its channel (see ir_websocket.py)."""
        payload = {
            "kind": kind,
            "conversation_id": self.id,
            "name": self.display_name,
            "preview": message.body[:120] if message and message.body else "",
            "direction": message.direction if message else False,
            "assigned_to_me": bool(self.user_id),
        }
        if self.user_id:
            payload["unanswered_count"] = self._mychat_unanswered_count_of(self.user_id) if counter else None
            self.user_id._bus_send("mychat/conversation", payload)
        elif self.team_id:
            self.env["bus.bus"]._sendone((self.team_id, TEAM_SUBCHANNEL), "mychat/conversation", payload)

    @api.model
    def _mychat_unanswered_count_of(self, user):
        """The systray counter of ``user``: their conversations the customer is waiting on (in every
        company: the same figure in the push and when the client asks)."""
        # sudo: counting the user's own assignments
        return self.sudo().search_count(
            [("user_id", "=", user.id), ("awaiting_reply", "=", True), ("state", "!=", "resolved")]
        )

    # ------------------------------------------------------------------
    # Outbound
    # ------------------------------------------------------------------

    def _mychat_check_can_send(self, template=False):
        self.ensure_one()
        if not self.channel_id.active:
            raise UserError(
                _("The channel %s is archived: nothing can be sent through it.", self.channel_id.name)
            )
        if not self.contact_id.external_id:
            raise UserError(_("This conversation has no recipient."))
        if self.channel_type == "livechat":
            if self.discuss_channel_id.sudo().livechat_end_dt:
                raise UserError(_("The visitor has left this live chat session."))
            return
        hours = self.channel_id._mychat_window_hours()
        closed = not self.window_expires_at or self.window_expires_at < fields.Datetime.now()
        if not template and hours and closed:
            raise UserError(
                _(
                    "The %(hours)s-hour reply window of this conversation is closed: "
                    "the customer last wrote on %(date)s. %(hint)s",
                    hours=hours,
                    date=self.last_inbound_date or _("never"),
                    hint=self.channel_id._mychat_window_closed_hint(),
                )
            )

    def send_reply(self, body, attachment_ids=None, reply_to_id=None, buttons=None):
        """Send ``body`` (and attachments) to the customer; return the new mychat.message id. ``buttons``:
        quick-reply labels, on channels whose composer offers buttons (Telegram, Messenger, Instagram).
        Where the provider carries one file per message (WhatsApp), each further file becomes a message of
        its own (see ``mychat.channel._mychat_split_outbound``); the id returned is the first one's."""
        self.ensure_one()
        body = (body or "").strip()
        if not body and not attachment_ids:
            raise UserError(_("Nothing to send: write a message or attach a file."))
        if buttons and "buttons" not in self.channel_id._mychat_composer_features():
            raise UserError(_("%s channels cannot send buttons.", self.channel_id.channel_type))
        self._mychat_check_can_send()
        author_kind = self.env.context.get("mychat_author_kind", "agent")
        attachments = self.env["ir.attachment"].browse(attachment_ids or [])
        parts = self.channel_id._mychat_split_outbound(body, attachments)
        messages = self.env["mychat.message"].create(
            [
                {
                    "conversation_id": self.id,
                    "direction": "outbound",
                    "author_kind": author_kind,
                    "author_user_id": self.env.user.id if author_kind == "agent" else False,
                    "body": part_body or False,
                    "attachment_ids": [fields.Command.set(part_attachments.ids)],
                    "reply_to_id": (reply_to_id or False) if index == 0 else False,
                    "buttons": ([label for label in buttons or [] if label] or False)
                    if index == 0
                    else False,
                    "date": fields.Datetime.now(),
                    "state": "queued",
                }
                for index, (part_body, part_attachments) in enumerate(parts)
            ]
        )
        if author_kind == "agent" and not self.user_id:
            self.user_id = self.env.user
        for message in messages:
            self._mychat_register(message)
        messages._mychat_schedule_send()
        return messages[0].id

    def action_post_note(self, body):
        """An internal note: a chatter note of the conversation, seen by colleagues, never sent to the
        customer (nor shown to a live chat visitor). Returns the note's ``mail.message`` id."""
        self.ensure_one()
        body = body if isinstance(body, Markup) else plaintext2html(body or "")
        note = self.message_post(body=body, message_type="comment", subtype_xmlid="mail.mt_note")
        self._mychat_notify("note")
        return note.id

    def _mychat_notes(self):
        """The conversation's internal notes: chatter notes (``mail.mt_note``), oldest first."""
        return self.env["mail.message"].search(
            [
                ("model", "=", self._name),
                ("res_id", "in", self.ids),
                ("message_type", "=", "comment"),
                ("subtype_id", "=", self.env.ref("mail.mt_note").id),
            ],
            order="id",
        )

    # ------------------------------------------------------------------
    # States
    # ------------------------------------------------------------------

    def write(self, vals):
        if vals.get("state") == "resolved":
            vals.setdefault("resolved_date", fields.Datetime.now())
            vals.setdefault("awaiting_reply", False)
            vals.setdefault("awaiting_reply_since", False)
        elif vals.get("state") in ("new", "open", "pending"):
            vals.setdefault("snoozed_until", False)
        return super().write(vals)

    def action_resolve(self):
        self.write({"state": "resolved"})
        return True

    def action_reopen(self):
        self.write({"state": "open", "resolved_date": False})
        return True

    def action_set_pending(self):
        self.write({"state": "pending"})
        return True

    def action_snooze(self, until=None):
        """Snooze until ``until`` (default: tomorrow) or the customer's next message."""
        until = until or fields.Datetime.now() + timedelta(days=1)
        self.write({"state": "snoozed", "snoozed_until": until})
        return True

    @api.model
    def _cron_wake_snoozed(self):
        self.search([("state", "=", "snoozed"), ("snoozed_until", "<=", fields.Datetime.now())]).write(
            {"state": "open"}
        )

    def action_link_candidate(self):
        """Link the partner chosen in the context (``partner_id``) to the sender."""
        partner = self.env["res.partner"].browse(self.env.context["partner_id"])
        self.contact_id.partner_id = partner
        return True

    def action_open(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }

    def _mychat_attach(self, content, mimetype, filename):
        return self.env["ir.attachment"].create(
            {
                "name": filename or "attachment",
                "datas": base64.b64encode(content),
                "mimetype": mimetype,
                "res_model": self._name,
                "res_id": self.id,
            }
        )
