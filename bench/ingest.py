"""Ingest benchmark: acknowledgement against Odoo's own health route, then the drain of a stored backlog.

Run with the Odoo interpreter, from the repository (``make bench`` runs it with the defaults)::

    python bench/ingest.py                      # threaded server (--workers=0)
    python bench/ingest.py --workers 2          # prefork server, two HTTP workers
    python bench/ingest.py --workers 2 --ack-only   # the acknowledgement rounds only (``make bench``)

The database (``--db``, default mychat_bench) is created with mychat_omnichannel when missing. The server is
started on a free 127.0.0.1 port with ``-d``/``--db-filter`` (no per-request database listing) and
``--max-cron-threads=0``: nothing drains while the acknowledgements are measured.

1. **ack**: in the same server and run, ``GET /web/health?db_server_status=1`` (Odoo's cheapest route that
   touches PostgreSQL) and signed WhatsApp webhooks are each sent ``-n`` times by ``--concurrency`` clients,
   interleaved three times; requests/s and p99 of each, medians of the three rounds.
2. **drain**: the backlog the webhooks stored (``--backlog`` events per round for known senders,
   ``--new-backlog`` for new ones; ``--rounds`` rounds, medians printed) is processed by event
   workers: separate processes that run ``mychat.event._cron_process()`` as Odoo's cron worker would
   (``--max-cron-threads`` processes in prefork). Messages/s from the first claim to the last, with one
   worker and with two on equal backlogs (known senders: their contacts and conversations exist), and
   with one worker on a backlog of new senders (matching, lead rule, routing). After each drain: every
   event done, one message per event, and each sender's messages in the order the webhooks were sent.

Prints ``RESULT ack_rps=… health_rps=… ratio_vs_health=… ack_p99_ms=… health_p99_ms=… p99_ratio=…`` and
``RESULT drain_known_per_s=… drain_known_2w_per_s=… scale_1_to_2=… drain_new_per_s=…``.
"""

import argparse
import json
import os
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
from mychat_dev import whatsapp_payloads as wa

SENDERS = 50


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
        print(
            f"bench: installing mychat_omnichannel, chatbot_sync, live_routing in {args.db} (one-off)",
            flush=True,
        )
        subprocess.run(
            odoo_cmd(
                args,
                "-i",
                "mychat_omnichannel,chatbot_sync,live_routing",
                "--stop-after-init",
                "--log-level=warn",
            ),
            check=True,
        )
    port = free_port()
    cmd = odoo_cmd(
        args,
        f"--db-filter=^{args.db}$",
        "--http-interface=127.0.0.1",
        f"--http-port={port}",
        "--gevent-port=0" if not args.workers else f"--gevent-port={free_port()}",
        "--max-cron-threads=0",
        f"--workers={args.workers}",
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


def webhook_body(wa_id, wamid, index):
    text = wa.text(wamid, f"#{index} שלום — مرحبا — привет", wa_id=wa_id)
    return json.dumps(
        wa.notification([text], wa_id=wa_id, name=f"Customer {wa_id[-4:]}"), ensure_ascii=False
    ).encode()


def bodies(n, tag, senders):
    """N notifications, one text each; ``senders`` distinct customers (index in the text keeps the order)."""
    return [
        webhook_body(f"9725{senders['base'] + i % senders['count']:08d}", f"wamid.{tag}.{i}", i)
        for i in range(n)
    ]


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


def p99(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def poster(url, token, secret):
    local = threading.local()

    def post(body):
        if not hasattr(local, "session"):
            local.session = requests.Session()
        response = local.session.post(
            f"{url}/mychat/webhook/{token}",
            data=body,
            headers={
                "Content-Type": "application/json",
                "X-Hub-Signature-256": signatures.meta_signature(secret, body),
            },
            timeout=60,
        )
        if response.status_code != 200:
            raise RuntimeError(f"webhook answered {response.status_code}: {response.text[:200]}")

    return post


def health(url):
    local = threading.local()

    def get(_item):
        if not hasattr(local, "session"):
            local.session = requests.Session()
        response = local.session.get(f"{url}/web/health?db_server_status=1", timeout=60)
        if response.status_code != 200:
            raise RuntimeError(f"health answered {response.status_code}")

    return get


# ----------------------------------------------------------------------------------------------------------
# Event workers (separate processes, as Odoo's cron workers are)
# ----------------------------------------------------------------------------------------------------------


def worker_main(db, addons):
    """One event worker: drain every due event, then print the first claim and last commit times."""
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry
    from odoo.tools import config

    config.parse_config([f"--addons-path={addons}", "-d", db, "--log-level=warn"])
    registry = Registry(db)
    print("ready", flush=True)
    sys.stdin.readline()  # start together
    start = time.time()
    with registry.cursor() as cr:
        api.Environment(cr, SUPERUSER_ID, {})["mychat.event"]._cron_process()
    print(f"{start} {time.time()}", flush=True)


def drain(args, workers):
    """Start ``workers`` event workers on what is stored; seconds from the first start to the last finish."""
    procs = [
        subprocess.Popen(
            [sys.executable, __file__, "--worker", "--db", args.db, "--addons-path", args.addons_path],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(workers)
    ]
    for proc in procs:
        if proc.stdout.readline().strip() != "ready":
            sys.exit("bench: an event worker did not start")
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    spans = []
    for proc in procs:
        out, _err = proc.communicate(timeout=args.timeout)
        start, end = map(float, out.split()[-2:])
        spans.append((start, end))
    return max(end for _s, end in spans) - min(start for start, _e in spans)


def check_drained(rpc, channel_id, expected):
    """Every event done, one message each, each sender's messages in the order they were sent."""
    events = rpc(
        "mychat.event", "read_group", [("channel_id", "=", channel_id)], ["state"], ["state"], lazy=False
    )
    states = {group["state"]: group["__count"] for group in events}
    if states != {"done": expected}:
        sys.exit(f"bench: events not all done: {states}")
    messages = rpc(
        "mychat.message",
        "search_read",
        [("channel_id", "=", channel_id), ("direction", "=", "inbound")],
        ["conversation_id", "body", "external_id"],
        order="id",
    )
    if len(messages) != expected or len({m["external_id"] for m in messages}) != expected:
        sys.exit(f"bench: {len(messages)} messages for {expected} events (lost or doubled)")
    last = {}
    for message in messages:
        index = int(message["body"].split()[0][1:])
        conv = message["conversation_id"][0]
        if index < last.get(conv, -1):
            sys.exit(f"bench: conversation {conv} out of order ({index} after {last[conv]})")
        last[conv] = index


def median(values):
    return statistics.median(values)


def main():
    parser = argparse.ArgumentParser(description="MyChat ingest benchmark")
    parser.add_argument("--db", default="mychat_bench")
    parser.add_argument("-n", type=int, default=600, help="requests per ack round (each kind)")
    parser.add_argument("--backlog", type=int, default=5000, help="events per drain round, known senders")
    parser.add_argument("--new-backlog", type=int, default=1000, help="events per drain round, new senders")
    parser.add_argument("--rounds", type=int, default=3, help="drain rounds (medians are printed)")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=0, help="HTTP workers (0: threaded)")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--addons-path", default=None)
    parser.add_argument("--timeout", type=float, default=900, help="seconds a drain may take")
    parser.add_argument("--ack-only", action="store_true", help="measure the acknowledgement only")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.addons_path = args.addons_path or addons_path()
    if args.worker:
        return worker_main(args.db, args.addons_path)
    server, url = start_server(args)
    try:
        rpc = Rpc(url, args.db, args.login, args.password)
        run = secrets.token_hex(3)
        mode = f"--workers={args.workers}" if args.workers else "threaded"
        print(
            f"bench: {mode}, concurrency {args.concurrency}, {args.n} requests per round, db={args.db}",
            flush=True,
        )

        # 1. acknowledgement vs Odoo's health route, interleaved, three rounds
        channel_id, token, secret = create_channel(rpc, f"Bench ack {run}")
        post, get = poster(url, token, secret), health(url)
        timed_map(get, range(50), args.concurrency)  # warm both routes up
        timed_map(post, bodies(50, f"{run}.warm", {"base": 0, "count": SENDERS}), args.concurrency)
        rounds = []
        for r in range(3):
            h_lat, h_wall = timed_map(get, range(args.n), args.concurrency)
            a_lat, a_wall = timed_map(
                post, bodies(args.n, f"{run}.ack{r}", {"base": 0, "count": SENDERS}), args.concurrency
            )
            rounds.append((args.n / a_wall, args.n / h_wall, p99(a_lat) * 1000, p99(h_lat) * 1000))
            print(
                f"  ack round {r + 1}: webhook {rounds[-1][0]:.1f}/s p99 {rounds[-1][2]:.1f} ms, "
                f"health {rounds[-1][1]:.1f}/s p99 {rounds[-1][3]:.1f} ms",
                flush=True,
            )
        ack_rps, health_rps, ack_p99, health_p99 = (median(col) for col in zip(*rounds, strict=False))
        print(
            f"RESULT mode={mode} ack_rps={ack_rps:.1f} health_rps={health_rps:.1f} "
            f"ratio_vs_health={ack_rps / health_rps:.2f} ack_p99_ms={ack_p99:.1f} "
            f"health_p99_ms={health_p99:.1f} p99_ratio={ack_p99 / health_p99:.2f}",
            flush=True,
        )
        # the ack rounds' events are drained (not measured) so the drain rounds start from their own backlog
        drain(args, 2)
        if args.ack_only:
            return

        # 2. drains of stored backlogs: known senders with 1 and 2 workers, new senders with 1; three rounds
        results = {"known": [], "known_2w": [], "new": []}
        for r in range(args.rounds):
            for label, workers in (("known", 1), ("known_2w", 2), ("new", 1)):
                channel_id, token, secret = create_channel(rpc, f"Bench {label} {run}.{r}")
                post = poster(url, token, secret)
                backlog = args.new_backlog if label == "new" else args.backlog
                if label == "new":
                    # numbers no earlier run used (the run's token picks a million, the round a slice)
                    base = (1 + int(run, 16) % 98) * 1_000_000 + r * 100_000
                    senders = {"base": base, "count": backlog}
                else:
                    # the senders' first messages: contacts and conversations exist before the measured drain
                    senders = {"base": 0, "count": SENDERS}
                    timed_map(post, bodies(SENDERS, f"{run}.{r}.{label}.seed", senders), args.concurrency)
                    drain(args, 1)
                timed_map(post, bodies(backlog, f"{run}.{r}.{label}", senders), args.concurrency)
                seconds = drain(args, workers)
                check_drained(rpc, channel_id, backlog + (0 if label == "new" else SENDERS))
                results[label].append(backlog / seconds)
                print(
                    f"  drain {label} round {r + 1}: {backlog} events, {workers} worker(s), {seconds:.1f} s, "
                    f"{results[label][-1]:.1f} messages/s",
                    flush=True,
                )
        known, known_2w, new = (median(results[label]) for label in ("known", "known_2w", "new"))
        print(
            f"RESULT drain_known_per_s={known:.1f} drain_known_2w_per_s={known_2w:.1f} "
            f"scale_1_to_2={known_2w / known:.2f} drain_new_per_s={new:.1f}",
            flush=True,
        )
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
