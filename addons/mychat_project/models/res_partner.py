from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    mychat_task_ids = fields.Many2many(
        "project.task",
        compute="_compute_mychat_task_ids",
        string="Tasks from conversations",
        help="Tasks opened from or linked to the conversations of this customer and its contacts.",
        groups="mychat_omnichannel.group_mychat_user",
    )

    def _compute_mychat_task_ids(self):
        Task = self.env["project.task"]
        for partner in self:
            partner.mychat_task_ids = (
                Task.search(
                    [("mychat_conversation_ids", "any", partner._mychat_family_conversation_domain())],
                    order="id desc",
                )
                if partner.id
                else Task
            )
