from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    mychat_project_id = fields.Many2one(
        "project.project",
        string="MyChat service project",
        help="Tasks opened from conversations go to this project unless another one is chosen.",
    )
