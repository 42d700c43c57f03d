"""Ingest benchmark: the webhook inbox (store, acknowledge, process later) against processing in the request.

Run with the Odoo interpreter, from the repository:

    python bench/ingest.py                  # starts a server on a free 127.0.0.1 port against mychat_bench
    python bench/ingest.py --url http://127.0.0.1:8069 --db mychat_demo   # reuses a running server

Without ``--url`` the database (``--db``, default mychat_bench) is created with mychat_omnichannel when it
is missing (a one-off minute or two), then a server is started with ``--max-cron-threads=1`` and stopped at
the end.
Each run creates two WhatsApp channels with fresh secrets over XML-RPC (admin/admin by default), then:

1. async: N signed webhooks (distinct wamids, 50 senders) are POSTed concurrently to /mychat/webhook/<token>;
   ack latency p50/p99 and ack requests/s are measured, then mychat.event states are polled over XML-RPC until
   the event cron has processed them all (processed messages/s, counted from the first request);
2. sync baseline: the same N messages (new wamids, second channel) are each stored and processed inside one
   request: a bench-only server action calls ``_mychat_store`` then ``_mychat_process_pending`` (created in
   the bench database by this script; no production route does this).

It prints ``RESULT ack_rps=… p50_ms=… p99_ms=… processed_per_s=… sync_rps=… ratio_vs_sync=…`` where
ratio_vs_sync = async ack requests/s / sync requests/s.
"""

import argparse
import json
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
import xmlrpc.client
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))  # the helper shared with scripts/
from mychat_dev import addons_path, signatures

SENDERS = 50
SYNC_ACTION = "MyChat bench: store and process in the request"
SYNC_CODE = """\
Event = env["mychat.event"]
channel = env["mychat.channel"].browse(env.context["bench_channel_id"])
Event._mychat_store(channel, env.context["bench_key"], env.context["bench_payload"])
Event._mychat_process_pending()
"""


def odoo_cmd(args, *extra):
    return [sys.executable, "-m", "odoo", f"--addons-path={args.addons_path}", "-d", args.db, *extra]


def database_ready(db):
    import psycopg2  # comes with Odoo

    try:
        with psycopg2.connect(dbname=db) as cnx, cnx.cursor() as cr:
            cr.execute("SELECT state FROM ir_module_module WHERE name = 'mychat_omnichannel'")
            row = cr.fetchone()
        cnx.close()
        return bool(row and row[0] == "installed")
    except psycopg2.Error:
        return False


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(args):
    if not database_ready(args.db):
        print(f"bench: installing mychat_omnichannel in {args.db} (one-off)", flush=True)
        subprocess.run(
            odoo_cmd(args, "-i", "mychat_omnichannel", "--stop-after-init", "--log-level=warn"), check=True
        )
    port = free_port()
    cmd = odoo_cmd(
        args,
        f"--db-filter=^{args.db}$",
        "--http-interface=127.0.0.1",
        f"--http-port={port}",
        "--gevent-port=0",
        "--max-cron-threads=1",
        "--workers=0",
        "--log-level=warn",
    )
    server = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            if requests.get(f"{url}/web/login", timeout=2).status_code == 200:
                return server, url
        except requests.RequestException:
            pass
        if server.poll() is not None:
            break
        time.sleep(0.5)
    server.terminate()
    sys.exit("bench: the Odoo server did not start")


class Rpc:
    """XML-RPC, one proxy per thread (ServerProxy is not thread-safe)."""

    def __init__(self, url, db, login, password):
        self.url, self.db, self.password = url, db, password
        self.uid = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common").authenticate(db, login, password, {})
        if not self.uid:
            sys.exit(f"bench: cannot log in to {db} as {login}")
        self.local = threading.local()

    def __call__(self, model, method, *args, **kwargs):
        if not hasattr(self.local, "proxy"):
            self.local.proxy = xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/object", allow_none=True)
        return self.local.proxy.execute_kw(
            self.db, self.uid, self.password, model, method, list(args), kwargs
        )


def create_channel(rpc, name):
    secret = secrets.token_hex(16)
    channel_id = rpc(
        "mychat.channel",
        "create",
        {
            "name": name,
            "channel_type": "whatsapp",
            "secret": secret,
            "access_token": "bench",
            "external_account_id": "106540352242922",
            "api_base_url": "http://127.0.0.1:9/v23.0",
        },
    )
    token = rpc("mychat.channel", "read", [channel_id], fields=["webhook_token"])[0]["webhook_token"]
    return channel_id, token, secret


def sync_action(rpc):
    found = rpc("ir.actions.server", "search", [("name", "=", SYNC_ACTION)], limit=1)
    if found:
        return found[0]
    model_id = rpc("ir.model", "search", [("model", "=", "mychat.event")])[0]
    return rpc(
        "ir.actions.server",
        "create",
        {"name": SYNC_ACTION, "model_id": model_id, "state": "code", "code": SYNC_CODE},
    )


def webhook_bodies(n, run_id, phase):
    """N WhatsApp notifications, one text message each, from SENDERS different customers."""
    bodies = []
    for index in range(n):
        wa_id = f"97250{index % SENDERS:07d}"
        body = {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": "102290129340398",
                    "changes": [
                        {
                            "field": "messages",
                            "value": {
                                "messaging_product": "whatsapp",
                                "metadata": {
                                    "display_phone_number": "15550783881",
                                    "phone_number_id": "106540352242922",
                                },
                                "contacts": [
                                    {"profile": {"name": f"Customer {index % SENDERS}"}, "wa_id": wa_id}
                                ],
                                "messages": [
                                    {
                                        "from": wa_id,
                                        "id": f"wamid.bench.{run_id}.{phase}.{index}",
                                        "timestamp": str(int(time.time())),
                                        "type": "text",
                                        "text": {"body": f"שלום, message {index} — مرحبا — привет"},
                                    }
                                ],
                            },
                        }
                    ],
                }
            ],
        }
        bodies.append(json.dumps(body, ensure_ascii=False).encode())
    return bodies


def timed_map(func, items, concurrency):
    """Run func over items with a thread pool; return (per-call latencies in s, wall time in s)."""

    def timed(item):
        start = time.perf_counter()
        func(item)
        return time.perf_counter() - start

    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        latencies = list(pool.map(timed, items))
    return latencies, time.perf_counter() - start


def percentile(values, pct):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def wait_processed(rpc, channel_id, n, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        counts = {
            state: rpc(
                "mychat.event", "search_count", [("channel_id", "=", channel_id), ("state", "=", state)]
            )
            for state in ("pending", "done", "failed", "error")
        }
        if counts["pending"] == 0 and sum(counts.values()) >= n:
            return counts
        time.sleep(0.2)
    return None


def main():
    parser = argparse.ArgumentParser(description="MyChat ingest benchmark")
    parser.add_argument("--url", help="a running server (else one is started)")
    parser.add_argument("--db", default="mychat_bench")
    parser.add_argument("-n", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--addons-path", default=None)
    parser.add_argument("--timeout", type=float, default=90, help="seconds to wait for the processing")
    args = parser.parse_args()
    args.addons_path = args.addons_path or addons_path()
    server, url = (None, args.url.rstrip("/")) if args.url else start_server(args)
    try:
        rpc = Rpc(url, args.db, args.login, args.password)
        run_id = secrets.token_hex(3)
        async_id, token, secret = create_channel(rpc, f"Bench async {run_id}")
        sync_id, _token, _secret = create_channel(rpc, f"Bench sync {run_id}")
        action_id = sync_action(rpc)
        local = threading.local()

        def post(body):
            if not hasattr(local, "session"):
                local.session = requests.Session()
            signature = signatures.meta_signature(secret, body)
            response = local.session.post(
                f"{url}/mychat/webhook/{token}",
                data=body,
                headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature},
                timeout=60,
            )
            response.raise_for_status()

        print(f"bench: {args.n} webhooks, concurrency {args.concurrency}, {url} db={args.db}", flush=True)
        start = time.perf_counter()
        latencies, ack_wall = timed_map(post, webhook_bodies(args.n, run_id, "async"), args.concurrency)
        counts = wait_processed(rpc, async_id, args.n, args.timeout)
        processed_wall = time.perf_counter() - start
        if not counts or counts["done"] != args.n:
            sys.exit(f"bench: events not all processed within {args.timeout}s: {counts}")
        ack_rps = args.n / ack_wall
        processed_per_s = args.n / processed_wall
        p50, p99 = percentile(latencies, 50) * 1000, percentile(latencies, 99) * 1000
        print(f"async: acked in {ack_wall:.2f}s, all processed after {processed_wall:.2f}s", flush=True)

        def process_in_request(item):
            key, body = item
            context = {"bench_channel_id": sync_id, "bench_key": key, "bench_payload": body.decode()}
            rpc("ir.actions.server", "run", [action_id], context=context)

        items = [
            (f"sync-{run_id}-{i}", body) for i, body in enumerate(webhook_bodies(args.n, run_id, "sync"))
        ]
        sync_latencies, sync_wall = timed_map(process_in_request, items, args.concurrency)
        done = rpc("mychat.message", "search_count", [("channel_id", "=", sync_id)])
        if done != args.n:
            sys.exit(f"bench: the sync baseline stored {done} messages instead of {args.n}")
        sync_rps = args.n / sync_wall
        sync_p50, sync_p99 = percentile(sync_latencies, 50) * 1000, percentile(sync_latencies, 99) * 1000
        sync_mean = statistics.mean(sync_latencies) * 1000
        print(
            f"sync: {sync_wall:.2f}s, p50 {sync_p50:.1f} ms, p99 {sync_p99:.1f} ms, mean {sync_mean:.1f} ms"
        )
        print(
            f"RESULT ack_rps={ack_rps:.1f} p50_ms={p50:.1f} p99_ms={p99:.1f} "
            f"processed_per_s={processed_per_s:.1f} sync_rps={sync_rps:.1f} "
            f"ratio_vs_sync={ack_rps / sync_rps:.2f}"
        )
    finally:
        if server:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
