from odoo.tests import tagged

from .common import RoutingCase


@tagged("post_install", "-at_install")
class TestLivechat(RoutingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ann, cls.ben = cls.make_agents(
            cls.team, ["Ann", "Ben"], mychat_max_open=1, mychat_calendar_id=cls.always.id
        )
        for user in cls.ann | cls.ben:
            cls.env["mail.presence"].create({"user_id": user.id, "status": "online"})
        cls.livechat = cls.env["im_livechat.channel"].create(
            {"name": "Website", "user_ids": [(6, 0, (cls.ann | cls.ben).ids)]}
        )
        cls.web_team = cls.env["crm.team"].create({"name": "Website team"})
        cls.web_agent = cls.make_agents(cls.web_team, ["Wendy"], mychat_calendar_id=cls.always.id)
        cls.mychat_livechat = cls.env["mychat.channel"].create(
            {"name": "Website chat", "channel_type": "livechat", "team_id": cls.team.id}
        )

    def test_native_operator_selection_honours_availability_and_capacity(self):
        self.assertEqual(self.livechat.available_operator_ids, self.ann | self.ben)
        self.ann.mychat_availability = "offline"
        self.assertEqual(self.livechat._get_operator(), self.ben)
        self.incoming()  # Ben's only seat is taken by a WhatsApp conversation
        self.assertFalse(self.livechat._get_operator())
        self.ann.mychat_availability = "available"
        self.assertEqual(self.livechat._get_operator(), self.ann)

    def test_livechat_conversations_follow_the_same_rules(self):
        self.env["mychat.routing.rule"].create(
            {
                "name": "Website visitors",
                "channel_ids": [(4, self.mychat_livechat.id)],
                "team_id": self.web_team.id,
            }
        )
        conv = self.incoming(channel=self.mychat_livechat, body="Hi from the website")
        self.assertEqual((conv.team_id, conv.user_id), (self.web_team, self.web_agent))
        self.assertEqual(self.last_log(conv).rule_id.name, "Website visitors")
        self.assertEqual(self.incoming().team_id, self.team)

    def test_session_operator_chosen_by_odoo_keeps_the_conversation(self):
        session = self.env["discuss.channel"].create(
            {
                "name": "Visitor session",
                "channel_type": "livechat",
                "livechat_channel_id": self.livechat.id,
                "livechat_operator_id": self.ben.partner_id.id,
            }
        )
        conv = session._mychat_conversation()
        self.assertEqual(conv.channel_type, "livechat")
        conv._mychat_route()
        self.assertEqual(conv.user_id, self.ben)
        self.assertEqual(self.last_log(conv).reason, "Owner first (live chat operator).")
        # an operator who went offline meanwhile: the team rule applies
        self.ben.mychat_availability = "offline"
        other = self.env["discuss.channel"].create(
            {
                "name": "Second visitor",
                "channel_type": "livechat",
                "livechat_channel_id": self.livechat.id,
                "livechat_operator_id": self.ben.partner_id.id,
            }
        )
        conv2 = other._mychat_conversation()
        conv2._mychat_route()
        self.assertEqual(conv2.user_id, self.ann)
        self.assertIn("Ben: offline (owner: live chat operator)", self.last_log(conv2).skipped)
