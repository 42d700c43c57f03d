from odoo import api, fields, models

FIELD_MODES = [("hidden", "Not asked"), ("optional", "Optional"), ("required", "Required")]
# pre-chat answer → (mode field, label)
PRECHAT_FIELDS = ("name", "email", "phone", "question")


class ImLivechatChannel(models.Model):
    """A pre-chat form per website live chat channel: shown before the visitor's first message, its answers
    identify the visitor (MyChat's matching) and are stored as the conversation's collected data."""

    _inherit = "im_livechat.channel"

    mychat_prechat = fields.Boolean(
        string="Pre-chat form", help="Ask the visitor who they are before the first message."
    )
    mychat_prechat_name = fields.Selection(FIELD_MODES, string="Name", default="required", required=True)
    mychat_prechat_email = fields.Selection(FIELD_MODES, string="Email", default="required", required=True)
    mychat_prechat_phone = fields.Selection(FIELD_MODES, string="Phone", default="optional", required=True)
    mychat_prechat_question_mode = fields.Selection(
        FIELD_MODES, string="Question", default="hidden", required=True
    )
    mychat_prechat_question = fields.Char(
        string="Question text", translate=True, help="e.g. What is your question about?"
    )
    mychat_prechat_captcha = fields.Boolean(
        string="Captcha",
        help="Check the visitor with Odoo's captcha (reCAPTCHA or Cloudflare Turnstile, when one of them is "
        "installed and configured) before the chat starts.",
    )

    def _mychat_prechat_modes(self):
        self.ensure_one()
        return {
            "name": self.mychat_prechat_name,
            "email": self.mychat_prechat_email,
            "phone": self.mychat_prechat_phone,
            "question": self.mychat_prechat_question_mode if self.mychat_prechat_question else "hidden",
        }

    def _mychat_prechat_options(self):
        """What the visitor's chat window needs to draw the form (in the visitor's language)."""
        self.ensure_one()
        if not self.mychat_prechat:
            return False
        return {
            "fields": self._mychat_prechat_modes(),
            "question": self.mychat_prechat_question or "",
            "captcha": self.mychat_prechat_captcha,
        }

    def _get_channel_infos(self):
        infos = super()._get_channel_infos()
        infos["mychat_prechat"] = self._mychat_prechat_options()
        infos["mychat_availability"] = True  # the visitor's window shows who answers and when
        return infos

    @api.model
    def _mychat_clean_answers(self, answers):
        answers = answers if isinstance(answers, dict) else {}
        return {key: str(answers.get(key) or "").strip()[:500] for key in PRECHAT_FIELDS}

    def _mychat_prechat_errors(self, answers):
        """{field: message} for missing or malformed answers (empty when the form may be sent)."""
        self.ensure_one()
        _ = self.env._
        errors = {}
        for key, mode in self._mychat_prechat_modes().items():
            if mode == "required" and not answers.get(key):
                errors[key] = _("This field is required.")
        email = answers.get("email")
        if email and ("@" not in email or " " in email or "." not in email.rsplit("@", 1)[-1]):
            errors["email"] = _("Please enter a valid email address.")
        phone = answers.get("phone")
        if phone and sum(c.isdigit() for c in phone) < 6:
            errors["phone"] = _("Please enter a valid phone number.")
        return errors
