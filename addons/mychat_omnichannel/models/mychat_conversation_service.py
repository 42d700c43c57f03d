from markupsafe import Markup

from odoo import _, models

TRANSCRIPT_LINES = 10


class MychatConversation(models.Model):
    """What a service request (project task, helpdesk ticket) opened from a conversation carries."""

    _inherit = "mychat.conversation"

    def _mychat_transcript_url(self):
        self.ensure_one()
        return f"{self.get_base_url()}/odoo/mychat.conversation/{self.id}"

    def _mychat_request_title(self):
        self.ensure_one()
        who = self.partner_id.name or self.contact_id.display_name or _("Unknown")
        return self.subject or f"{who} – {self.channel_id.name}"

    def _mychat_request_description(self):
        """HTML: the collected data (label: value), the customer's first messages and a link to the full
        transcript."""
        self.ensure_one()
        parts = []
        data = self.env["mychat.conversation.data"].search([("conversation_id", "=", self.id)])
        if data:
            rows = Markup("").join(
                Markup("<li><strong>%s</strong>: %s</li>") % (row.label or row.key, row.value or "")
                for row in data
            )
            parts.append(Markup("<p>%s</p><ul>%s</ul>") % (_("Collected data"), rows))
        inbound = self.env["mychat.message"].search(
            [("conversation_id", "=", self.id), ("direction", "=", "inbound"), ("body", "!=", False)],
            order="date, id",
            limit=TRANSCRIPT_LINES,
        )
        if inbound:
            lines = Markup("<br/>").join(message.body for message in inbound)
            parts.append(Markup("<p>%s</p><blockquote>%s</blockquote>") % (_("The customer wrote"), lines))
        parts.append(
            Markup('<p><a href="%s">%s</a></p>')
            % (self._mychat_transcript_url(), _("Full transcript: %s", self.display_name))
        )
        return Markup("").join(parts)
