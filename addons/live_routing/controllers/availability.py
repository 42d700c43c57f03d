from odoo import http
from odoo.http import request


class MychatLivechatAvailability(http.Controller):
    @http.route("/mychat/livechat/availability", type="jsonrpc", auth="public", methods=["POST"], cors="*")
    def mychat_livechat_availability(self, channel_id, session_id=None, tz=None, **kwargs):
        """What the website visitor's chat window shows: ``{"online", "name", "avatar_url", "status",
        "next_opening"}``, from MyChat's availability and the team's opening hours."""
        try:
            livechat = request.env["im_livechat.channel"].sudo().browse(int(channel_id)).exists()
        except (TypeError, ValueError):
            livechat = None
        if not livechat:
            return {}
        session = request.env["discuss.channel"]
        if session_id:
            try:
                session = session.sudo().browse(int(session_id)).exists()
            except (TypeError, ValueError):
                session = request.env["discuss.channel"]
            guest = request.env["mail.guest"]._get_guest_from_context()
            mine = session and (
                (guest and guest in session.channel_member_ids.guest_id)
                or request.env.user.partner_id in session.channel_member_ids.partner_id
            )
            if not mine or session.livechat_channel_id != livechat:
                session = request.env["discuss.channel"]
        return livechat._mychat_visitor_availability(session=session, tz=tz, lang=request.env.lang)
