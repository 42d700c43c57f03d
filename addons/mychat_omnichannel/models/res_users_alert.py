import logging

from markupsafe import Markup

from odoo import _, models
from odoo.exceptions import UserError

from ..tools.provider_error import ProviderError

_logger = logging.getLogger(__name__)

ALERT_MEDIA = ("popup", "email", "sms")


class ResUsers(models.Model):
    _inherit = "res.users"

    def _mychat_alert(
        self,
        kind,
        conversation,
        text,
        title=None,
        media=("popup",),
        email_to=None,
        sms_to=None,
        details=None,
        odoo_sms=False,
    ):
        """The one way MyChat alerts people that a conversation needs them (a hand-off, an assignment, …).

        ``self`` are the users to alert (may be empty when only ``email_to``/``sms_to`` are given); ``kind``
        says why (``handoff``, ``assigned``, …: the popup's ``mychat_alert`` key); ``text`` is the plain
        alert, ``title`` the popup's title and the email's subject (default: the conversation's name).
        ``media`` picks from ``popup`` (a sticky notification to each internal user of ``self``),
        ``email`` (one mail to ``email_to``, else the users' addresses, with ``details`` — Markup — and a
        link to the conversation) and ``sms`` (one text per number of ``sms_to``, else the users' phones,
        through the company's MyChat SMS channel; with ``odoo_sms``, else Odoo's SMS queue when installed).

        Best effort: a medium that cannot be used or fails is rolled back and reported, never raised.
        Returns ``{medium: None when sent, else the reason in plain words}`` for each medium asked.
        """
        conversation.ensure_one()
        title = title or conversation.display_name
        result = {}
        for medium in media:
            if medium not in ALERT_MEDIA:
                raise ValueError(f"unknown alert medium {medium!r}")
            try:
                with self.env.cr.savepoint():
                    if medium == "popup":
                        result[medium] = self._mychat_alert_popup(kind, conversation, title, text)
                    elif medium == "email":
                        result[medium] = self._mychat_alert_email(
                            conversation, title, text, email_to, details
                        )
                    else:
                        result[medium] = self._mychat_alert_sms(conversation, text, sms_to, odoo_sms)
            except (UserError, ProviderError, ValueError) as error:
                result[medium] = _("%(medium)s alert failed: %(error)s", medium=medium, error=error)
            if result[medium]:
                _logger.info("MyChat conversation %s: %s", conversation.id, result[medium])
        return result

    def _mychat_alert_popup(self, kind, conversation, title, text):
        users = self.filtered(lambda u: not u.share)
        if not users:
            return _("No user to notify.")
        payload = {
            "title": title,
            "message": text,
            "sticky": True,
            "type": "warning",
            "mychat_alert": kind,
            "conversation_id": conversation.id,
        }
        for user in users:
            user._bus_send("simple_notification", payload)
        return None

    def _mychat_alert_email(self, conversation, title, text, email_to, details):
        email_to = email_to or ",".join(self.filtered("email").mapped("email"))
        if not email_to:
            return _("Email alert not sent: no address.")
        url = f"{conversation.get_base_url()}/odoo/mychat.conversation/{conversation.id}"
        company = conversation.company_id or self.env.company
        self.env["mail.mail"].sudo().create(
            {
                "subject": title,
                "email_from": company.email_formatted or self.env.user.email_formatted,
                "email_to": email_to,
                "body_html": Markup("<p>%s</p><p><a href='%s'>%s</a></p>%s")
                % (text, url, _("Open the conversation"), details or ""),
                "auto_delete": False,
            }
        )
        return None

    def _mychat_alert_sms(self, conversation, text, sms_to, odoo_sms):
        numbers = [sms_to] if isinstance(sms_to, str) else list(sms_to or [])
        numbers = numbers or [n for n in self.mapped("partner_id.phone") if n]
        if not numbers:
            return _("SMS alert not sent: no phone number.")
        company = conversation.company_id or self.env.company
        channel = (
            self.env["mychat.channel"]
            .sudo()
            .search([("channel_type", "=", "sms"), ("company_id", "=", company.id)], limit=1)
        )
        if channel:
            for number in numbers:
                channel._mychat_send_sms(number, text)
        elif odoo_sms and "sms.sms" in self.env:
            self.env["sms.sms"].sudo().create([{"number": n, "body": text} for n in numbers])
        else:
            return _("SMS alert not sent: no SMS channel.")
        return None
