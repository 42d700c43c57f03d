from odoo import api, fields, models


class MychatLeadRule(models.Model):
    _name = "mychat.lead.rule"
    _description = "MyChat Lead Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    channel_ids = fields.Many2many("mychat.channel", string="Channels", help="Empty: every channel.")
    only_unknown = fields.Boolean(
        string="Unknown senders only", default=True, help="Only senders not matched to a customer."
    )
    keywords = fields.Char(
        help="Comma-separated; empty: any message. The rule applies when one of them occurs."
    )
    rule_type = fields.Selection(
        [("lead", "Lead / opportunity")],
        string="Creates",
        default="lead",
        required=True,
        help="What the rule opens: a lead or opportunity, or (with the project and helpdesk bridges) a "
        "service request.",
    )
    team_id = fields.Many2one("crm.team", string="Sales Team")
    user_id = fields.Many2one("res.users", string="Salesperson")
    lead_type = fields.Selection(
        [("lead", "Lead"), ("opportunity", "Opportunity")], default="lead", required=True
    )
    tag_ids = fields.Many2many("crm.tag", string="Tags")
    lead_count = fields.Integer(compute="_compute_lead_count")

    def _compute_lead_count(self):
        counts = dict(
            self.env["crm.lead"]
            .with_context(active_test=False)
            ._read_group([("mychat_lead_rule_id", "in", self.ids)], ["mychat_lead_rule_id"], ["__count"])
        )
        for rule in self:
            rule.lead_count = counts.get(rule, 0)

    def _matches(self, conversation, message):
        self.ensure_one()
        if self.channel_ids and conversation.channel_id not in self.channel_ids:
            return False
        if self.only_unknown and conversation.partner_id:
            return False
        if self.company_id and self.company_id != conversation.company_id:
            return False
        words = [w.strip().lower() for w in (self.keywords or "").split(",") if w.strip()]
        return not words or any(w in (message.body or "").lower() for w in words)

    @api.model
    def _mychat_apply(self, conversation, message):
        """Link the conversation to the open lead of its sender, or create one with the first matching
        rule. Never a second open lead for the same contact or partner. A service request rule opens its
        request instead (see ``_mychat_apply_service``)."""
        rules = self.sudo().search([])
        if conversation.lead_id:
            rules = rules.filtered(lambda r: r.rule_type != "lead")
        rule = next((r for r in rules if r._matches(conversation, message)), None)
        if not rule:
            return conversation.lead_id or False
        if rule.rule_type != "lead":
            return rule._mychat_apply_service(conversation, message)
        conversation._mychat_lock_sender()
        lead = conversation._mychat_find_open_lead()
        if not lead:
            lead = self.env["crm.lead"].sudo().create(rule._lead_values(conversation, message))
        conversation.lead_id = lead
        return lead

    def _mychat_apply_service(self, conversation, message):
        """Hook of the service request bridges: open the rule's request for ``conversation`` (unless it
        has an open one) and return it."""
        return False

    def _lead_values(self, conversation, message):
        self.ensure_one()
        return {
            **conversation._mychat_lead_values(message),
            "type": self.lead_type,
            "team_id": (self.team_id or conversation.team_id or conversation.channel_id.team_id).id,
            "user_id": self.user_id.id,
            "tag_ids": [fields.Command.set(self.tag_ids.ids)],
            "mychat_lead_rule_id": self.id,
        }

    def action_view_leads(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("crm.crm_lead_all_leads")
        action["domain"] = [("mychat_lead_rule_id", "in", self.ids)]
        action["context"] = {"active_test": False}
        return action
