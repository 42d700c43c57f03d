from markupsafe import Markup

from odoo.tests import Form, tagged

from .common import RoutingCase


@tagged("post_install", "-at_install")
class TestTransfer(RoutingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ann, cls.ben = cls.make_agents(
            cls.team, ["Ann", "Ben"], mychat_max_open=1, mychat_calendar_id=cls.always.id
        )
        cls.billing = cls.env["crm.team"].create({"name": "Billing", "mychat_strategy": "least_busy"})
        cls.bill = cls.make_agents(cls.billing, ["Bill"], mychat_calendar_id=cls.always.id)

    def wizard(self, conv):
        return Form(
            self.env["mychat.conversation.transfer"].with_context(active_model=conv._name, active_id=conv.id)
        )

    def test_transfer_to_colleague_with_note(self):
        conv = self.incoming()
        queued = [self.incoming(), self.incoming()][1]  # Ann and Ben are full: the third waits
        self.assertFalse(queued.user_id)
        previous = conv.user_id
        with self.wizard(conv) as form:
            form.user_id = self.bill
            form.note = "Invoice question"
        form.record.action_confirm()
        self.assertEqual(conv.user_id, self.bill)
        self.assertEqual(conv._mychat_notes().body, Markup("<p>Invoice question</p>"))
        log = self.last_log(conv)
        self.assertEqual((log.kind, log.previous_user_id, log.user_id), ("transfer", previous, self.bill))
        self.assertIn("Invoice question", log.reason)
        # the seat it freed goes to the queue
        self.assertEqual(queued.user_id, previous)

    def test_transfer_to_team_uses_its_routing(self):
        conv = self.incoming()
        with self.wizard(conv) as form:
            form.team_id = self.billing
        form.record.action_confirm()
        self.assertEqual((conv.team_id, conv.user_id), (self.billing, self.bill))
        self.assertEqual((self.last_log(conv).kind, self.last_log(conv).strategy), ("transfer", "least_busy"))

    def test_invite_keeps_the_owner(self):
        conv = self.incoming()
        owner = conv.user_id
        with self.wizard(conv) as form:
            form.mode = "invite"
            form.user_id = self.bill
        form.record.action_confirm()
        self.assertEqual(conv.user_id, owner)
        self.assertEqual(conv.mychat_invited_user_ids, self.bill)
        self.assertEqual(self.last_log(conv).kind, "invite")

    def test_agents_work_with_their_own_rights(self):
        conv = self.incoming()
        queued = [self.incoming(), self.incoming()][1]
        agent = conv.user_id
        # the agent hands over from the wizard, then the receiver resolves: both free a seat for the queue
        wizard = (
            self.env["mychat.conversation.transfer"]
            .with_user(agent)
            .create({"conversation_id": conv.id, "user_id": self.bill.id, "note": "Yours"})
        )
        wizard.action_confirm()
        self.assertEqual(queued.user_id, agent)
        conv.with_user(self.bill).action_resolve()
        self.assertEqual(conv.state, "resolved")
        self.assertEqual(
            self.env["mychat.assignment.log"]
            .with_user(agent)
            .search_count([("conversation_id", "=", conv.id)]),
            2,
        )
