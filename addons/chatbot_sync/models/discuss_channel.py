from odoo import _, models
from odoo.tools import html2plaintext

# answers to these step types are also the visitor's contact details
CONTACT_STEP_FIELDS = {"question_email": "email", "question_phone": "phone"}


class DiscussChannel(models.Model):
    """Odoo chatbot (chatbot.script) sessions: bot flag, answers as collected data, hand-off."""

    _inherit = "discuss.channel"

    def _mychat_conversation(self):
        new = not self.mychat_conversation_id
        conversation = super()._mychat_conversation()
        script = (
            self.channel_member_ids.chatbot_script_id[:1] or self.chatbot_current_step_id.chatbot_script_id
        )
        if new and script:
            conversation.write({"is_chatbot": True, "subject": script.title})
        return conversation

    def _chatbot_collect_answer(self, step, value):
        """Store a visitor's answer to a script step; an email or phone answer also identifies the visitor."""
        self.ensure_one()
        conversation = self._mychat_conversation()
        key = CONTACT_STEP_FIELDS.get(step.step_type) or f"chatbot_step_{step.id}"
        label = html2plaintext(step.message or "").strip()[:120] or step.name
        self.env["mychat.conversation.data"]._mychat_upsert(conversation, [(key, label, value)], "bot")
        field = CONTACT_STEP_FIELDS.get(step.step_type)
        contact = conversation.contact_id
        if field:
            contact.write(contact._mychat_normalize_vals({field: value}, conversation.channel_id))
            contact._mychat_identify()  # a no-op once the visitor is identified

    def _convert_visitor_to_lead(self, partner, key):
        lead = super()._convert_visitor_to_lead(partner, key)
        self.sudo()._mychat_link_lead(lead)
        return lead

    def _mychat_link_lead(self, lead):
        """Link a lead created from the session to its conversation, unless it already has one."""
        conversation = self.mychat_conversation_id
        if lead and conversation and not conversation.lead_id:
            conversation.lead_id = lead

    def _forward_human_operator(self, chatbot_script_step=None, users=None):
        posted = super()._forward_human_operator(chatbot_script_step=chatbot_script_step, users=users)
        if self.channel_type == "livechat" and chatbot_script_step:
            reason = html2plaintext(chatbot_script_step.message or "").strip() or _(
                "The visitor asked for a human."
            )
            operator_found = (
                self.livechat_operator_id != chatbot_script_step.chatbot_script_id.operator_partner_id
            )
            self.sudo()._chatbot_handoff(reason, operator_found)
        return posted

    def _chatbot_handoff(self, reason, operator_found):
        conversation = self._mychat_conversation()
        # nobody took the chat: the script's next steps run only if the settings say so
        keep_script = not operator_found and conversation._chatbot_param("keep_script_without_operator")
        conversation._chatbot_request_handoff(reason, go_live=not keep_script)
