from odoo import _, models
from odoo.exceptions import AccessError, UserError


class MychatConversation(models.Model):
    """The web client side of a conversation living in Discuss: the chat-first view's data and the
    templates the Discuss composer offers outside the reply window."""

    _inherit = "mychat.conversation"

    def mychat_discuss_templates(self):
        """The approved templates usable on this conversation's channel, for the composer."""
        self.ensure_one()
        return [
            {
                "id": t.id,
                "name": t.name,
                "lang": t.lang or "",
                "body": t.body,
                "variable_count": t.variable_count,
            }
            for t in self.env["mychat.template"]._mychat_usable_for(self.channel_id)
        ]

    def mychat_chat_first_data(self):
        """Everything the chat-first conversation view shows beside the Discuss thread, in one call."""
        self.ensure_one()
        channel = self.sudo().discuss_channel_id if "discuss_channel_id" in self._fields else False
        return {
            "id": self.id,
            "discuss_channel_id": channel.id if channel else False,
            "state": self.state,
            "channel_name": self.channel_id.name,
            "channel_type": self.channel_type,
            "awaiting_reply_since": self.awaiting_reply_since,
            "user_id": self.user_id.id,
            "customer": self._mychat_customer_panel(),
            "agents": [
                {"id": user.id, "name": user.name}
                for user in self.env.ref("mychat_omnichannel.group_mychat_user").all_user_ids.filtered(
                    lambda u: u.active and not u.share and u != self.env.user
                )
            ],
        }

    # ------------------------------------------------------------------
    # The reply window is closed: other ways to reach the customer
    # ------------------------------------------------------------------

    def mychat_window_fallback(self):
        """What the composer offers once the reply window is closed, beside the approved templates: the
        other channels that reach the same customer with free text now (SMS, Telegram: no window), e-mail
        through the customer's chatter, and for managers a way to get a template."""
        self.ensure_one()
        partner = self.partner_id
        channels = self.env["mychat.channel"]
        if partner:
            Consent = self.env["mychat.consent"]
            channels = channels.search(
                [("id", "!=", self.channel_id.id), ("company_id", "in", self.env.companies.ids)]
            ).filtered(
                lambda c: (
                    not c._mychat_window_hours()
                    and c._mychat_can_reach(partner)
                    and Consent._mychat_status(c, partner) != "opted_out"
                )
            )
        manager = self.env.user.has_group("mychat_omnichannel.group_mychat_manager")
        return {
            "channel_id": self.channel_id.id,
            "partner_name": partner.display_name or "",
            "channels": [{"id": c.id, "name": c.name, "channel_type": c.channel_type} for c in channels],
            "email": bool(partner.email),
            "can_create_template": manager,
            "can_sync_templates": manager
            and self.channel_type == "whatsapp"
            and bool(self.channel_id.whatsapp_business_account_id),
        }

    def action_mychat_reach_by(self, channel_id):
        """Write to this conversation's customer on another channel: the start-a-conversation dialog with
        the customer and that channel chosen."""
        self.ensure_one()
        if not self.partner_id:
            raise UserError(_("This conversation has no customer yet: identify them first."))
        channel = self.env["mychat.channel"].browse(int(channel_id)).exists()
        return self.env["mychat.start.conversation"]._mychat_action(partners=self.partner_id, channel=channel)

    def action_mychat_email(self):
        """Write to this conversation's customer by e-mail, from their chatter (Odoo's mail composer)."""
        self.ensure_one()
        partner = self.partner_id
        if not partner.email:
            raise UserError(_("%s has no e-mail address.", partner.display_name or _("This customer")))
        return {
            "type": "ir.actions.act_window",
            "name": _("E-mail %s", partner.display_name),
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_composition_mode": "comment",
                "default_model": "res.partner",
                "default_res_ids": partner.ids,
                "default_partner_ids": partner.ids,
                "default_subtype_xmlid": "mail.mt_comment",
            },
        }

    def action_mychat_new_template(self):
        """For managers: a new template for this conversation's channel, to be approved by the provider."""
        self.ensure_one()
        if not self.env.user.has_group("mychat_omnichannel.group_mychat_manager"):
            raise AccessError(_("Only MyChat managers add templates."))
        return {
            "type": "ir.actions.act_window",
            "name": _("New template"),
            "res_model": "mychat.template",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_channel_id": self.channel_id.id,
                "default_channel_type": self.channel_type,
                "default_status": "draft",
            },
        }
