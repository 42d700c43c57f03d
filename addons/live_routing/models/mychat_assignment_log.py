from odoo import fields, models

from ..tools import strategies

KINDS = [
    ("rule", "Routing"),
    ("owner", "Owner first"),
    ("queue", "Queue"),
    ("escalation", "Tier escalation"),
    ("sla", "SLA breach"),
    ("transfer", "Transfer"),
    ("invite", "Invitation"),
    ("manual", "Manual"),
]


class MychatAssignmentLog(models.Model):
    _name = "mychat.assignment.log"
    _description = "MyChat Assignment Decision"
    _order = "id desc"
    _rec_name = "reason"

    conversation_id = fields.Many2one("mychat.conversation", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="conversation_id.company_id", store=True, index=True)
    user_id = fields.Many2one(
        "res.users", string="Assigned to", index="btree_not_null", help="Empty: queued."
    )
    previous_user_id = fields.Many2one("res.users", string="Previous agent")
    team_id = fields.Many2one("crm.team", string="Team", index="btree_not_null")
    rule_id = fields.Many2one(
        "mychat.routing.rule", string="Routing rule", index="btree_not_null", ondelete="set null"
    )
    kind = fields.Selection(KINDS, required=True, default="rule")
    strategy = fields.Selection(strategies.STRATEGIES)
    outcome = fields.Selection(
        [("assigned", "Assigned"), ("queued", "Queued"), ("kept", "Kept"), ("notified", "Notified")],
        required=True,
        default="assigned",
    )
    reason = fields.Text(
        required=True, help="Why: rule, strategy, and the candidates skipped with their reason."
    )
    skipped = fields.Text(string="Skipped candidates")
    skipped_count = fields.Integer()
    author_id = fields.Many2one("res.users", string="Decided by", default=lambda self: self.env.user)
