from odoo import fields, models


class MailCannedResponse(models.Model):
    _inherit = "mail.canned.response"

    mychat_usage_count = fields.Integer(string="Times sent", readonly=True, copy=False)
    mychat_link_text = fields.Char(string="Link button text")
    mychat_link_url = fields.Char(string="Link button URL")
    mychat_attachment_ids = fields.Many2many(
        "ir.attachment", "mail_canned_response_mychat_attachment_rel", string="Images and files"
    )

    def _mychat_register_use(self):
        """Count one more customer message sent with these quick replies."""
        for response in self.sudo():
            response.write(
                {"mychat_usage_count": response.mychat_usage_count + 1, "last_used": fields.Datetime.now()}
            )
