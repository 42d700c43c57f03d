from itertools import count

from odoo import Command, fields
from odoo.tests import TransactionCase

from odoo.addons.mychat_omnichannel.tools.inbound import InboundContact, InboundMessage

_ids = count(1)


class RoutingCase(TransactionCase):
    """A WhatsApp channel whose default team is ``cls.team``, agents working around the clock."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, no_reset_password=True))
        cls.env["ir.config_parameter"].sudo().set_param("sales_team.membership_multi", True)
        cls.always = cls.env["resource.calendar"].create(
            {"name": "Always", "tz": "UTC", "flexible_hours": True}
        )
        cls.env.company.resource_calendar_id = cls.always
        cls.team = cls.env["crm.team"].create({"name": "Routing team", "mychat_strategy": "round_robin"})
        cls.channel = cls.env["mychat.channel"].create(
            {
                "name": "WA routing",
                "channel_type": "whatsapp",
                "team_id": cls.team.id,
                "api_base_url": "http://127.0.0.1:9",
            }
        )

    @classmethod
    def make_agents(cls, team, names, **member_vals):
        """Users (salespeople) added to ``team``; ``member_vals`` values may be lists (one per agent)."""
        users = cls.env["res.users"]
        for index, name in enumerate(names):
            user = cls.env["res.users"].create(
                {
                    "name": name,
                    "login": f"{name.lower().replace(' ', '.')}.{next(_ids)}",
                    "tz": "UTC",
                    "group_ids": [Command.link(cls.env.ref("sales_team.group_sale_salesman").id)],
                }
            )
            vals = {k: (v[index] if isinstance(v, list) else v) for k, v in member_vals.items()}
            cls.env["crm.team.member"].create({"crm_team_id": team.id, "user_id": user.id, **vals})
            users |= user
        return users

    def incoming(self, sender=None, body="Hello", partner=None, lang=None, channel=None):
        """One customer message through the ingestion pipeline; returns its conversation."""
        channel = channel or self.channel
        sender = sender or f"9725000{next(_ids):05d}"
        Contact = self.env["mychat.contact"]
        if not Contact.search([("channel_id", "=", channel.id), ("external_id", "=", sender)]):
            Contact.create(
                {
                    "channel_id": channel.id,
                    "external_id": sender,
                    "name": f"Customer {sender}",
                    "partner_id": partner.id if partner else False,
                    "lang": lang or False,
                }
            )
        item = InboundMessage(
            external_id=f"wamid.{next(_ids)}",
            contact=InboundContact(external_id=sender),
            date=fields.Datetime.now(),
            body=body,
        )
        return self.env["mychat.conversation"]._mychat_ingest(channel, item).conversation_id

    def distribution(self, convs):
        counts = {}
        for conv in convs:
            counts[conv.user_id.name] = counts.get(conv.user_id.name, 0) + 1
        return counts

    def last_log(self, conv):
        return self.env["mychat.assignment.log"].search(
            [("conversation_id", "=", conv.id)], order="id desc", limit=1
        )
