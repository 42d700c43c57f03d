import logging
import time
from datetime import timedelta

import requests

from odoo import _, api, fields, models

from ..tools import webhooks

_logger = logging.getLogger(__name__)

BATCH = 100


class MychatWebhookDelivery(models.Model):
    """One event for one subscription: the exact body signed, its attempts, retried with backoff."""

    _name = "mychat.webhook.delivery"
    _description = "MyChat Webhook Delivery"
    _order = "id desc"
    _rec_name = "webhook_id"

    subscription_id = fields.Many2one(
        "mychat.webhook.subscription", required=True, ondelete="cascade", index=True, readonly=True
    )
    event_type = fields.Char(required=True, readonly=True, index=True)
    webhook_id = fields.Char(
        string="Webhook id",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: webhooks.new_webhook_id(),
        help="The webhook-id header: the same on every retry, so receivers can drop duplicates.",
    )
    payload = fields.Text(readonly=True, help="The exact JSON body sent (and signed).")
    conversation_id = fields.Many2one(
        "mychat.conversation", readonly=True, ondelete="set null", index="btree_not_null"
    )
    message_id = fields.Many2one("mychat.message", readonly=True, ondelete="set null", index="btree_not_null")
    state = fields.Selection(
        [("pending", "Waiting"), ("done", "Delivered"), ("failed", "Given up"), ("cancelled", "Cancelled")],
        default="pending",
        required=True,
        readonly=True,
        index=True,
    )
    attempt_count = fields.Integer(string="Attempts", readonly=True)
    next_attempt_date = fields.Datetime(
        readonly=True, index="btree_not_null", default=lambda self: fields.Datetime.now()
    )
    last_status_code = fields.Integer(string="Last response code", readonly=True, help="0: no answer.")
    last_error = fields.Text(readonly=True)
    done_date = fields.Datetime(string="Delivered on", readonly=True)
    attempt_ids = fields.One2many(
        "mychat.webhook.attempt", "delivery_id", string="Attempts log", readonly=True
    )

    _webhook_id_uniq = models.Constraint("UNIQUE(webhook_id)", "A webhook id is used by one delivery only.")

    # ------------------------------------------------------------------
    # Queue
    # ------------------------------------------------------------------

    @api.model
    def _mychat_create(self, subscription, event_type, data, conversation=None, message=None):
        return self.sudo().create(
            {
                "subscription_id": subscription.id,
                "event_type": event_type,
                "payload": webhooks.body(event_type, data).decode(),
                "conversation_id": conversation.id if conversation else False,
                "message_id": message.id if message else False,
            }
        )

    @api.model
    def _mychat_enqueue(self, event_type, data, conversation=None, message=None):
        """Queue ``event_type`` for every active subscription that wants it. The rows belong to the
        current transaction: a rollback sends nothing; the delivery cron sends them after the commit."""
        subscriptions = (
            self.env["mychat.webhook.subscription"].sudo().search([("active", "=", True)])
        ).filtered(lambda s: s._mychat_wants(event_type))
        if not subscriptions:
            return self.browse()
        deliveries = self.browse()
        for subscription in subscriptions:
            deliveries |= self._mychat_create(subscription, event_type, data, conversation, message)
        self._mychat_trigger()
        return deliveries

    @api.model
    def _mychat_trigger(self, when=None):
        """Wake the delivery cron (once per transaction for immediate sends). The trigger row is part of
        the transaction, and the cron runner is only notified after the commit."""
        cron = self.env.ref("mychat_omnichannel.ir_cron_webhook_deliver", raise_if_not_found=False)
        if not cron:
            return
        if when:
            cron.sudo()._trigger(when)
            return
        data = self.env.cr.precommit.data
        if not data.get("mychat.webhook.triggered"):
            data["mychat.webhook.triggered"] = True
            cron.sudo()._trigger()

    @api.model
    def _cron_deliver(self):
        due = self.sudo().search(
            [("state", "=", "pending"), ("next_attempt_date", "<=", fields.Datetime.now())],
            order="next_attempt_date, id",
            limit=BATCH,
        )
        in_cron = bool(self.env.context.get("ir_cron_progress_id"))
        for delivery in due:
            delivery._mychat_attempt()
            if in_cron:  # each attempt is kept even if a later one breaks
                self.env["ir.cron"]._commit_progress(1)
        if len(due) == BATCH:
            self._mychat_trigger()

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------

    def _mychat_attempt(self):
        """POST the stored body once, signed for this attempt; log it and schedule the next one."""
        for delivery in self.filtered(lambda d: d.state == "pending"):
            subscription = delivery.subscription_id
            if not subscription.active:
                delivery.write({"state": "cancelled", "next_attempt_date": False})
                continue
            body = (delivery.payload or "").encode()
            headers = webhooks.headers(subscription.secret, delivery.webhook_id, body, time.time())
            started = time.monotonic()
            code, error = 0, ""
            try:
                response = requests.post(
                    subscription.url,
                    data=body,
                    headers=headers,
                    timeout=webhooks.TIMEOUT,
                    allow_redirects=False,
                )
                code = response.status_code
                if not 200 <= code < 300:
                    error = _("HTTP %(code)s: %(text)s", code=code, text=(response.text or "")[:300])
            except requests.exceptions.RequestException as exc:
                error = _("No answer: %s", exc)
            ok = not error
            attempts = delivery.attempt_count + 1
            self.env["mychat.webhook.attempt"].sudo().create(
                {
                    "delivery_id": delivery.id,
                    "status_code": code,
                    "error": error or False,
                    "duration_ms": int((time.monotonic() - started) * 1000),
                    "success": ok,
                }
            )
            vals = {"attempt_count": attempts, "last_status_code": code, "last_error": error or False}
            if ok:
                vals.update(state="done", done_date=fields.Datetime.now(), next_attempt_date=False)
            elif attempts <= len(webhooks.RETRY_DELAYS):
                when = fields.Datetime.now() + timedelta(seconds=webhooks.RETRY_DELAYS[attempts - 1])
                vals["next_attempt_date"] = when
                self._mychat_trigger(when)
            else:
                vals.update(state="failed", next_attempt_date=False)
                _logger.info(
                    "MyChat webhook %s to %s given up: %s", delivery.webhook_id, subscription.url, error
                )
            delivery.write(vals)
            subscription._mychat_record_result(ok, error)

    def action_retry(self):
        """Send again now (same webhook-id): given-up or cancelled deliveries included."""
        self.filtered(lambda d: d.state != "done").write(
            {"state": "pending", "next_attempt_date": fields.Datetime.now()}
        )
        self._mychat_trigger()
        return True
