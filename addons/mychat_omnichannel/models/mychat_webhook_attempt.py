from odoo import fields, models


class MychatWebhookAttempt(models.Model):
    """The delivery log: one line per POST, with the receiver's response code."""

    _name = "mychat.webhook.attempt"
    _description = "MyChat Webhook Attempt"
    _order = "id desc"

    delivery_id = fields.Many2one("mychat.webhook.delivery", required=True, ondelete="cascade", index=True)
    subscription_id = fields.Many2one(related="delivery_id.subscription_id", store=True, index=True)
    date = fields.Datetime(default=fields.Datetime.now, required=True, readonly=True)
    status_code = fields.Integer(
        string="Response code", readonly=True, help="0: no answer (timeout, refused)."
    )
    success = fields.Boolean(readonly=True)
    error = fields.Text(readonly=True)
    duration_ms = fields.Integer(string="Duration (ms)", readonly=True)
