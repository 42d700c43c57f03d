from odoo import http
from odoo.http import request

from odoo.addons.mail.controllers.thread import ThreadController


def _canned_ids(kwargs):
    return [cid for cid in kwargs.get("canned_response_ids") or [] if isinstance(cid, int)]


def _is_mychat_channel(thread):
    return (
        thread._name == "discuss.channel"
        and thread.channel_type in ("mychat", "livechat")
        and bool(thread._mychat_ui_conversation())
    )


class MychatThreadController(ThreadController):
    """Quick replies in Discuss are Odoo's canned responses (``::``); on a MyChat conversation they also
    bring their images and count one use (the ranking of the suggestions)."""

    def _prepare_message_data(self, post_data, *, thread, **kwargs):
        res = super()._prepare_message_data(post_data, thread=thread, **kwargs)
        canned_ids = _canned_ids(kwargs)
        if canned_ids and _is_mychat_channel(thread):
            # sudo: the images of a quick reply the agent may use are copied onto the message
            canned = request.env["mail.canned.response"].browse(canned_ids).exists().sudo()
            copies = [
                attachment.copy({"res_model": thread._name, "res_id": thread.id}).id
                for attachment in canned.mychat_attachment_ids
            ]
            if copies:
                res["attachment_ids"] = list(res.get("attachment_ids") or []) + copies
        return res

    @http.route()
    def mail_message_post(self, thread_model, thread_id, post_data, context=None, **kwargs):
        res = super().mail_message_post(thread_model, thread_id, post_data, context=context, **kwargs)
        canned_ids = _canned_ids(kwargs)
        if canned_ids and thread_model == "discuss.channel":
            channel = request.env["discuss.channel"].browse(int(thread_id)).exists()
            if channel and _is_mychat_channel(channel):
                request.env["mail.canned.response"].browse(canned_ids).exists()._mychat_register_use()
        return res
