from odoo import Command
from odoo.tests import HttpCase, tagged

GREETING = "Hello! Thanks for visiting."
AWAY = "We are closed right now. We are back at {next_opening}."


@tagged("post_install", "-at_install")
class TestFrontDoorLivechat(HttpCase):
    """The website visitor's side: pre-chat form, who answers and when, automatic messages; through the
    public routes (and a browser tour)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, no_reset_password=True))
        cls.always = cls.env["resource.calendar"].create(
            {"name": "Always", "tz": "UTC", "flexible_hours": True}
        )
        cls.env.company.resource_calendar_id = cls.always
        # the team opens on Sundays only (UTC): outside that, visitors read "back at Sunday 09:00"
        cls.sundays = cls.env["resource.calendar"].create(
            {
                "name": "Sundays",
                "tz": "UTC",
                "attendance_ids": [
                    Command.create({"name": "Sunday", "dayofweek": "6", "hour_from": 9, "hour_to": 9.02})
                ],
            }
        )
        cls.agent = cls.env["res.users"].create(
            {
                "name": "Agent Noa",
                "login": "front.noa",
                "group_ids": [Command.link(cls.env.ref("sales_team.group_sale_salesman").id)],
            }
        )
        cls.env["mail.presence"].create({"user_id": cls.agent.id, "status": "online"})
        cls.team = cls.env["crm.team"].create({"name": "Website team", "mychat_calendar_id": cls.always.id})
        cls.env["crm.team.member"].create({"crm_team_id": cls.team.id, "user_id": cls.agent.id})
        cls.livechat = cls.env["im_livechat.channel"].create(
            {
                "name": "Website",
                "user_ids": [Command.set(cls.agent.ids)],
                "mychat_prechat": True,
                "mychat_prechat_phone": "optional",
                "mychat_prechat_question_mode": "required",
                "mychat_prechat_question": "What is your question about?",
            }
        )
        cls.mychat_channel = cls.env["mychat.channel"]._mychat_livechat_channel(cls.env.company)
        cls.mychat_channel.write({"team_id": cls.team.id, "greeting_message": GREETING, "away_message": AWAY})
        cls.partner = cls.env["res.partner"].create({"name": "Dana Levi", "email": "dana@example.com"})

    def start_tour(self, url_path, tour_name, **kwargs):
        # build the live chat bundles here: built by the browser's first request on a busy machine, they
        # hold the test cursor long enough for the page's button to time out
        for bundle in ("im_livechat.assets_embed_external", "im_livechat.assets_livechat_support_tours"):
            assets = self.env["ir.qweb"]._get_asset_bundle(bundle)
            assets.css()
            assets.js()
        return super().start_tour(url_path, tour_name, **kwargs)

    def rpc(self, route, params):
        return self.url_open(
            route, json={"jsonrpc": "2.0", "id": 1, "method": "call", "params": params}
        ).json()

    def answers(self, **changes):
        return {
            "name": "Dana Levi",
            "email": "Dana@Example.com",
            "phone": "",
            "question": "A quote for solar panels",
            **changes,
        }

    def test_prechat_form_identifies_and_lets_in(self):
        check = self.rpc("/mychat/livechat/prechat/check", {"channel_id": self.livechat.id, "answers": {}})
        self.assertEqual(set(check["result"]["errors"]), {"name", "email", "question"}, "required fields")
        bad = self.answers(email="not-an-email")
        check = self.rpc("/mychat/livechat/prechat/check", {"channel_id": self.livechat.id, "answers": bad})
        self.assertEqual(list(check["result"]["errors"]), ["email"])
        refused = self.rpc(
            "/im_livechat/get_session", {"channel_id": self.livechat.id, "mychat_prechat": bad}
        )
        self.assertFalse(refused["result"], "the server checks the form again")
        self.assertFalse(self.env["discuss.channel"].search([("livechat_channel_id", "=", self.livechat.id)]))

        data = self.rpc(
            "/im_livechat/get_session", {"channel_id": self.livechat.id, "mychat_prechat": self.answers()}
        )
        session = self.env["discuss.channel"].browse(data["result"]["channel_id"])
        conv = session.mychat_conversation_id
        self.assertTrue(conv.mychat_prechat_done)
        self.assertFalse(conv.mychat_held, "the form lets the visitor in")
        self.assertEqual(conv.partner_id, self.partner, "identified by the form's email")
        rows = {
            d.key: (d.label, d.value, d.source) for d in conv.data_ids.filtered(lambda d: d.source == "form")
        }
        self.assertEqual(
            rows,
            {
                "prechat_name": ("Name", "Dana Levi", "form"),
                "prechat_email": ("Email", "Dana@Example.com", "form"),
                "prechat_question": ("What is your question about?", "A quote for solar panels", "form"),
            },
        )
        self.assertIn("A quote for solar panels", conv.mychat_prechat_summary)
        notice = session.message_ids.filtered(lambda m: "o_mychat_prechat" in (m.body or ""))
        self.assertEqual(len(notice), 1, "the operator sees the answers at the top of the chat")

    def test_availability_open_and_closed(self):
        info = self.rpc("/mychat/livechat/availability", {"channel_id": self.livechat.id, "tz": "UTC"})[
            "result"
        ]
        self.assertEqual((info["online"], info["name"], info["status"]), (True, "Agent Noa", "Online now"))
        self.assertIn(f"/res.partner/{self.agent.partner_id.id}/", info["avatar_url"])
        self.team.mychat_calendar_id = self.sundays
        info = self.rpc("/mychat/livechat/availability", {"channel_id": self.livechat.id, "tz": "UTC"})[
            "result"
        ]
        self.assertFalse(info["online"])
        self.assertEqual(info["name"], "Website team")
        self.assertEqual(info["status"], "Back at Sunday 09:00")
        info = self.rpc(
            "/mychat/livechat/availability", {"channel_id": self.livechat.id, "tz": "Asia/Jerusalem"}
        )["result"]
        self.assertIn(info["next_opening"], ("Sunday 11:00", "Sunday 12:00"), "in the visitor's time zone")
        self.assertEqual(self.rpc("/mychat/livechat/availability", {"channel_id": 0})["result"], {})

    def test_tour_visitor_outside_hours(self):
        self.team.mychat_calendar_id = self.sundays
        self.start_tour(f"/im_livechat/support/{self.livechat.id}", "mychat_front_door_closed_tour")
        conv = self.env["mychat.conversation"].search([("channel_type", "=", "livechat")])
        self.assertEqual(len(conv), 1)
        self.assertEqual(conv.partner_id, self.partner)
        bodies = self.env["mychat.message"].search([("conversation_id", "=", conv.id)]).mapped("body")
        self.assertIn(GREETING, bodies)
        self.assertIn("We are closed right now. We are back at Sunday 09:00.", bodies)
        # the agent sees the form's answers at the top of the conversation
        for bundle in ("web.assets_web", "web.assets_tests"):
            assets = self.env["ir.qweb"]._get_asset_bundle(bundle)
            assets.css()
            assets.js()
        self.start_tour(f"/odoo/mychat.conversation/{conv.id}", "mychat_front_door_agent_tour", login="admin")

    def test_tour_visitor_inside_hours(self):
        self.start_tour(f"/im_livechat/support/{self.livechat.id}", "mychat_front_door_open_tour")
        conv = self.env["mychat.conversation"].search([("channel_type", "=", "livechat")])
        bodies = self.env["mychat.message"].search([("conversation_id", "=", conv.id)]).mapped("body")
        self.assertIn(GREETING, bodies)
        self.assertNotIn("We are closed right now.", " ".join(b or "" for b in bodies))


@tagged("post_install", "-at_install")
class TestFrontDoorHebrew(TestFrontDoorLivechat):
    """The same front door for a visitor browsing in Hebrew: right-to-left, the next opening in Hebrew."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("he_IL")
        cls.team.mychat_calendar_id = cls.sundays
        cls.mychat_channel.with_context(lang="he_IL").write(
            {
                "greeting_message": "שלום! תודה שפנית אלינו.",
                "away_message": "אנחנו סגורים כעת. נחזור ב{next_opening}.",
            }
        )

    def authenticate(self, user, password, **kwargs):
        # the visitor's browser asks for Hebrew
        if not user:
            kwargs["session_extra"] = {"context": {"lang": "he_IL"}}
        return super().authenticate(user, password, **kwargs)

    def test_tour_visitor_in_hebrew(self):
        self.start_tour(f"/im_livechat/support/{self.livechat.id}", "mychat_front_door_rtl_tour")
        conv = self.env["mychat.conversation"].search([("channel_type", "=", "livechat")])
        bodies = self.env["mychat.message"].search([("conversation_id", "=", conv.id)]).mapped("body")
        self.assertIn("אנחנו סגורים כעת. נחזור ביום ראשון 09:00.", bodies)

    # the parent's tests run once, in English
    test_prechat_form_identifies_and_lets_in = None
    test_availability_open_and_closed = None
    test_tour_visitor_outside_hours = None
    test_tour_visitor_inside_hours = None
