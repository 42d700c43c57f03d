import threading
import time

from odoo import SUPERUSER_ID, api, fields
from odoo.modules.registry import Registry
from odoo.service.model import retrying
from odoo.tests import BaseCase, get_db_name, tagged

from ..tools.inbound import InboundContact, InboundMessage
from .fake_provider import FakeProvider

MESSAGES_PATH = r"^/v23\.0/106540352242923/messages$"


@tagged("post_install", "-at_install")
class TestSendAfterCommit(BaseCase):
    """Real transactions on committed cursors: the provider is called only after the transaction that
    stored the reply commits; a rolled-back one sends nothing, one Odoo retries sends once."""

    @classmethod
    def _request_handler(cls, s, r, /, **kw):
        if isinstance(kw.get("timeout"), tuple):
            kw["timeout"] = max(kw["timeout"])
        return super()._request_handler(s, r, **kw)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake = FakeProvider().start()
        cls.addClassCleanup(cls.fake.stop)
        cls.registry = Registry(get_db_name())
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            cr.execute("SELECT COALESCE(MAX(id), 0) FROM ir_cron_trigger")
            cls.last_trigger_id = cr.fetchone()[0]
            channel = env["mychat.channel"].create(
                {
                    "name": "WhatsApp after-commit test",
                    "channel_type": "whatsapp",
                    "secret": "s3cret",
                    "access_token": "graph-token",
                    "external_account_id": "106540352242923",
                    "api_base_url": f"{cls.fake.url}/v23.0",
                }
            )
            contact = env["mychat.contact"].create(
                {"channel_id": channel.id, "external_id": "972541230000", "name": "Race Customer"}
            )
            conv = env["mychat.conversation"].create({"channel_id": channel.id, "contact_id": contact.id})
            conv.write({"last_inbound_date": fields.Datetime.now()})
            cls.channel_id, cls.contact_id, cls.conv_id = channel.id, contact.id, conv.id
        cls.addClassCleanup(cls._remove_committed_data)

    @classmethod
    def _remove_committed_data(cls):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            conv = env["mychat.conversation"].browse(cls.conv_id)
            conv.discuss_channel_id.unlink()
            conv.unlink()
            env["mychat.contact"].browse(cls.contact_id).unlink()
            env["mychat.channel"].browse(cls.channel_id).unlink()
            cr.execute("DELETE FROM ir_cron_trigger WHERE id > %s", [cls.last_trigger_id])

    def setUp(self):
        super().setUp()
        self.fake.requests.clear()
        self.fake.routes.clear()
        answers = [
            (
                200,
                {"messaging_product": "whatsapp", "messages": [{"id": f"wamid.{self._testMethodName}.{n}"}]},
            )
            for n in range(10)
        ]
        self.fake.route("POST", MESSAGES_PATH, *answers)

    def env_cursor(self):
        return self.registry.cursor()

    def sent_bodies(self):
        return [call["json"]["text"]["body"] for call in self.fake.calls("POST", MESSAGES_PATH)]

    def wire(self, body):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            return env["mychat.message"].search_read([("body", "=", body)], ["state", "mail_message_id"])

    def drain(self):
        with self.registry.cursor() as cr:
            api.Environment(cr, SUPERUSER_ID, {})["mychat.message"]._cron_send_queued()

    def test_sent_right_after_commit_once(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["mychat.conversation"].browse(self.conv_id).send_reply("After commit")
            self.assertEqual(self.sent_bodies(), [], "not inside the transaction")
        self.assertEqual(self.sent_bodies(), ["After commit"], "sent as soon as it committed")
        self.drain()
        self.assertEqual(self.sent_bodies(), ["After commit"], "the cron does not send it again")
        [wire] = self.wire("After commit")
        self.assertEqual(wire["state"], "sent")
        self.assertTrue(wire["mail_message_id"])

    def test_rolled_back_transaction_sends_nothing(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["mychat.conversation"].browse(self.conv_id).send_reply("Never stored")
            cr.rollback()
        self.drain()
        self.assertEqual(self.sent_bodies(), [])
        self.assertEqual(self.wire("Never stored"), [])

    def test_claimed_message_not_sent_twice(self):
        """A claim (left by a sender that died before storing the outcome) is never sent again by itself:
        it ends failed with a reason once stale."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            message = env["mychat.message"].browse(
                env["mychat.conversation"].browse(self.conv_id).send_reply("Crashed")
            )
            message.flush_recordset()
            self.assertTrue(message._mychat_claim())
            self.assertFalse(message._mychat_claim(), "one claim only")
            cr.execute(
                "UPDATE mychat_message SET send_claimed_at = now() at time zone 'utc' - interval '1 hour' "
                "WHERE id = %s",
                [message.id],
            )
            cr.postcommit.clear()  # the sender "crashed" before its after-commit step
        self.drain()
        self.assertEqual(self.sent_bodies(), [])
        [wire] = self.wire("Crashed")
        self.assertEqual(wire["state"], "failed")

    def test_reply_racing_inbound_retried_sends_once(self):
        barrier = threading.Barrier(2)
        attempts, errors = [], []
        now = fields.Datetime.now()

        def reply():
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})

                    def work():
                        attempts.append(1)
                        cr.execute("SELECT 1")  # the transaction's snapshot starts here
                        if len(attempts) == 1:
                            barrier.wait(timeout=30)
                            time.sleep(0.2)  # the inbound message writes the conversation first
                        return env["mychat.conversation"].browse(self.conv_id).send_reply("Exactly once")

                    retrying(work, env)
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)

        def inbound():
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    cr.execute("SELECT 1")
                    barrier.wait(timeout=30)
                    env["mychat.conversation"]._mychat_ingest(
                        env["mychat.channel"].browse(self.channel_id),
                        InboundMessage(
                            external_id="wamid.RACE-IN",
                            contact=InboundContact(external_id="972541230000", name="Race Customer"),
                            date=now,
                            body="Hello again",
                        ),
                    )
                    env.flush_all()
                    time.sleep(0.8)  # hold the row while the reply waits for it
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)

        threads = [threading.Thread(target=reply), threading.Thread(target=inbound)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        self.assertEqual(errors, [])
        self.assertGreater(
            len(attempts), 1, "the reply's transaction hit a serialization failure and was retried"
        )
        self.drain()
        self.assertEqual(self.sent_bodies().count("Exactly once"), 1, "the provider got it exactly once")
        self.assertEqual(len(self.wire("Exactly once")), 1, "one stored reply")
        self.assertEqual(len(self.wire("Hello again")), 1)
