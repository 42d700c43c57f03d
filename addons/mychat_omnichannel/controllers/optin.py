"""The public opt-in page of a WhatsApp or SMS channel (``mychat.channel.optin_form_enabled``): a customer
gives a phone number and agrees; the consent is recorded with source ``form`` and the statement, the values
and the request as proof. Unknown or disabled pages answer 404, a missing agreement or a number that cannot
be read 400 with the form again, more than the per-IP limit 429."""

from odoo import _, fields, http
from odoo.exceptions import UserError
from odoo.http import request


class MychatOptin(http.Controller):
    @http.route(
        "/mychat/optin/<string:token>", type="http", auth="public", methods=["GET", "POST"], sitemap=False
    )
    def mychat_optin(self, token, **post):
        channel = request.env["mychat.channel"].sudo()._mychat_for_optin_token(token)
        if not channel:
            return request.not_found()
        lang = self._mychat_lang(post.get("lang") or request.httprequest.args.get("lang"), channel)
        request.update_context(lang=lang.code)
        channel = channel.with_context(lang=lang.code)
        values = {
            "channel": channel,
            "statement": channel._mychat_optin_statement(),
            "lang": lang.code,
            "lang_code": lang.iso_code or lang.code.replace("_", "-"),
            "direction": lang.direction,
            "name": (post.get("name") or "")[:120],
            "phone": (post.get("phone") or "")[:32],
            "error": False,
            "done": False,
        }
        status = 200
        if request.httprequest.method == "POST":
            status = self._mychat_submit(channel, values, post)
        return request.render("mychat_omnichannel.optin_page", values, status=status)

    def _mychat_submit(self, channel, values, post):
        ip = request.httprequest.remote_addr or ""
        if request.env["mychat.rate.block"].sudo()._mychat_check("optin_ip", ip):
            values["error"] = request.env["mychat.rate.block"]._mychat_blocked_message()
            return 429
        if not post.get("agree"):
            values["error"] = _("Tick the box to agree, or close this page.")
            return 400
        agent = (request.httprequest.user_agent.string or "")[:200]
        request_info = "\n".join(
            [
                _("Page: %s", request.httprequest.base_url),
                _("IP address: %s", ip),
                _("Browser: %s", agent),
                _("Agreed on: %s UTC", fields.Datetime.to_string(fields.Datetime.now())),
            ]
        )
        try:
            channel._mychat_optin_submit(values["phone"], values["name"], request_info)
        except UserError as error:
            values["error"] = str(error)
            return 400
        values["done"] = True
        values["done_text"] = _(
            "Thank you: you will receive our messages on %s. Reply STOP at any time to stop them.",
            channel.name,
        )
        return 200

    @staticmethod
    def _mychat_lang(code, channel):
        """The page's language: asked for (``?lang=he_IL``), else the browser's best installed match, else
        the company's."""
        Lang = request.env["res.lang"].sudo()
        langs = Lang.search([("active", "=", True)])
        by_code = {lang.code: lang for lang in langs}
        if code in by_code:
            return by_code[code]
        offered = {lang.code.replace("_", "-"): lang for lang in langs}
        offered.update(
            {lang.iso_code: lang for lang in langs if lang.iso_code and lang.iso_code not in offered}
        )
        best = request.httprequest.accept_languages.best_match(list(offered))
        if best:
            return offered[best]
        return by_code.get(channel.company_id.partner_id.lang) or langs[:1]
