from markupsafe import Markup

from odoo import models


class DiscussChannel(models.Model):
    _inherit = "discuss.channel"

    def _mychat_apply_prechat(self, answers):
        """The visitor filled the pre-chat form of this new session: the answers become the conversation's
        collected data (source ``form``), the visitor's name, email and phone identify them, the
        conversation is let in (leads and routing from the first message), and the operator sees the
        answers at the top of the chat."""
        self.ensure_one()
        _ = self.env._
        livechat = self.livechat_channel_id
        conversation = self._mychat_conversation()
        labels = {
            "name": _("Name"),
            "email": _("Email"),
            "phone": _("Phone"),
            "question": livechat.mychat_prechat_question or _("Question"),
        }
        rows = [
            (f"prechat_{key}", labels[key], answers[key])
            for key in ("name", "email", "phone", "question")
            if answers.get(key)
        ]
        self.env["mychat.conversation.data"]._mychat_upsert(conversation, rows, "form")
        contact = conversation.contact_id
        vals = {key: answers[key] for key in ("name", "email", "phone") if answers.get(key)}
        if vals:
            contact.write(contact._mychat_normalize_vals(vals, conversation.channel_id))
            contact._mychat_identify()
        conversation._mychat_release()
        guest = self.channel_member_ids.guest_id[:1]
        if guest and answers.get("name"):
            guest._update_name(answers["name"][:100])
        if rows:
            items = Markup("").join(
                Markup("<li><b>%s</b>: %s</li>") % (label, value) for _k, label, value in rows
            )
            self.message_post(
                body=Markup("<div class='o_mychat_prechat'><p>%s</p><ul>%s</ul></div>")
                % (_("Pre-chat form"), items),
                message_type="notification",
                author_id=self.env.ref("base.partner_root").id,
            )
        return conversation
