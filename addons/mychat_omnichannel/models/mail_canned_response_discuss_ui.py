from odoo import models


class MailCannedResponse(models.Model):
    _inherit = "mail.canned.response"

    def _to_store_defaults(self, target):
        # the "::" suggestions rank the most used quick replies first
        return [*super()._to_store_defaults(target), "mychat_usage_count"]
