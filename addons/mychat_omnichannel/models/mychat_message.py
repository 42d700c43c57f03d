import logging
from datetime import timedelta

from odoo import _, api, fields, models

from ..const import SEND_RETRY_DELAYS
from ..tools.provider_error import ProviderError

_logger = logging.getLogger(__name__)

DELIVERY_ORDER = {"queued": 0, "sent": 1, "delivered": 2, "read": 3}


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
    body = fields.Text()
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

    _channel_external_uniq = models.UniqueIndex("(channel_id, external_id) WHERE external_id IS NOT NULL")

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

    def _mychat_attempt_send(self):
        """Try to send queued outbound messages once. Transient failures are retried later by the cron
        (see SEND_RETRY_DELAYS); anything else fails at once with the provider's reason."""
        for message in self.filtered(lambda m: m.state == "queued" and m.direction == "outbound"):
            channel = message.channel_id
            message.send_attempts += 1
            try:
                external_id = channel._mychat_send(message)
            except ProviderError as error:
                message._mychat_send_failed(error)
                continue
            message.write(
                {
                    "state": "sent",
                    "external_id": external_id or False,
                    "failure_reason": False,
                    "failure_kind": False,
                    "next_attempt_date": False,
                }
            )

    def _mychat_send_failed(self, error):
        self.ensure_one()
        retries_left = self.send_attempts <= len(SEND_RETRY_DELAYS)
        if error.retryable and retries_left:
            delay = max(SEND_RETRY_DELAYS[self.send_attempts - 1], error.retry_after or 0)
            when = fields.Datetime.now() + timedelta(seconds=delay)
            self.write({"failure_reason": str(error), "failure_kind": error.kind, "next_attempt_date": when})
            self.env.ref("mychat_omnichannel.ir_cron_send_queued")._trigger(when)
            return
        _logger.info("MyChat message %s failed: %s", self.id, error)
        self.write(
            {
                "state": "failed",
                "failure_reason": str(error),
                "failure_kind": error.kind,
                "next_attempt_date": False,
            }
        )
        self.conversation_id._mychat_notify("failed", self)

    @api.model
    def _cron_send_queued(self):
        due = self.search(
            [
                ("state", "=", "queued"),
                ("direction", "=", "outbound"),
                ("next_attempt_date", "<=", fields.Datetime.now()),
            ],
            order="next_attempt_date, id",
            limit=200,
        )
        for message in due:
            message._mychat_attempt_send()
            self.env["ir.cron"]._commit_progress(1)

    def action_retry(self):
        """Send failed messages again (an agent fixed the cause)."""
        self.filtered(lambda m: m.state == "failed" and m.direction == "outbound").write(
            {"state": "queued", "send_attempts": 0, "failure_reason": False, "failure_kind": False}
        )
        self._mychat_attempt_send()
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
