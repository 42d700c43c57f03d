import secrets
import threading
import time

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, get_db_name, tagged

from .common import load_sample

THREADS = 8


@tagged("post_install", "-at_install")
class TestConcurrentStore(BaseCase):
    """Real concurrency at the database level: several transactions, each on its own committed cursor,
    store the same delivery at the same moment. The unique key absorbs all but one, without an error."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            cls.cron_id = env.ref("mychat_omnichannel.ir_cron_process_events").id
            cr.execute("SELECT COALESCE(MAX(id), 0) FROM ir_cron_trigger")
            cls.last_trigger_id = cr.fetchone()[0]
            cls.channel_id = (
                env["mychat.channel"]
                .create(
                    {
                        "name": "WhatsApp concurrency test",
                        "channel_type": "whatsapp",
                        "secret": secrets.token_hex(8),
                        "api_base_url": "http://127.0.0.1:9/v23.0",
                    }
                )
                .id
            )
        cls.addClassCleanup(cls._remove_committed_data)

    @classmethod
    def _remove_committed_data(cls):
        with cls.registry.cursor() as cr:
            cr.execute("DELETE FROM mychat_event WHERE channel_id = %s", [cls.channel_id])
            cr.execute("DELETE FROM mychat_channel WHERE id = %s", [cls.channel_id])
            cr.execute(
                "DELETE FROM ir_cron_trigger WHERE id > %s AND cron_id = %s",
                [cls.last_trigger_id, cls.cron_id],
            )

    def store_concurrently(self, dedupe_key, payload, hold=0.3):
        """Each thread stores the delivery in its own transaction, released at the same instant by a
        barrier, and keeps its transaction open ``hold`` seconds so that the inserts overlap."""
        barrier = threading.Barrier(THREADS)
        results, errors = [], []

        def store():
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    channel = env["mychat.channel"].browse(self.channel_id)
                    cr.execute("SELECT 1")  # start the transaction (and its snapshot) before the race
                    barrier.wait(timeout=30)
                    results.append(env["mychat.event"]._mychat_store(channel, dedupe_key, payload))
                    time.sleep(hold)
            except Exception as error:  # noqa: BLE001 - reported by the assertions below
                errors.append(error)

        threads = [threading.Thread(target=store) for _i in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        return results, errors

    def committed_events(self, dedupe_key):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT id, state, payload FROM mychat_event WHERE channel_id = %s AND dedupe_key = %s",
                [self.channel_id, dedupe_key],
            )
            return cr.fetchall()

    def test_same_delivery_at_once(self):
        payload = load_sample("whatsapp_text.json").decode()
        results, errors = self.store_concurrently("same-delivery", payload)
        self.assertEqual(errors, [], "a concurrent duplicate raises nothing")
        self.assertEqual(len(results), THREADS)
        stored = [result for result in results if result]
        self.assertEqual(len(stored), 1, "exactly one transaction stored it, the others saw a duplicate")
        rows = self.committed_events("same-delivery")
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0], (stored[0], "pending", payload))

    def test_distinct_deliveries_at_once_all_kept(self):
        keys = [f"delivery-{index}" for index in range(THREADS)]
        barrier = threading.Barrier(THREADS)
        errors = []

        def store(key):
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    channel = env["mychat.channel"].browse(self.channel_id)
                    cr.execute("SELECT 1")
                    barrier.wait(timeout=30)
                    env["mychat.event"]._mychat_store(channel, key, "{}")
            except Exception as error:  # noqa: BLE001
                errors.append(error)

        threads = [threading.Thread(target=store, args=(key,)) for key in keys]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        self.assertEqual(errors, [])
        for key in keys:
            self.assertEqual(len(self.committed_events(key)), 1, key)
