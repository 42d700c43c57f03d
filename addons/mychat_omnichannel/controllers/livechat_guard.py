"""Rate limits on the website live chat (contract "Abuse"): new sessions and visitor messages, per IP
address and per guest. Over a limit the request answers HTTP 429 with Retry-After (see models/ir_http.py)
and creates nothing; the refusal is counted in mychat.rate.block for the managers."""

from odoo.exceptions import UserError, ValidationError
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
    def get_session(
        self, channel_id, previous_operator_id=None, chatbot_script_id=None, persisted=True, **kwargs
    ):
        answers = kwargs.pop("mychat_prechat", None)
        kwargs.pop("recaptcha_token_response", None)  # read from request.params by the captcha check
        # only a persisted session creates records; the temporary one the chat window opens with is free
        if persisted and mychat_rate_limited("session"):
            return False
        livechat = request.env["im_livechat.channel"].sudo().browse(int(channel_id)).exists()
        form = (
            persisted and livechat.mychat_prechat and not chatbot_script_id and request.env.user._is_public()
        )
        if form:
            answers = livechat._mychat_clean_answers(answers)
            if livechat._mychat_prechat_errors(answers) or not self._mychat_captcha_ok(livechat):
                return False
        result = super().get_session(channel_id, previous_operator_id, chatbot_script_id, persisted, **kwargs)
        if form and isinstance(result, dict) and result.get("channel_id"):
            session = request.env["discuss.channel"].sudo().browse(result["channel_id"])
            session._mychat_apply_prechat(answers)
        return result

    def _mychat_captcha_ok(self, livechat):
        """Odoo's own captcha (google_recaptcha / website_cf_turnstile when installed; a no-op otherwise)."""
        if not livechat.mychat_prechat_captcha:
            return True
        try:
            request.env["ir.http"]._verify_request_recaptcha_token("mychat_prechat")
        except (UserError, ValidationError):
            request.env["mychat.rate.block"].sudo()._mychat_count(
                "captcha", request.httprequest.remote_addr or ""
            )
            return False
        return True

    @route("/mychat/livechat/prechat/check", type="jsonrpc", auth="public", methods=["POST"], cors="*")
    def mychat_prechat_check(self, channel_id, answers=None, **kwargs):
        """Validate the pre-chat answers before the session starts: ``{"errors": {field: message}}``."""
        try:
            livechat = request.env["im_livechat.channel"].sudo().browse(int(channel_id)).exists()
        except (TypeError, ValueError):
            livechat = None
        if not livechat:
            return {"errors": {"form": request.env._("This live chat channel does not exist.")}}
        return {"errors": livechat._mychat_prechat_errors(livechat._mychat_clean_answers(answers))}


class MychatLivechatThreadController(ThreadController):
    @route()
    def mail_message_post(self, thread_model, thread_id, post_data, context=None, **kwargs):
        livechat = thread_model == "discuss.channel" and self._mychat_is_livechat(thread_id)
        if livechat and mychat_rate_limited("message"):
            return False
        return super().mail_message_post(thread_model, thread_id, post_data, context, **kwargs)

    def _mychat_is_livechat(self, thread_id):
        try:
            channel = request.env["discuss.channel"].sudo().browse(int(thread_id)).exists()
        except (TypeError, ValueError):
            return False
        return channel.channel_type == "livechat"
