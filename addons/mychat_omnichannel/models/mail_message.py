from odoo import fields, models

from odoo.addons.mail.tools.discuss import Store


class MailMessage(models.Model):
    """Delivery data of the wire record shown on MyChat messages in Discuss (ticks, failure reason)."""

    _inherit = "mail.message"

    mychat_message_ids = fields.One2many(
        "mychat.message", "mail_message_id", string="MyChat wire messages", groups="base.group_user"
    )

    def _to_store_defaults(self, target):
        res = super()._to_store_defaults(target)
        if target.is_internal(self.env):
            res.append("mychat_wire")
        return res

    def _to_store(self, store: Store, fields, **kwargs):
        super()._to_store(store, [f for f in fields if f != "mychat_wire"], **kwargs)
        if "mychat_wire" not in fields:
            return
        self.sudo().mapped("mychat_message_ids")  # one query for all the messages
        for message in self:
            # sudo: the delivery state of a message the user can read
            wire = message.sudo().mychat_message_ids.sorted("id")
            if wire:
                store.add(message, wire._mychat_store_values())
