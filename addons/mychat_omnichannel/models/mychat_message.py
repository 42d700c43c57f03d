import logging
from datetime import timedelta

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.modules.registry import Registry
from odoo.tools import SQL

from ..const import SEND_RETRY_DELAYS
from ..tools.log_redact import redact_error
from ..tools.pipeline import pipeline
from ..tools.provider_error import ProviderError

_logger = logging.getLogger(__name__)

DELIVERY_ORDER = {"queued": 0, "sent": 1, "delivered": 2, "read": 3}
# a send claim older than this was interrupted (the process died between the claim and the outcome)
STALE_CLAIM_MINUTES = 10


class MychatMessage(models.Model):
    _name = "mychat.message"
    _description = "MyChat Message"
    _order = "date, id"

    conversation_id = fields.Many2one("mychat.conversation", required=True, ondelete="cascade", index=True)
    channel_id = fields.Many2one(related="conversation_id.channel_id", store=True, index=True)
    company_id = fields.Many2one(related="conversation_id.company_id", store=True)
    partner_id = fields.Many2one(related="conversation_id.partner_id")
    direction = fields.Selection([("inbound", "Inbound"), ("outbound", "Outbound")], required=True)
    external_id = fields.Char(string="Provider id", copy=False)
    author_kind = fields.Selection(
        [("customer", "Customer"), ("bot", "Bot"), ("agent", "Agent"), ("system", "System")],
        required=True,
        default="customer",
    )
    author_user_id = fields.Many2one("res.users", string="Agent")
    body = fields.Text(index="trigram")  # the inbox's "Message text" search
    message_type = fields.Char(default="text", help="Provider content type: text, image, location, …")
    attachment_ids = fields.Many2many("ir.attachment", string="Attachments")
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    state = fields.Selection(
        [
            ("received", "Received"),
            ("queued", "Queued"),
            ("sent", "Sent"),
            ("delivered", "Delivered"),
            ("read", "Read"),
            ("failed", "Failed"),
        ],
        required=True,
        default="received",
        index=True,
    )
    failure_reason = fields.Text()
    failure_detail = fields.Text(
        string="Technical detail",
        readonly=True,
        groups="base.group_system",
        help="The technical cause of the last failure (the network library's or provider's text, secrets "
        "masked), for administrators.",
    )
    failure_kind = fields.Selection(
        [
            ("transient", "Temporary"),
            ("window", "Window closed"),
            ("auth", "Credentials"),
            ("permanent", "Refused"),
        ]
    )
    send_attempts = fields.Integer(readonly=True)
    next_attempt_date = fields.Datetime(readonly=True, index="btree_not_null")
    reply_to_id = fields.Many2one("mychat.message", string="Reply to", ondelete="set null")
    reaction = fields.Char(help="The customer's latest reaction to this message.")
    buttons = fields.Json(
        help="Quick-reply button labels sent with this message (channels that offer buttons)."
    )
    edited_date = fields.Datetime(readonly=True, help="When the sender last edited or deleted this message.")
    withdrawn = fields.Boolean(
        readonly=True,
        help="An agent took this reply back (deleted for the customer where the provider allows it).",
    )
    recalled = fields.Boolean(readonly=True, help="The provider deleted the message for the customer too.")
    template_id = fields.Many2one("mychat.template", string="Template", ondelete="restrict")
    template_values = fields.Json(help="The template's {{n}} values, in order.")
    mail_message_id = fields.Many2one(
        "mail.message",
        string="Discuss message",
        index="btree_not_null",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="This message in the conversation's Discuss thread.",
    )
    send_claimed_at = fields.Datetime(
        readonly=True,
        copy=False,
        help="Set while a process sends this message: nobody else sends it meanwhile, and a claim left by a "
        "crash is never sent again by itself.",
    )

    _channel_external_uniq = models.UniqueIndex("(channel_id, external_id) WHERE external_id IS NOT NULL")

    def write(self, vals):
        res = super().write(vals)
        if {"state", "failure_reason"} & set(vals):
            self._mychat_bus_wire()
        return res

    def _mychat_store_values(self):
        """The delivery data shown on this message's ``mail.message`` in Discuss (readme/DISCUSS.md); for
        a reply split in several provider messages, the least advanced state and every reason."""
        order = {"failed": -1, **DELIVERY_ORDER, "received": 4}
        first = self.sorted(lambda m: (order.get(m.state, 0), m.id))[:1]
        reasons = [m.failure_reason for m in self if m.failure_reason]
        return {
            "mychat_message_id": self.sorted("id")[:1].id,
            "mychat_direction": first.direction,
            "mychat_state": first.state,
            "mychat_failure_reason": "\n".join(reasons) or False,
            "mychat_author_kind": first.author_kind,
        }

    def _mychat_bus_wire(self):
        """Push new delivery states to the members of the Discuss channels (ticks move live)."""
        Store = self.env["discuss.channel"]._mychat_store_class()
        for mail_message in self.sudo().mail_message_id:
            channel = mail_message.model == "discuss.channel" and self.env["discuss.channel"].sudo().browse(
                mail_message.res_id
            )
            if channel and channel.channel_type == "mychat":
                wire = self.sudo().search([("mail_message_id", "=", mail_message.id)])
                Store(bus_channel=channel).add(mail_message, wire._mychat_store_values()).bus_send()

    @api.depends("body", "message_type")
    def _compute_display_name(self):
        for message in self:
            message.display_name = (message.body or message.message_type or "")[:60]

    # ------------------------------------------------------------------
    # Media
    # ------------------------------------------------------------------

    def _mychat_fetch_media(self, media_items):
        """Download inbound media as attachments; a failure is noted on the message, never fatal."""
        self.ensure_one()
        if not media_items:
            return
        channel = self.channel_id
        errors = []
        for media in media_items:
            try:
                content, mimetype, filename = channel._mychat_download(media)
            except ProviderError as error:
                errors.append(_("%(kind)s not downloaded: %(error)s", kind=media.kind, error=error))
                continue
            attachment = self.conversation_id._mychat_attach(content, mimetype, filename or f"{media.kind}")
            self.attachment_ids = [fields.Command.link(attachment.id)]
        if errors:
            self.failure_reason = "\n".join(filter(None, [self.failure_reason, *errors]))

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------

    def _mychat_schedule_send(self):
        """Send queued outbound messages once the current transaction commits: a fresh cursor claims
        and sends them right after the commit, and the send cron is the safety net. A rolled-back or
        retried transaction leaves no message behind, so nothing unstored is ever sent. Live chat replies
        need no provider: posting in the session delivered them."""
        livechat = self.filtered(lambda m: m.channel_id.channel_type == "livechat")
        for message in livechat.filtered(lambda m: m.state == "queued"):
            pipeline(message).write(
                {
                    "state": "sent",
                    "external_id": message.external_id
                    or (message.mail_message_id and f"mail.message:{message.mail_message_id.id}")
                    or False,
                }
            )
        queued = (self - livechat).filtered(lambda m: m.state == "queued" and m.direction == "outbound")
        if not queued:
            return
        for message in queued.filtered(lambda m: not m.next_attempt_date):
            pipeline(message).next_attempt_date = fields.Datetime.now()
        cr = self.env.cr
        pending = cr.postcommit.data.setdefault("mychat.send_queued", set())
        if not pending:
            cr.postcommit.add(self._mychat_send_after_commit_callback(cr.dbname, pending))
        pending.update(queued.ids)
        self.env.ref("mychat_omnichannel.ir_cron_send_queued")._trigger()

    @api.model
    def _mychat_send_after_commit_callback(self, dbname, pending):
        def send_after_commit():
            try:
                with Registry(dbname).cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    env["mychat.message"].browse(sorted(pending))._mychat_send_claimed(commit=True)
            except Exception:  # the cron sends them later
                _logger.exception("MyChat: sending after commit failed; the send cron will retry")

        return send_after_commit

    def _mychat_claim(self):
        """Claim this queued message for sending (``FOR UPDATE SKIP LOCKED``): True when this process
        got it. A message already claimed, locked by another transaction, sent or not due is skipped."""
        self.ensure_one()
        self.flush_recordset()
        self.env.cr.execute(
            SQL(
                """
                UPDATE mychat_message SET send_claimed_at = %(now)s
                 WHERE id IN (
                    SELECT id FROM mychat_message
                     WHERE id = %(id)s AND state = 'queued' AND direction = 'outbound'
                       AND send_claimed_at IS NULL
                       AND (next_attempt_date IS NULL OR next_attempt_date <= %(now)s)
                       FOR UPDATE SKIP LOCKED)
                RETURNING id
                """,
                now=fields.Datetime.now(),
                id=self.id,
            )
        )
        claimed = bool(self.env.cr.fetchone())
        self.invalidate_recordset(["send_claimed_at", "state", "next_attempt_date"])
        return claimed

    def _mychat_send_claimed(self, commit=False):
        """Claim, send and record each message in turn; with ``commit`` the claim is committed before the
        provider is called and the outcome right after, so a crash in between never sends it twice."""
        for message in self.exists():
            if not message._mychat_claim():
                continue
            if commit:
                self.env["ir.cron"]._commit_progress()
            message._mychat_attempt_send()
            if commit:
                self.env["ir.cron"]._commit_progress(1)

    def _mychat_attempt_send(self):
        """Try to send queued outbound messages once. Transient failures are retried later by the cron
        (see SEND_RETRY_DELAYS); anything else fails at once with the provider's reason. Any error while
        sending counts as an attempt of that message only."""
        for message in self.filtered(lambda m: m.state == "queued" and m.direction == "outbound"):
            channel = message.channel_id
            message.send_attempts += 1
            try:
                with self.env.cr.savepoint():
                    external_id = channel._mychat_send(message)
            except ProviderError as error:
                message._mychat_send_failed(error)
                continue
            except Exception as error:
                _logger.exception("MyChat message %s: sending raised", message.id)
                message._mychat_send_failed(
                    ProviderError(
                        _("Sending failed because of an unexpected error. Retry, or ask your administrator."),
                        "transient",
                        detail=redact_error(error),
                    )
                )
                continue
            message.write(
                {
                    "state": "sent",
                    "external_id": external_id or False,
                    "failure_reason": False,
                    "failure_detail": False,
                    "failure_kind": False,
                    "next_attempt_date": False,
                    "send_claimed_at": False,
                }
            )

    def _mychat_send_failed(self, error):
        self.ensure_one()
        retries_left = self.send_attempts <= len(SEND_RETRY_DELAYS)
        if error.retryable and retries_left:
            delay = max(SEND_RETRY_DELAYS[self.send_attempts - 1], error.retry_after or 0)
            when = fields.Datetime.now() + timedelta(seconds=delay)
            self.write(
                {
                    "failure_reason": str(error),
                    "failure_detail": error.detail or False,
                    "failure_kind": error.kind,
                    "next_attempt_date": when,
                    "send_claimed_at": False,
                }
            )
            self.env.ref("mychat_omnichannel.ir_cron_send_queued")._trigger(when)
            return
        _logger.info("MyChat message %s failed: %s", self.id, error)
        self.write(
            {
                "state": "failed",
                "failure_reason": str(error),
                "failure_detail": error.detail or False,
                "failure_kind": error.kind,
                "next_attempt_date": False,
                "send_claimed_at": False,
            }
        )
        self.conversation_id._mychat_notify("failed", self)

    @api.model
    def _cron_send_queued(self):
        """The send queue's drain: claim and send every due queued message (tests call it to run what
        would happen after commit), and give up on claims a crash left behind."""
        self._mychat_release_stale_claims()
        due = self.search(
            [
                ("state", "=", "queued"),
                ("direction", "=", "outbound"),
                ("send_claimed_at", "=", False),
                ("next_attempt_date", "<=", fields.Datetime.now()),
            ],
            order="next_attempt_date, id",
            limit=200,
        )
        # run by the scheduler, each claim and outcome is committed; called directly (tests, a shell), the
        # messages are claimed and sent inside the caller's transaction
        due._mychat_send_claimed(commit=bool(self.env.context.get("ir_cron_progress_id")))

    @api.model
    def _mychat_release_stale_claims(self):
        """A claim older than STALE_CLAIM_MINUTES means the sender died between calling the provider and
        storing the outcome: the provider may have delivered it, so it is not sent again by itself; it
        fails with a reason an agent can act on (``action_retry``)."""
        stale = self.search(
            [
                ("state", "=", "queued"),
                ("send_claimed_at", "<", fields.Datetime.now() - timedelta(minutes=STALE_CLAIM_MINUTES)),
            ]
        )
        for message in stale:
            message.write(
                {
                    "state": "failed",
                    "failure_kind": "transient",
                    "failure_reason": _(
                        "Sending was interrupted: the customer may or may not have received this message. "
                        "Retry it if they did not."
                    ),
                    "send_claimed_at": False,
                    "next_attempt_date": False,
                }
            )
            message.conversation_id._mychat_notify("failed", message)

    def action_retry(self):
        """Send failed messages again (an agent fixed the cause), and those waiting for a retry after a
        transient error at once; after commit."""
        retry = self.filtered(
            lambda m: (
                m.direction == "outbound"
                and (
                    m.state == "failed"
                    or (m.state == "queued" and m.failure_reason and not m.send_claimed_at)
                )
            )
        )
        retry.write(
            {
                "state": "queued",
                "send_attempts": 0,
                "failure_reason": False,
                "failure_detail": False,
                "failure_kind": False,
                "send_claimed_at": False,
                "next_attempt_date": fields.Datetime.now(),
            }
        )
        retry._mychat_schedule_send()
        return True

    def action_withdraw(self):
        """Take back mistaken agent replies: deleted on the provider where it allows it (``recalled``), else
        only marked withdrawn for the agents."""
        for message in self.filtered(lambda m: m.direction == "outbound" and not m.withdrawn):
            recalled = message.state != "queued" and message.channel_id._mychat_recall(message)
            message.write({"withdrawn": True, "recalled": bool(recalled)})
            if message.state == "queued":
                message.write({"state": "failed", "failure_reason": _("Withdrawn before it was sent.")})
            message.conversation_id._mychat_notify("withdrawn", message)
        return True

    # ------------------------------------------------------------------
    # Edits made on the provider's side
    # ------------------------------------------------------------------

    @api.model
    def _mychat_apply_edit(self, channel, edit):
        """Apply an InboundEdit: the stored message takes the new text (it stays one message), or loses
        its content when the sender deleted it. An edit of a message never received is stored as new."""
        item = edit.message
        message = self.search(
            [("channel_id", "=", channel.id), ("external_id", "=", item.external_id)], limit=1
        )
        if not message:
            return self if edit.deleted else self.env["mychat.conversation"]._mychat_ingest(channel, item)
        if edit.deleted:
            message.write(
                {
                    "body": _("This message was deleted by the sender."),
                    "attachment_ids": [fields.Command.clear()],
                }
            )
        else:
            message.body = item.body
        message.edited_date = item.date
        message.conversation_id._mychat_discuss_edit(message, deleted=edit.deleted)
        message.conversation_id._mychat_notify("message", message)
        return message

    # ------------------------------------------------------------------
    # Delivery statuses
    # ------------------------------------------------------------------

    def _mychat_apply_status(self, status, error="", error_kind="permanent"):
        """Move the delivery state forward only: late or repeated statuses never move it back. A later
        delivered/read overrides failed (the provider delivered after all). Inbound messages have none."""
        for message in self.filtered(lambda m: m.direction == "outbound"):
            current = message.state
            if status == "failed":
                if current in ("queued", "sent"):
                    message.write(
                        {
                            "state": "failed",
                            "failure_reason": error or _("The provider reported a failure."),
                            "failure_kind": error_kind or "permanent",
                        }
                    )
                    message.conversation_id._mychat_notify("failed", message)
                continue
            if status not in DELIVERY_ORDER:
                continue
            if current == "failed" or DELIVERY_ORDER.get(current, -1) < DELIVERY_ORDER[status]:
                message.state = status
