from odoo.exceptions import UserError
from odoo.tests import tagged

from . import whatsapp_payloads as wa
from .outbound_common import OutboundCase


@tagged("post_install", "-at_install")
class TestCampaign(OutboundCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tag = cls.env["res.partner.category"].create({"name": "Spring audience"})
        Partner = cls.env["res.partner"]
        vals = []
        for i in range(200):
            phone = f"+97254300{i:04d}"
            if 180 <= i < 190:
                phone = False  # no address
            elif 190 <= i < 195:
                phone = f"+120255501{50 + i - 190:02d}"  # blacklisted below
            vals.append({"name": f"Customer {i:03d}", "phone": phone, "category_id": [(4, cls.tag.id)]})
        cls.partners = Partner.create(vals)
        consents = []
        for i, partner in enumerate(cls.partners):
            if i < 140 or 180 <= i < 200:
                consents.append(
                    {
                        "partner_id": partner.id,
                        "channel_id": cls.channel.id,
                        "state": "opted_in",
                        "source": "import",
                        "proof": "CRM import",
                    }
                )
            elif 140 <= i < 160:
                consents.append(
                    {
                        "partner_id": partner.id,
                        "channel_id": cls.channel.id,
                        "state": "opted_out",
                        "source": "keyword",
                        "proof": "STOP",
                    }
                )
        cls.env["mychat.consent"].create(consents)
        # five who opted in, then out: the latest record decides
        cls.env["mychat.consent"].create(
            [
                {
                    "partner_id": p.id,
                    "channel_id": cls.channel.id,
                    "state": "opted_out",
                    "source": "form",
                    "proof": "Unsubscribe page",
                }
                for p in cls.partners[195:200]
            ]
        )
        for partner in cls.partners[190:195]:
            cls.env["phone.blacklist"].sudo().create({"number": partner.phone})

    def wa_id(self, index):
        return f"97254300{index:04d}"

    def test_campaign_of_200_with_mixed_consent(self):
        self.channel.campaign_rate = 50
        campaign = self.env["mychat.campaign"].create(
            {
                "name": "Spring offer",
                "channel_id": self.channel.id,
                "template_id": self.marketing.id,
                "partner_domain": repr([("category_id", "in", [self.tag.id])]),
            }
        )
        self.assertIn("Hi Customer 000, spring prices are here!", campaign.preview)
        campaign.action_fill_recipients()
        self.assertEqual(len(campaign.recipient_ids), 200)
        campaign.action_fill_recipients()
        self.assertEqual(len(campaign.recipient_ids), 200, "each partner once")

        campaign.action_launch()
        self.drain()
        self.assertEqual(campaign.state, "running")
        self.assertEqual(len(self.sent_to), 50, "the channel's rate per minute")
        self.env["mychat.campaign"]._cron_run_campaigns()
        self.drain()
        self.assertEqual(len(self.sent_to), 100)
        self.env["mychat.campaign"]._cron_run_campaigns()
        self.drain()
        self.assertEqual(campaign.state, "done")
        self.assertEqual(len(self.sent_to), 140)
        self.assertEqual(sorted(self.sent_to), sorted(self.wa_id(i) for i in range(140)))
        sample = self.sends(to=self.wa_id(7))[0]
        self.assertEqual(sample["template"]["components"][0]["parameters"][0]["text"], "Customer 007")

        by_partner = {r.partner_id: r for r in campaign.recipient_ids}
        reasons = {i: by_partner[self.partners[i]].reason for i in (150, 170, 185, 192, 197)}
        self.assertIn("Opted out", reasons[150])
        self.assertIn("No opt-in", reasons[170])
        self.assertIn("No address", reasons[185])
        self.assertIn("blacklisted", reasons[192])
        self.assertIn("Opted out", reasons[197])

        # delivery statuses, one bounced number, one Meta per-user marketing limit, reads, replies
        message_of = {i: by_partner[self.partners[i]].message_id for i in range(140)}
        ts = 1_780_000_000
        statuses = []
        for i in range(140):
            ext = message_of[i].external_id
            if i == 0:
                statuses.append(
                    wa.status(
                        ext,
                        "failed",
                        ts,
                        recipient=self.wa_id(i),
                        errors=[{"code": 131026, "title": "Message undeliverable"}],
                    )
                )
            elif i == 1:
                statuses.append(
                    wa.status(
                        ext,
                        "failed",
                        ts,
                        recipient=self.wa_id(i),
                        errors=[
                            {
                                "code": 131049,
                                "title": "Not delivered to maintain healthy ecosystem engagement.",
                            }
                        ],
                    )
                )
            else:
                statuses.append(wa.status(ext, "delivered", ts, recipient=self.wa_id(i)))
                if i < 72:
                    statuses.append(wa.status(ext, "read", ts + 60, recipient=self.wa_id(i)))
        self.statuses(statuses)
        for i in range(2, 12):
            reply = self.inbound(
                "STOP" if i == 11 else f"Interested! ({i})", wa_id=self.wa_id(i), name=f"Customer {i:03d}"
            )
            self.assertEqual(
                reply.conversation_id,
                by_partner[self.partners[i]].conversation_id,
                "the reply lands in the recipient's conversation",
            )

        self.assertEqual(
            {
                "recipients": campaign.recipient_count,
                "pending": campaign.pending_count,
                "sent": campaign.sent_count,
                "delivered": campaign.delivered_count,
                "read": campaign.read_count,
                "replied": campaign.replied_count,
                "failed": campaign.failed_count,
                "skipped": campaign.skipped_count,
            },
            {
                "recipients": 200,
                "pending": 0,
                "sent": 138,
                "delivered": 138,
                "read": 70,
                "replied": 10,
                "failed": 2,
                "skipped": 60,
            },
        )
        bounced, limited = by_partner[self.partners[0]], by_partner[self.partners[1]]
        self.assertEqual(bounced.state, "failed")
        self.assertIn("131026", bounced.reason)
        self.assertEqual(limited.state, "failed")
        self.assertIn("per-user marketing limit", limited.reason)
        self.assertIn("Not retried", limited.reason)
        self.assertEqual(limited.message_id.send_attempts, 1)
        self.env["mychat.campaign"]._cron_run_campaigns()
        self.drain()
        self.assertEqual(len(self.sent_to), 140 + 1, "nothing retried; only the STOP confirmation went out")
        self.assertEqual(
            self.env["mychat.consent"]._mychat_status(self.channel, self.partners[11]), "opted_out"
        )
        self.assertEqual(by_partner[self.partners[11]].state, "replied")

    def test_schedule_and_rules(self):
        campaign = self.env["mychat.campaign"].create(
            {
                "name": "Later",
                "channel_id": self.channel.id,
                "partner_domain": "[('id', 'in', %s)]" % self.partners[:3].ids,
            }
        )
        with self.assertRaisesRegex(UserError, "template"):
            campaign.action_launch()
        campaign.template_id = self.marketing
        with self.assertRaisesRegex(UserError, "date"):
            campaign.action_schedule()
        campaign.schedule_date = "2099-01-01 10:00:00"
        campaign.action_schedule()
        self.assertEqual((campaign.state, len(campaign.recipient_ids)), ("scheduled", 3))
        self.env["mychat.campaign"]._cron_run_campaigns()
        self.assertEqual(campaign.state, "scheduled", "not before its date")
        campaign.schedule_date = "2000-01-01 10:00:00"
        self.env["mychat.campaign"]._cron_run_campaigns()
        self.drain()
        self.assertEqual(campaign.state, "done")
        self.assertEqual(campaign.sent_count, 3)
        bad = self.env["mychat.campaign"].create(
            {
                "name": "Bad",
                "channel_id": self.channel.id,
                "template_id": self.marketing.id,
                "partner_domain": "[(",
            }
        )
        with self.assertRaisesRegex(UserError, "not a valid domain"):
            bad.action_launch()

    def test_lead_audience(self):
        leads = self.env["crm.lead"].create(
            [{"name": f"Lead {i}", "partner_id": self.partners[i].id} for i in range(3)]
            + [{"name": "No customer"}]
        )
        campaign = self.env["mychat.campaign"].create(
            {
                "name": "Leads",
                "channel_id": self.channel.id,
                "template_id": self.marketing.id,
                "audience": "lead",
                "lead_domain": repr([("id", "in", leads.ids)]),
            }
        )
        campaign.action_launch()
        self.drain()
        self.assertEqual(campaign.recipient_ids.lead_id, leads[:3])
        self.assertEqual(campaign.sent_count, 3)
        self.assertEqual(campaign.recipient_ids.conversation_id.lead_id, leads[:3])
