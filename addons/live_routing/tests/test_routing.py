import json

from odoo.tests import tagged

from .common import RoutingCase


@tagged("post_install", "-at_install")
class TestStrategies(RoutingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ann, cls.ben, cls.cat = cls.make_agents(
            cls.team, ["Ann", "Ben", "Cat"], mychat_seniority=[1, 2, 3], mychat_calendar_id=cls.always.id
        )

    def test_round_robin_distribution(self):
        convs = [self.incoming() for _ in range(9)]
        self.assertEqual(self.distribution(convs), {"Ann": 3, "Ben": 3, "Cat": 3})
        self.assertEqual([c.user_id.name for c in convs[:3]], ["Ann", "Ben", "Cat"])
        log = self.last_log(convs[0])
        self.assertEqual(
            (log.kind, log.strategy, log.outcome, log.user_id), ("rule", "round_robin", "assigned", self.ann)
        )
        self.assertIn("round robin", log.reason.lower())

    def test_one_notice_per_assignment(self):
        """The agent a conversation is routed to hears of it once, with their systray counter."""
        self.env.cr.precommit.run()  # the bus rows are written on commit
        last_id = self.env["bus.bus"]._bus_last_id()
        conv = self.incoming()
        self.env.cr.precommit.run()
        notices = [
            (json.loads(row.channel), json.loads(row.message)["payload"])
            for row in self.env["bus.bus"].sudo().search([("id", ">", last_id)])
            if json.loads(row.message)["type"] == "mychat/conversation"
        ]
        agent_channel = [self.env.cr.dbname, "res.partner", conv.user_id.partner_id.id]
        assigned = [
            (channel, payload)
            for channel, payload in notices
            if payload["conversation_id"] == conv.id and payload["kind"] == "assigned"
        ]
        self.assertEqual([channel for channel, _payload in assigned], [agent_channel])
        self.assertIn("unanswered_count", assigned[0][1])

    def test_least_busy_distribution(self):
        self.team.mychat_strategy = "least_busy"
        for _ in range(3):  # Ann already has 3 open conversations
            self.incoming().with_context(mychat_routing=False).user_id = self.ann
        convs = [self.incoming() for _ in range(6)]
        self.assertEqual(self.distribution(convs), {"Ben": 3, "Cat": 3})
        # all at 3: the tie goes to the longest idle, Ann (assigned longest ago)
        self.assertEqual(self.incoming().user_id, self.ann)

    def test_tiered_senior_first_until_capacity(self):
        self.team.write({"mychat_strategy": "tiered", "mychat_tier_order": "senior_first"})
        self.team.crm_team_member_ids.mychat_max_open = 2
        convs = [self.incoming() for _ in range(6)]
        self.assertEqual([c.user_id.name for c in convs], ["Cat", "Cat", "Ben", "Ben", "Ann", "Ann"])
        self.assertEqual(convs[0].mychat_tier, 3)

    def test_tiered_junior_first(self):
        self.team.write({"mychat_strategy": "tiered", "mychat_tier_order": "junior_first"})
        convs = [self.incoming() for _ in range(4)]
        self.assertEqual(self.distribution(convs), {"Ann": 4})


@tagged("post_install", "-at_install")
class TestOwnerFirst(RoutingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ann, cls.ben = cls.make_agents(cls.team, ["Ann", "Ben"], mychat_calendar_id=cls.always.id)
        cls.owner = cls.make_agents(cls.env["crm.team"].create({"name": "Field sales"}), ["Olga Owner"])
        cls.customer = cls.env["res.partner"].create({"name": "Dana Levi", "user_id": cls.owner.id})

    def test_salesperson_gets_the_conversation(self):
        conv = self.incoming(partner=self.customer)
        self.assertEqual(conv.user_id, self.owner)
        log = self.last_log(conv)
        self.assertEqual(log.kind, "owner")
        self.assertIn("salesperson", log.reason)

    def test_unavailable_owner_gets_an_activity(self):
        self.owner.mychat_availability = "offline"
        conv = self.incoming(partner=self.customer)
        self.assertIn(conv.user_id, self.ann | self.ben)
        log = self.last_log(conv)
        self.assertEqual(log.kind, "rule")
        self.assertIn("Olga Owner: offline (owner: salesperson)", log.skipped)
        activity = self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", self.customer.id),
                ("user_id", "=", self.owner.id),
            ]
        )
        self.assertEqual(
            activity.summary, f"Customer {conv.display_name} is being served by {conv.user_id.name}"
        )

    def test_open_lead_salesperson_then_last_agent(self):
        partner = self.env["res.partner"].create({"name": "No salesperson"})
        lead = self.env["crm.lead"].create(
            {"name": "Solar kit", "partner_id": partner.id, "user_id": self.owner.id}
        )
        conv = self.incoming(sender="972500000111", partner=partner)
        self.assertEqual(
            (conv.user_id, self.last_log(conv).reason), (self.owner, "Owner first (lead owner).")
        )
        conv.action_resolve()
        lead.action_set_lost()
        # Without an open lead the agent who last served them comes first
        conv.with_context(mychat_routing=False).user_id = self.ben
        conv.action_resolve()
        again = self.incoming(sender="972500000111", partner=partner)
        self.assertNotEqual(again, conv)
        self.assertEqual(
            (again.user_id, self.last_log(again).reason), (self.ben, "Owner first (last agent).")
        )


@tagged("post_install", "-at_install")
class TestRoutingRules(RoutingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ann, cls.ben = cls.make_agents(cls.team, ["Ann", "Ben"], mychat_calendar_id=cls.always.id)
        cls.vip_team = cls.env["crm.team"].create({"name": "Key accounts", "mychat_owner_first": False})
        cls.vera = cls.make_agents(cls.vip_team, ["Vera"], mychat_calendar_id=cls.always.id)
        cls.vip = cls.env["res.partner.category"].create({"name": "VIP"})
        cls.Rule = cls.env["mychat.routing.rule"]

    def test_vip_tag_picks_team_and_strategy(self):
        rule = self.Rule.create(
            {
                "name": "VIP",
                "partner_tag_ids": [(4, self.vip.id)],
                "team_id": self.vip_team.id,
                "strategy": "least_busy",
            }
        )
        vip = self.env["res.partner"].create({"name": "Big client", "category_id": [(4, self.vip.id)]})
        conv = self.incoming(partner=vip)
        self.assertEqual(
            (conv.team_id, conv.user_id, conv.mychat_routing_rule_id), (self.vip_team, self.vera, rule)
        )
        self.assertEqual(self.last_log(conv).strategy, "least_busy")
        self.assertIn("Rule: VIP.", self.last_log(conv).reason)
        self.assertEqual(self.incoming().team_id, self.team)  # not VIP: channel team

    def test_keyword_new_customer_and_collected_data(self):
        self.Rule.create(
            {
                "name": "Quotes",
                "keywords": "quote, price",
                "customer_type": "new",
                "team_id": self.vip_team.id,
            }
        )
        self.assertEqual(self.incoming(body="I want a QUOTE please").user_id, self.vera)
        self.assertEqual(self.incoming(body="hello").team_id, self.team)
        # a bot menu choice stored as collected data routes the hand-off
        self.Rule.create(
            {"name": "Menu", "data_key": "department", "data_value": "key", "team_id": self.vip_team.id}
        )
        conv = self.env["mychat.conversation"].create(
            {"channel_id": self.channel.id, "contact_id": self.incoming().contact_id.id, "is_chatbot": True}
        )
        conv._mychat_on_new()
        self.env["mychat.conversation.data"].create(
            {"conversation_id": conv.id, "key": "department", "value": "Key"}
        )
        self.assertFalse(conv.user_id)
        conv.is_chatbot = False  # hand-off to a human
        self.assertEqual(conv.user_id, self.vera)

    def test_language_narrows_candidates(self):
        self.env["res.lang"]._activate_lang("he_IL")
        self.ben.lang = "he_IL"
        conv = self.incoming(lang="he")
        self.assertEqual(conv.user_id, self.ben)
        self.assertIn("Ann: language (he)", self.last_log(conv).skipped)
        # nobody speaks Bulgarian: language is ignored rather than leaving the customer waiting
        self.assertTrue(self.incoming(lang="bg").user_id)

    def test_reopened_conversation_is_routed_again(self):
        self.channel.after_resolved = "reopen"
        conv = self.incoming(sender="972500000222")
        first = conv.user_id
        conv.action_resolve()
        self.assertEqual(self.incoming(sender="972500000222"), conv)  # reopened, back to its last agent
        self.assertEqual((conv.state, conv.user_id, self.last_log(conv).kind), ("open", first, "owner"))
        conv.action_resolve()
        first.mychat_availability = "offline"
        self.incoming(sender="972500000222")
        self.assertNotEqual(conv.user_id, first)
        self.assertIn(f"{first.name}: offline (owner: last agent)", self.last_log(conv).skipped)
