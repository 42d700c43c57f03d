"""One recipient of a campaign: the rule applied (skipped with why), the message and its fate."""

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .mychat_message_consent import META_MARKETING_LIMIT

RECIPIENT_STATES = [
    ("pending", "Pending"),
    ("sent", "Sent"),
    ("delivered", "Delivered"),
    ("read", "Read"),
    ("replied", "Replied"),
    ("failed", "Failed"),
    ("skipped", "Skipped"),
]
MESSAGE_STATES = {
    "queued": "pending",
    "sent": "sent",
    "delivered": "delivered",
    "read": "read",
    "failed": "failed",
}


class MychatCampaignRecipient(models.Model):
    _name = "mychat.campaign.recipient"
    _description = "MyChat Campaign Recipient"
    _order = "campaign_id, id"
    _rec_name = "partner_id"

    campaign_id = fields.Many2one("mychat.campaign", required=True, index=True, ondelete="cascade")
    channel_id = fields.Many2one(related="campaign_id.channel_id")
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, ondelete="cascade"
    )
    lead_id = fields.Many2one("crm.lead", string="Lead", ondelete="set null")
    conversation_id = fields.Many2one(
        "mychat.conversation", readonly=True, index="btree_not_null", ondelete="set null"
    )
    message_id = fields.Many2one("mychat.message", readonly=True, ondelete="set null")
    replied_message_id = fields.Many2one("mychat.message", string="Reply", readonly=True, ondelete="set null")
    skip_reason = fields.Char(readonly=True)
    sent_date = fields.Datetime(related="message_id.date", string="Sent on")
    state = fields.Selection(RECIPIENT_STATES, compute="_compute_state", store=True, index=True)
    reason = fields.Char(compute="_compute_state", store=True, help="Why it was skipped or failed.")

    _campaign_partner_uniq = models.Constraint(
        "UNIQUE(campaign_id, partner_id)", "A customer is a recipient of a campaign once."
    )

    @api.depends("skip_reason", "message_id.state", "message_id.failure_reason", "replied_message_id")
    def _compute_state(self):
        for recipient in self:
            message = recipient.message_id
            reason = False
            if recipient.skip_reason:
                state, reason = "skipped", recipient.skip_reason
            elif not message:
                state = "pending"
            elif recipient.replied_message_id:
                state = "replied"
            else:
                state = MESSAGE_STATES.get(message.state, "pending")
                if state == "failed":
                    reason = recipient._mychat_failure_text(message.failure_reason)
            recipient.state = state
            recipient.reason = reason

    @api.model
    def _mychat_failure_text(self, failure):
        if failure and str(META_MARKETING_LIMIT) in failure:
            return _(
                "Meta's per-user marketing limit (131049): the customer already received enough marketing "
                "messages lately. Not retried."
            )
        return failure or _("The provider reported a failure.")

    def _mychat_skip_reason(self):
        """Why this recipient cannot receive the campaign, or False."""
        self.ensure_one()
        channel, partner = self.campaign_id.channel_id, self.partner_id
        try:
            contact = channel._mychat_contact_for(partner, create=False)
        except UserError:
            contact = None
        if not contact and not (channel.channel_type in ("whatsapp", "sms") and partner.phone):
            return _("No address on %s.", channel.name)
        Consent = self.env["mychat.consent"]
        if Consent._mychat_blacklisted(channel, partner, contact):
            return _("Phone number blacklisted.")
        latest = Consent._mychat_latest(channel, partner, contact)
        if latest.state == "opted_out":
            return _("Opted out on %s.", fields.Date.to_string(latest.date))
        if latest.state != "opted_in":
            return _("No opt-in on this channel.")
        return False

    def _mychat_send(self):
        """Apply the rule, then send; a refusal marks the recipient skipped with the reason."""
        for recipient in self:
            campaign = recipient.campaign_id
            reason = recipient._mychat_skip_reason()
            if reason:
                recipient.skip_reason = reason
                continue
            try:
                with self.env.cr.savepoint():
                    conversation, message = (
                        campaign.channel_id.with_user(campaign.user_id or self.env.user)
                        .sudo()
                        ._mychat_start(
                            recipient.partner_id,
                            body=campaign.body if not campaign.template_id else None,
                            template=campaign.template_id or None,
                            values=campaign._mychat_values(recipient.partner_id, recipient.lead_id),
                            lead=recipient.lead_id or None,
                            campaign=campaign,
                        )
                    )
            except UserError as error:
                recipient.skip_reason = str(error)
                continue
            recipient.write({"conversation_id": conversation.id, "message_id": message.id})
