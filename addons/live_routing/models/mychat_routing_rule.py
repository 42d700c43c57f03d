from odoo import api, fields, models

from ..tools import strategies


class MychatRoutingRule(models.Model):
    _name = "mychat.routing.rule"
    _description = "MyChat Routing Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    channel_ids = fields.Many2many("mychat.channel", string="Channels", help="Empty: every channel.")
    customer_type = fields.Selection(
        [("any", "Any customer"), ("new", "New (not identified)"), ("existing", "Existing customer")],
        default="any",
        required=True,
    )
    partner_tag_ids = fields.Many2many(
        "res.partner.category", string="Customer tags", help="The customer has one of these tags (e.g. VIP)."
    )
    lang_ids = fields.Many2many(
        "res.lang", string="Languages", help="The customer writes in one of these languages."
    )
    country_ids = fields.Many2many("res.country", string="Countries", help="The customer's country.")
    keywords = fields.Char(help="Comma-separated; the first message or the subject contains one of them.")
    data_key = fields.Char(
        string="Collected data key",
        help="A field collected by a bot or a form, e.g. the team chosen in a bot menu ('department').",
    )
    data_value = fields.Char(string="Collected value", help="Empty: any value of the key.")
    team_id = fields.Many2one("crm.team", string="Team", required=True, ondelete="cascade")
    strategy = fields.Selection(strategies.STRATEGIES, help="Empty: the team's strategy.")
    expertise_ids = fields.Many2many(
        "im_livechat.expertise",
        string="Required skills",
        help="Narrow the candidates to agents with these skills.",
    )
    decision_count = fields.Integer(string="Decisions", compute="_compute_decision_count")

    def _compute_decision_count(self):
        counts = dict(
            self.env["mychat.assignment.log"]._read_group(
                [("rule_id", "in", self.ids)], ["rule_id"], ["__count"]
            )
        )
        for rule in self:
            rule.decision_count = counts.get(rule, 0)

    @api.model
    def _mychat_find(self, conversation, message=None):
        """The first active rule whose conditions all hold for ``conversation``."""
        rules = self.sudo().search([("company_id", "in", [False, conversation.company_id.id])])
        return next((rule for rule in rules if rule._mychat_matches(conversation, message)), self.browse())

    def _mychat_matches(self, conversation, message=None):
        self.ensure_one()
        partner = conversation.partner_id
        commercial = partner.commercial_partner_id
        if self.channel_ids and conversation.channel_id not in self.channel_ids:
            return False
        if self.customer_type != "any" and bool(partner) != (self.customer_type == "existing"):
            return False
        if self.partner_tag_ids and not (
            self.partner_tag_ids & (partner.category_id | commercial.category_id)
        ):
            return False
        if self.country_ids and (partner.country_id or commercial.country_id) not in self.country_ids:
            return False
        if self.lang_ids:
            lang = conversation._mychat_language()
            prefixes = {code.split("_")[0].lower() for code in self.lang_ids.mapped("code")}
            if not lang or lang.replace("-", "_").split("_")[0].lower() not in prefixes:
                return False
        if self.keywords:
            text = f"{message.body if message else ''} {conversation.subject or ''}".lower()
            words = [w.strip().lower() for w in self.keywords.split(",") if w.strip()]
            if not any(w in text for w in words):
                return False
        if self.data_key:
            values = [d.value or "" for d in conversation.data_ids if d.key == self.data_key]
            if not values or (
                self.data_value and self.data_value.strip().lower() not in [v.strip().lower() for v in values]
            ):
                return False
        return True

    def action_view_decisions(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("live_routing.mychat_assignment_log_action")
        action["domain"] = [("rule_id", "in", self.ids)]
        return action
