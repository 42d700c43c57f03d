from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .outbound_common import OutboundCase


@tagged("post_install", "-at_install")
class TestOutboundTour(OutboundCase):
    def test_lead_start_then_inbox(self):
        admin = self.env.ref("base.user_admin")
        lead = self.env["crm.lead"].create(
            {
                "name": "Solar kit for Dana",
                "partner_id": self.dana.id,
                "user_id": admin.id,
                "type": "opportunity",
            }
        )
        old = fields.Datetime.now() - timedelta(days=2)
        self.inbound("Send me the price", ts=old.timestamp()).conversation_id.action_resolve()
        self.start_tour(
            f"/odoo/action-crm.crm_lead_all_leads/{lead.id}", "mychat_outbound_lead_tour", login="admin"
        )
        self.drain()
        [sent] = self.sends()
        self.assertEqual(sent["template"]["name"], "follow_up")
        conv = self.env["mychat.conversation"].search(
            [("partner_id", "=", self.dana.id)], order="id desc", limit=1
        )
        self.assertEqual(conv.user_id, admin)
        self.start_tour(
            "/odoo/action-mychat_omnichannel.mychat_inbox_mine_action",
            "mychat_outbound_inbox_tour",
            login="admin",
        )

    def test_partner_list_campaign(self):
        partners = self.env["res.partner"].create(
            [{"name": f"Tour customer {c}", "phone": f"+9725430099{i}"} for i, c in enumerate("ABC")]
        )
        self.env["mychat.consent"].create(
            [
                {
                    "partner_id": p.id,
                    "channel_id": self.channel.id,
                    "state": "opted_in",
                    "source": "form",
                    "proof": "Form",
                }
                for p in partners[:2]
            ]
        )
        self.start_tour(
            "/odoo/action-base.action_partner_form?view_type=list&debug=",
            "mychat_outbound_campaign_tour",
            login="admin",
        )
        self.drain()  # messages leave after the commit: the test's cursor sends them here
        campaign = self.env["mychat.campaign"].search([], order="id desc", limit=1)
        self.assertEqual(campaign.recipient_ids.partner_id, partners)
        self.assertEqual((campaign.state, campaign.sent_count, campaign.skipped_count), ("done", 2, 1))
