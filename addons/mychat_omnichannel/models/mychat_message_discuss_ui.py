from odoo import models

from odoo.addons.mail.tools.discuss import Store

# the wire fields the Discuss ticks show
TICK_FIELDS = {"state", "failure_reason", "mail_message_id"}


class MychatMessage(models.Model):
    _inherit = "mychat.message"

    def write(self, vals):
        res = super().write(vals)
        if TICK_FIELDS & set(vals):
            self._mychat_ui_bus_send_tick()
        return res

    def _mychat_ui_bus_send_tick(self):
        """Move the tick of the Discuss message live (queued, sent, delivered, read, failed): the agents of
        the channel get the message again with its delivery fields (readme/DISCUSS.md)."""
        if "mail_message_id" not in self._fields:
            return
        for message in self.sudo().filtered("mail_message_id"):
            mail_message = message.mail_message_id
            if mail_message.model != "discuss.channel" or not mail_message.res_id:
                continue
            channel = self.env["discuss.channel"].sudo().browse(mail_message.res_id).exists()
            if not channel:
                continue
            # a live chat visitor listens on the channel too: the delivery facts are for the agents only
            targets = (
                channel
                if channel.channel_type != "livechat"
                else channel.channel_member_ids.partner_id.user_ids.filtered(lambda u: not u.share)
            )
            for target in targets:
                store = Store(bus_channel=target)
                store.add(mail_message)
                store.bus_send()
