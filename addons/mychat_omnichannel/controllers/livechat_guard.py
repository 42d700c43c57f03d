"""Rate limits on the website live chat (contract "Abuse"): new sessions and visitor messages, per IP
address and per guest. Over a limit the request answers HTTP 429 with Retry-After (see models/ir_http.py)
and creates nothing; the refusal is counted in mychat.rate.block for the managers."""

from odoo.http import request, route

from odoo.addons.im_livechat.controllers.main import LivechatController
from odoo.addons.im_livechat.controllers.thread import ThreadController


def _guest():
    Guest = request.env["mail.guest"].sudo()
    guest = Guest._get_guest_from_context()
    if not guest:
        guest = Guest._get_guest_from_token(request.cookies.get(Guest._cookie_name, ""))
    return guest


def mychat_rate_limited(kind):
    """Check the IP and guest limits of ``kind`` (``session`` or ``message``); True when refused (the
    response becomes a 429). Logged-in internal users are never limited."""
    if not request.env.user._is_public() and request.env.user._is_internal():
        return False
    Block = request.env["mychat.rate.block"].sudo()
    ip = request.httprequest.remote_addr or ""
    wait = Block._mychat_check(f"{kind}_ip", ip)
    guest = _guest()
    if not wait and guest:
        wait = Block._mychat_check(f"{kind}_guest", f"guest:{guest.id}")
    if wait:
        request.mychat_retry_after = wait
        return True
    return False


class MychatLivechatController(LivechatController):
    @route()
    def get_session(self, channel_id, previous_operator_id=None, chatbot_script_id=None, persisted=True, **kwargs):
        # only a persisted session creates records; the temporary one the chat window opens with is free
        if persisted and mychat_rate_limited("session"):
            return False
        return super().get_session(channel_id, previous_operator_id, chatbot_script_id, persisted, **kwargs)


class MychatLivechatThreadController(ThreadController):
    @route()
    def mail_message_post(self, thread_model, thread_id, post_data, context=None, **kwargs):
        if thread_model == "discuss.channel" and self._mychat_is_livechat(thread_id):
            if mychat_rate_limited("message"):
                return False
        return super().mail_message_post(thread_model, thread_id, post_data, context, **kwargs)

    def _mychat_is_livechat(self, thread_id):
        try:
            channel = request.env["discuss.channel"].sudo().browse(int(thread_id)).exists()
        except (TypeError, ValueError):
            return False
        return channel.channel_type == "livechat"
