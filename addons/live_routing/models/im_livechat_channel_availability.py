import pytz

from odoo import models


class ImLivechatChannel(models.Model):
    _inherit = "im_livechat.channel"

    def _mychat_visitor_availability(self, session=None, tz=None, lang=None):
        """Who answers the visitor and when: the session's operator (else the first operator MyChat
        considers available) when the team is open, else the team or company with the next opening."""
        self.ensure_one()
        company = self.env.company
        mychat_channel = self.env["mychat.channel"].sudo()._mychat_livechat_channel(company)
        team = mychat_channel.team_id or company._mychat_default_team()
        calendar = team._mychat_opening_calendar(company)
        open_now, next_opening = calendar._mychat_opening() if calendar else (True, False)
        operator = self.env["res.users"]
        if session and session.livechat_operator_id:
            operator = session.livechat_operator_id.user_ids.filtered(lambda u: not u.share)[:1]
        if not operator and open_now:
            candidates = self.sudo().available_operator_ids
            if candidates:
                facts = candidates._mychat_availability(team=team or None)
                operator = candidates.filtered(lambda u: not facts[u.id][0])[:1]
        _ = self.with_context(lang=lang).env._
        tz = tz if tz in pytz.all_timezones_set else None
        if open_now and operator:
            return {
                "online": True,
                "name": operator.partner_id.name,
                "avatar_url": f"/web/image/res.partner/{operator.partner_id.id}/avatar_128",
                "status": _("Online now"),
                "next_opening": False,
            }
        when = calendar._mychat_format_opening(next_opening, tz=tz, lang=lang) if next_opening else ""
        return {
            "online": False,
            "name": team.name or company.name,
            "avatar_url": f"/web/binary/company_logo?company={company.id}",
            "status": _("Back at %s", when) if when else _("Offline now"),
            "next_opening": when,
        }
