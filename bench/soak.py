"""Soak and fault harness: a real Odoo server, killed and restarted while it ingests, then fuzzed.

Run with the Odoo interpreter, from the repository:

    python bench/soak.py                                   # 10,000 messages, two kills, 1,000 fuzzed bodies
    python bench/soak.py --messages 1000 --kills 1 --fuzz 300   # the smaller run of `make test-soak`

1. A fresh database (``--db``, default mychat_soak) gets mychat_omnichannel and chatbot_sync; a server is
   started on a free 127.0.0.1 port (``--workers=0 --max-cron-threads=1``).
2. ``--messages`` signed WhatsApp messages from ``--senders`` customers are POSTed by ``--concurrency``
   threads, ``--dup-rate`` of them a second time (as providers redeliver). The server is killed with SIGKILL
   while posting (and, with ``--kills 2``, again while the event cron processes), then restarted on the same
   port; every request that got no answer or a 5xx is sent again, as a provider would.
3. Once every event is processed: 0 lost (each message stored), 0 doubled (each stored once), every event
   ``done``.
4. ``--fuzz`` seeded random mutations of valid, correctly signed payloads of every channel type (WhatsApp,
   Messenger, Instagram, Telegram, SMS, chatbot): no answer >= 500, each delivery stored exactly once (by the
   channel's delivery key), the server alive afterwards.

Prints ``RESULT sent=… duplicates=… kills=… lost=… doubled=… fuzzed=… fuzz_5xx=…`` and exits non-zero when a
check fails.
"""

import argparse
import base64
import hashlib
import hmac
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import xmlrpc.client
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))  # the helper shared with scripts/
from mychat_dev import REPO, addons_path, signatures
from mychat_dev import whatsapp_payloads as wa

PHONE_NUMBER_ID = wa.PHONE_NUMBER_ID


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def log(message):
    print(f"soak: {message}", flush=True)


class Server:
    """One real ``odoo`` process; killed with SIGKILL and started again on the same port."""

    def __init__(self, args):
        self.args = args
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None
        self.kills = 0
        self.logfile = open(args.log, "ab")  # noqa: SIM115 -- kept for the life of the run

    def cmd(self, *extra):
        return [
            sys.executable,
            "-m",
            "odoo",
            f"--addons-path={self.args.addons_path}",
            "-d",
            self.args.db,
            *extra,
        ]

    def install(self):
        subprocess.run(["dropdb", "--if-exists", self.args.db], check=True)
        log(f"installing mychat_omnichannel and chatbot_sync in a fresh {self.args.db}")
        subprocess.run(
            self.cmd("-i", "mychat_omnichannel,chatbot_sync", "--stop-after-init", "--log-level=warn"),
            check=True,
            stdout=self.logfile,
            stderr=self.logfile,
        )

    def start(self):
        self.process = subprocess.Popen(
            self.cmd(
                f"--db-filter=^{self.args.db}$",
                "--http-interface=127.0.0.1",
                f"--http-port={self.port}",
                "--gevent-port=0",
                "--max-cron-threads=1",
                "--workers=0",
                "--log-level=warn",
            ),
            stdout=self.logfile,
            stderr=self.logfile,
        )
        deadline = time.time() + 180
        while time.time() < deadline:
            if self.alive():
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.3)
        sys.exit("soak: the Odoo server did not start")

    def alive(self):
        try:
            return requests.get(f"{self.url}/web/login", timeout=5).status_code == 200
        except requests.RequestException:
            return False

    def kill(self, why):
        log(f"SIGKILL ({why})")
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.kills += 1

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()


class Rpc:
    """XML-RPC as admin, retried while the server restarts; one proxy per thread."""

    def __init__(self, server, db):
        self.server, self.db, self.local = server, db, threading.local()
        self.uid = self.retry(
            lambda: xmlrpc.client.ServerProxy(f"{server.url}/xmlrpc/2/common").authenticate(
                db, "admin", "admin", {}
            )
        )

    def retry(self, call):
        for _attempt in range(120):
            try:
                return call()
            except (OSError, xmlrpc.client.ProtocolError):
                time.sleep(1)
        raise RuntimeError("soak: the server did not answer XML-RPC")

    def __call__(self, model, method, *args, **kwargs):
        def call():
            proxy = xmlrpc.client.ServerProxy(f"{self.server.url}/xmlrpc/2/object", allow_none=True)
            return proxy.execute_kw(self.db, self.uid, "admin", model, method, list(args), kwargs)

        return self.retry(call)


def create_channel(rpc, name, channel_type, secret, **extra):
    channel_id = rpc(
        "mychat.channel",
        "create",
        {
            "name": name,
            "channel_type": channel_type,
            "secret": secret,
            "access_token": "soak",
            "api_base_url": "http://127.0.0.1:9",
            **extra,
        },
    )
    (values,) = rpc("mychat.channel", "read", [channel_id], fields=["webhook_token"])
    return channel_id, values["webhook_token"]


# ----------------------------------------------------------------------
# Payloads
# ----------------------------------------------------------------------


def meta_headers(secret, body):
    return {
        "Content-Type": "application/json",
        "X-Hub-Signature-256": signatures.meta_signature(secret, body),
    }


def whatsapp_body(index, senders, run_id):
    wa_id = f"97250{index % senders:07d}"
    text = wa.text(f"wamid.soak.{run_id}.{index}", f"message {index} — שלום — مرحبا", wa_id=wa_id)
    return json.dumps(wa.notification([text], wa_id=wa_id, name=f"Customer {index % senders}")).encode()


def post_until_answered(server, url, body, headers, stats, lock, retry_5xx=True):
    """POST like a provider: no answer or a 5xx is retried (with a short backoff) until a 2xx/4xx. Fuzzing
    counts a 5xx and moves on (``retry_5xx=False``)."""
    for attempt in range(600):
        try:
            response = requests.post(url, data=body, headers=headers, timeout=60)
        except requests.RequestException:
            with lock:
                stats["resent"] += 1
            time.sleep(min(0.2 * (attempt + 1), 2))
            continue
        if response.status_code >= 500 or (retry_5xx and response.status_code != 200):
            # a restarting server answers 404 until its registry is loaded: providers resend any non-2xx
            with lock:
                stats["5xx" if response.status_code >= 500 else "non_2xx"] += 1
                stats["resent"] += 1
            if not retry_5xx:
                return response.status_code
            time.sleep(0.5)
            continue
        return response.status_code
    return None


def soak(args, server, rpc, rng):
    secret = secrets.token_hex(16)
    channel_id, token = create_channel(
        rpc, "Soak WhatsApp", "whatsapp", secret, external_account_id=PHONE_NUMBER_ID
    )
    url = f"{server.url}/mychat/webhook/{token}"
    run_id = secrets.token_hex(4)
    bodies = [whatsapp_body(index, args.senders, run_id) for index in range(args.messages)]
    plan = list(range(args.messages))
    duplicates = rng.sample(range(args.messages), int(args.messages * args.dup_rate))
    for index in duplicates:  # the redelivery comes a little later, as providers do
        plan.insert(min(len(plan), plan.index(index) + rng.randint(1, 200)), index)
    stats, lock = {"resent": 0, "5xx": 0, "non_2xx": 0, "posted": 0, "refused": 0}, threading.Lock()
    kill_at = int(len(plan) * 0.4) if args.kills >= 1 else None
    killed = threading.Event()

    def post(index):
        status = post_until_answered(
            server, url, bodies[index], meta_headers(secret, bodies[index]), stats, lock
        )
        with lock:
            stats["posted"] += 1
            if status != 200:
                stats["refused"] += 1
            if kill_at is not None and stats["posted"] >= kill_at and not killed.is_set():
                killed.set()
                threading.Thread(target=restart, args=(server, "while posting"), daemon=True).start()

    started = time.time()
    log(f"posting {len(plan)} requests ({args.messages} messages, {len(duplicates)} sent twice)")
    with ThreadPoolExecutor(args.concurrency) as pool:
        list(pool.map(post, plan))
    log(f"posted in {time.time() - started:.0f}s; {stats['resent']} requests re-sent, {stats['5xx']} 5xx")

    def done_count():
        return rpc("mychat.event", "search_count", [("channel_id", "=", channel_id), ("state", "=", "done")])

    if args.kills >= 2:
        target = args.messages * 0.3
        while done_count() < target:
            time.sleep(1)
        restart(server, "while processing")
    deadline = time.time() + args.timeout
    while time.time() < deadline:
        done = done_count()
        if done >= args.messages:
            break
        time.sleep(2)
    log(f"processed in {time.time() - started:.0f}s from the first request")
    events = rpc(
        "mychat.event", "read_group", [("channel_id", "=", channel_id)], ["state"], ["state"], lazy=False
    )
    states = {group["state"]: group["__count"] for group in events}
    rows = rpc(
        "mychat.message",
        "search_read",
        [("channel_id", "=", channel_id), ("direction", "=", "inbound")],
        ["external_id"],
    )
    ids = [row["external_id"] for row in rows]
    expected = {f"wamid.soak.{run_id}.{index}" for index in range(args.messages)}
    return {
        "sent": len(plan),
        "duplicates": len(duplicates),
        "lost": len(expected - set(ids)),
        "doubled": len(ids) - len(set(ids)),
        "not_done": sum(count for state, count in states.items() if state != "done"),
        "events": sum(states.values()),
        "refused": stats["refused"],
        "soak_5xx": stats["5xx"],
    }


def restart(server, why):
    server.kill(why)
    server.start()
    log("server restarted")


# ----------------------------------------------------------------------
# Fuzzing
# ----------------------------------------------------------------------


def random_leaf_value(rng):
    return rng.choice(
        [
            None,
            True,
            -1,
            10**30,
            1.5e308,
            "",
            "\u0000",
            "x" * rng.randint(1, 70000),
            "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \u202e RTL \ud7ff",
            [],
            {},
            [[[[[]]]]],
            {"a": {"b": {"c": None}}},
            "<script>alert(1)</script>",
            "'; DROP TABLE mychat_event; --",
        ]
    )


def mutate_json(data, rng):
    """Replace, drop or retype one random node of a decoded JSON document."""
    nodes = []

    def walk(node, parent, key):
        nodes.append((parent, key))
        if isinstance(node, dict):
            for child_key, child in node.items():
                walk(child, node, child_key)
        elif isinstance(node, list):
            for child_index, child in enumerate(node):
                walk(child, node, child_index)

    walk(data, None, None)
    parent, key = rng.choice(nodes[1:] or nodes)
    if parent is None:
        return random_leaf_value(rng)
    if isinstance(parent, dict) and rng.random() < 0.3:
        del parent[key]
    else:
        parent[key] = random_leaf_value(rng)
    return data


def mutate_bytes(body, rng):
    choice = rng.randrange(7)
    if choice == 0 and body:  # flip bytes
        data = bytearray(body)
        for _flip in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        return bytes(data)
    if choice == 1:
        return body[: rng.randrange(len(body) + 1)]
    if choice == 2:
        cut = rng.randrange(len(body) + 1)
        return body[:cut] + b"\x00" + body[cut:]
    if choice == 3:
        depth = rng.choice((50, 1000, 10000, 30000))
        return b"[" * depth + body + b"]" * depth
    if choice == 4:
        cut = rng.randrange(len(body) + 1)
        return body[:cut] + b"\xff\xfe\xc3" + body[cut:]
    if choice == 5:
        return b""
    return body + body


def fuzz(args, server, rpc, rng):
    samples = REPO / "addons" / "mychat_omnichannel" / "tests" / "samples"
    messenger = json.loads((samples / "messenger_text.json").read_text())
    instagram = json.loads((samples / "messenger_text.json").read_text())
    instagram["object"] = "instagram"
    bases = {
        "whatsapp": json.loads((samples / "whatsapp_text.json").read_text()),
        "messenger": messenger,
        "instagram": instagram,
        "telegram": json.loads((samples / "telegram_text.json").read_text()),
        "chatbot": {
            "type": "message.created",
            "conversation_id": "c_fuzz",
            "bot": {"id": "fuzz-bot", "name": "Fuzz bot"},
            "contact": {"external_id": "u_fuzz", "name": "Fuzz"},
            "message": {"id": "m1", "role": "user", "text": "hi", "ts": "2026-06-01T10:00:00Z"},
        },
    }
    sms_form = dict(
        pair.split("=", 1) for pair in (samples / "sms_inbound.txt").read_text().strip().split("&")
    )
    channels = {}
    for channel_type in [*bases, "sms"]:
        secret = (
            "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()
            if channel_type == "chatbot"
            else secrets.token_hex(16)
        )
        extra = {"sms_account_sid": "ACFUZZ"} if channel_type == "sms" else {}
        channel_id, token = create_channel(rpc, f"Fuzz {channel_type}", channel_type, secret, **extra)
        channels[channel_type] = {"id": channel_id, "token": token, "secret": secret, "keys": set()}
    types = list(channels)
    stats, lock = {"5xx": 0, "non_2xx": 0, "resent": 0}, threading.Lock()
    results = {"fuzzed": 0, "fuzz_5xx": 0, "fuzz_4xx": 0}
    jobs = []
    for index in range(args.fuzz):
        channel_type = types[index % len(types)]
        channel = channels[channel_type]
        url = f"{server.url}/mychat/webhook/{channel['token']}"
        if channel_type == "sms":
            form = {key: value for key, value in sms_form.items()}
            form = {key: requests.utils.unquote(value.replace("+", " ")) for key, value in form.items()}
            form["MessageSid"] = form["SmsSid"] = form["SmsMessageSid"] = f"SMFUZZ{index}"
            for _change in range(rng.randint(1, 3)):
                key = rng.choice([k for k in form if k not in ("MessageSid", "SmsSid", "SmsStatus")])
                value = random_leaf_value(rng)
                form[key] = value if isinstance(value, str) else json.dumps(value)
            body = urlencode(form).encode()
            data = url + "".join(f"{key}{value}" for key, value in sorted(form.items()))
            signature = base64.b64encode(
                hmac.new(channel["secret"].encode(), data.encode(), hashlib.sha1).digest()
            ).decode()
            headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature}
            key = f"SMFUZZ{index}"
        else:
            document = json.loads(json.dumps(bases[channel_type]))
            if channel_type == "telegram":
                document["update_id"] = 900000 + index
            if rng.random() < 0.5:
                body = json.dumps(mutate_json(document, rng)).encode()
            else:
                body = mutate_bytes(json.dumps(document).encode(), rng)
            if channel_type == "chatbot":
                msg_id, timestamp = f"msg_fuzz_{index}", str(int(time.time()))
                to_sign = f"{msg_id}.{timestamp}.".encode() + body
                raw_key = base64.b64decode(channel["secret"].removeprefix("whsec_"))
                signature = (
                    "v1," + base64.b64encode(hmac.new(raw_key, to_sign, hashlib.sha256).digest()).decode()
                )
                headers = {
                    "Content-Type": "application/json",
                    "webhook-id": msg_id,
                    "webhook-timestamp": timestamp,
                    "webhook-signature": signature,
                }
                key = msg_id
            elif channel_type == "telegram":
                headers = {
                    "Content-Type": "application/json",
                    "X-Telegram-Bot-Api-Secret-Token": channel["secret"],
                }
                try:
                    update_id = json.loads(body).get("update_id")
                except (ValueError, AttributeError, RecursionError):
                    update_id = None
                key = str(update_id) if update_id is not None else hashlib.sha256(body).hexdigest()
            else:
                headers = meta_headers(channel["secret"], body)
                key = hashlib.sha256(body).hexdigest()
        if len(body) > 4 * 1024 * 1024:
            continue  # over the cap: refused with 413 by design, not a fuzz case
        if "\x00" in key:  # PostgreSQL text holds no NUL: MyChat stores such a key as its sha256
            key = hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()
        channel["keys"].add(key)
        jobs.append((url, body, headers))

    def post(job):
        url, body, headers = job
        status = post_until_answered(server, url, body, headers, stats, lock, retry_5xx=False)
        with lock:
            results["fuzzed"] += 1
            if status is not None and 400 <= status < 500:
                results["fuzz_4xx"] += 1

    log(f"fuzzing: {len(jobs)} mutated, signed payloads over {len(types)} channel types")
    with ThreadPoolExecutor(args.concurrency) as pool:
        list(pool.map(post, jobs))
    results["fuzz_5xx"] = stats["5xx"]
    stored_wrong = 0
    for channel_type, channel in channels.items():
        rows = rpc("mychat.event", "search_read", [("channel_id", "=", channel["id"])], ["dedupe_key"])
        keys = [row["dedupe_key"] for row in rows]
        if len(keys) != len(set(keys)) or set(keys) != channel["keys"]:
            stored_wrong += 1
            log(f"{channel_type}: {len(set(keys))} stored vs {len(channel['keys'])} expected deliveries")
    results["fuzz_stored_wrong"] = stored_wrong
    results["alive"] = server.alive()
    return results


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", default="mychat_soak")
    parser.add_argument("--messages", type=int, default=10000)
    parser.add_argument("--senders", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--dup-rate", type=float, default=0.2)
    parser.add_argument("--kills", type=int, default=2, choices=(0, 1, 2))
    parser.add_argument("--fuzz", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--timeout", type=int, default=3600, help="seconds to wait for processing")
    parser.add_argument("--log", default=os.path.join(os.environ.get("TMPDIR", "/tmp"), "mychat_soak.log"))
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()
    args.addons_path = addons_path()
    rng = random.Random(args.seed)
    server = Server(args)
    server.install()
    server.start()
    try:
        rpc = Rpc(server, args.db)
        result = soak(args, server, rpc, rng)
        result.update(fuzz(args, server, rpc, rng))
    finally:
        server.stop()
        if not args.keep_db:
            subprocess.run(["dropdb", "--if-exists", args.db], check=False)
    result["kills"] = server.kills
    print(
        "RESULT sent={sent} duplicates={duplicates} kills={kills} lost={lost} doubled={doubled} "
        "not_done={not_done} fuzzed={fuzzed} fuzz_5xx={fuzz_5xx} fuzz_stored_wrong={fuzz_stored_wrong} "
        "alive={alive}".format(**result),
        flush=True,
    )
    ok = (
        result["lost"] == 0
        and result["doubled"] == 0
        and result["not_done"] == 0
        and result["fuzz_5xx"] == 0
        and result["fuzz_stored_wrong"] == 0
        and result["alive"]
        and result["refused"] == 0
    )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
