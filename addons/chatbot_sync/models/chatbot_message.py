from odoo import models
from odoo.tools import html2plaintext


class ChatbotMessage(models.Model):
    """Every way an answer reaches a chatbot step (typed text, selected option) ends in a write here."""

    _inherit = "chatbot.message"

    def write(self, vals):
        result = super().write(vals)
        if "user_raw_answer" in vals or "user_script_answer_id" in vals:
            self.sudo()._chatbot_sync_collect()
        return result

    def _chatbot_sync_collect(self):
        for answer in self:
            value = answer.user_script_answer_id.name or html2plaintext(answer.user_raw_answer or "").strip()
            session = answer.discuss_channel_id
            if answer.script_step_id and value and session.channel_type == "livechat":
                session._chatbot_collect_answer(answer.script_step_id, value)
