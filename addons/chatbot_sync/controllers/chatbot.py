from odoo import http
from odoo.http import request

from odoo.addons.im_livechat.controllers.chatbot import LivechatChatbotScriptController
from odoo.addons.mail.tools.discuss import Store, add_guest_to_context


class ChatbotSyncController(LivechatChatbotScriptController):
    @http.route()
    @add_guest_to_context
    def chatbot_trigger_step(self, channel_id, chatbot_script_id=None, data_id=None):
        """In live mode the script stays where it is: a human answers. The visitor's window is told the
        step is handled by an operator, so it keeps the composer open and stops running the script."""
        channel = request.env["discuss.channel"].search([("id", "=", channel_id)])
        # sudo: discuss.channel - reading the mode and current step of the visitor's own session
        channel_sudo = channel.sudo()
        step = channel_sudo.chatbot_current_step_id
        if not (step and channel_sudo.mychat_conversation_id.chatbot_mode == "live"):
            return super().chatbot_trigger_step(
                channel_id, chatbot_script_id=chatbot_script_id, data_id=data_id
            )
        chatbot = step.chatbot_script_id
        partner, guest = request.env["res.partner"]._get_current_persona()
        store = Store(bus_channel=partner or guest)
        store.data_id = data_id
        live_step = {"scriptStep": step.id, "message": False, "operatorFound": True}
        store.resolve_data_request(chatbot_step=live_step)
        store.add_model_values("ChatbotStep", {"id": (step.id, False), "isLast": False, **live_step})
        store.add_model_values(
            "Chatbot",
            {
                "currentStep": {"id": (step.id, False), "scriptStep": step.id, "message": False},
                "id": (chatbot.id, channel.id),
                "script": chatbot.id,
                "thread": Store.One(channel, [], as_thread=True),
                "steps": [("ADD", [{"scriptStep": step.id, "message": False}])],
            },
        )
        store.bus_send()
        return None
