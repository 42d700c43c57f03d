from odoo import _, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    mychat_consent_ids = fields.One2many(
        "mychat.consent",
        "partner_id",
        string="Messaging consent",
        groups="mychat_omnichannel.group_mychat_user",
    )
    mychat_consent_summary = fields.Char(
        compute="_compute_mychat_consent_summary",
        string="Consent",
        groups="mychat_omnichannel.group_mychat_user",
    )

    def _compute_mychat_consent_summary(self):
        Consent = self.env["mychat.consent"]
        labels = dict(Consent._fields["state"]._description_selection(self.env))
        for partner in self:
            current = {}
            for consent in partner.sudo().mychat_consent_ids.sorted(lambda c: (c.date, c.id)):
                current[consent.channel_id] = consent.state
            partner.mychat_consent_summary = (
                ", ".join(f"{channel.name}: {labels[state]}" for channel, state in current.items()) or False
            )

    def action_mychat_start_conversation(self):
        """The "Start a conversation" wizard for these partners."""
        return self.env["mychat.start.conversation"]._mychat_action(partners=self)

    def action_mychat_new_campaign(self):
        """A draft campaign whose audience is these partners."""
        return {
            "type": "ir.actions.act_window",
            "name": _("New campaign"),
            "res_model": "mychat.campaign",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {
                "default_name": _("Campaign for %s contacts", len(self)),
                "default_partner_domain": repr([("id", "in", self.ids)]),
            },
        }
