from odoo import models


class ChatbotScriptStep(models.Model):
    _inherit = "chatbot.script.step"

    def _process_step_create_lead(self, discuss_channel):
        """A lead the script creates (crm_livechat's create_lead steps) is the conversation's lead."""
        leads = super()._process_step_create_lead(discuss_channel)
        discuss_channel.sudo()._mychat_link_lead(leads[:1])
        return leads
