#!/usr/bin/env python3
"""Send realistic, correctly signed provider webhooks to a running MyChat server, so that conversations
arrive in the MyChat menu without any provider account.

    make simulate                       # WhatsApp, against the `make run` demo on 127.0.0.1:8069
    python3 scripts/simulate.py --db mychat_demo --url http://127.0.0.1:8069 --channel whatsapp

The channel's webhook token and signing secret are read over XML-RPC (``--login``/``--password``, admin by
default); when that fails the demo data's values are used. One ``simulate_<channel type>`` function per
connector, registered in SIMULATORS: add yours the same way. Nothing here talks to the internet.
"""

import argparse
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
import xmlrpc.client

from mychat_dev import signatures

SIMULATORS = {}


def simulator(channel_type):
    def register(func):
        SIMULATORS[channel_type] = func
        return func

    return register


class Server:
    """The running Odoo: XML-RPC for reading configuration, plain HTTP for webhooks."""

    def __init__(self, url, db, login, password):
        self.url, self.db, self.password = url.rstrip("/"), db, password
        self.uid = None
        try:
            common = xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/common")
            self.uid = common.authenticate(db, login, password, {})
        except (OSError, xmlrpc.client.Error) as error:
            print(f"simulate: XML-RPC unavailable ({error}); using the demo credentials")
        self.models = xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/object", allow_none=True)

    def call(self, model, method, *args, **kwargs):
        return self.models.execute_kw(self.db, self.uid, self.password, model, method, list(args), kwargs)

    def channel(self, channel_type, default_token, default_secret):
        """(id, webhook token, secret) of the first active channel of that type."""
        if self.uid:
            found = self.call(
                "mychat.channel",
                "search_read",
                [("channel_type", "=", channel_type)],
                fields=["webhook_token", "secret"],
                limit=1,
            )
            if found:
                return found[0]["id"], found[0]["webhook_token"], found[0]["secret"] or default_secret
        return None, default_token, default_secret

    def post(self, token, body, headers):
        request = urllib.request.Request(
            f"{self.url}/mychat/webhook/{token}", data=body, headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def wait_processed(self, channel_id, since_id, timeout=60):
        """Wait until the events stored by this run are processed; return them."""
        if not (self.uid and channel_id):
            return []
        domain = [("channel_id", "=", channel_id), ("id", ">", since_id)]
        deadline = time.time() + timeout
        while True:
            events = self.call("mychat.event", "search_read", domain, fields=["state", "failure_reason"])
            if all(event["state"] != "pending" for event in events) or time.time() > deadline:
                return events
            time.sleep(1)

    def last_event_id(self, channel_id):
        if not (self.uid and channel_id):
            return 0
        last = self.call(
            "mychat.event", "search", [("channel_id", "=", channel_id)], order="id desc", limit=1
        )
        return last[0] if last else 0


# ----------------------------------------------------------------------
# WhatsApp Cloud API
# ----------------------------------------------------------------------

WHATSAPP_SENDERS = [
    # wa_id, profile name, text (the first four match demo partners' phones)
    ("972541234567", "Dana", "היי, קיבלתי את ההצעה. אפשר לתאם התקנה לשבוע הבא?"),
    ("972527654321", "Omar", "مرحبا، هل يمكنني الحصول على عرض سعر محدث مع البطاريات؟"),
    ("359881234567", "Ivan", "Здравейте! Интересувам се от соларни панели за къща във Варна."),
    ("79123456789", "Olga", "Добрый день! Подскажите, сколько стоит установка под ключ?"),
    ("447700900123", "Emma Clarke", "Hi! Do you ship to the UK, and how long does delivery take?"),
]


def whatsapp_notification(value):
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
        **value,
    }
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"value": value, "field": "messages"}]}],
    }


def whatsapp_message(wa_id, name, kind, content):
    message = {
        "from": wa_id,
        "id": f"wamid.sim.{uuid.uuid4().hex}",
        "timestamp": str(int(time.time())),
        "type": kind,
    }
    message[kind] = content
    return whatsapp_notification(
        {"contacts": [{"profile": {"name": name}, "wa_id": wa_id}], "messages": [message]}
    )


@simulator("whatsapp")
def simulate_whatsapp(server, args):
    """Texts in five languages, a photo, a location, then delivery statuses of an agent's reply."""
    channel_id, token, secret = server.channel("whatsapp", "demo-whatsapp-token", "demo_app_secret")
    dana, omar = WHATSAPP_SENDERS[0], WHATSAPP_SENDERS[1]
    bodies = [
        (f"text from {name}", whatsapp_message(wa_id, name, "text", {"body": text}))
        for wa_id, name, text in WHATSAPP_SENDERS
    ]
    if not args.skip_media:
        # the server fetches the photo from Meta's Graph API: offline it fails and says so on the message
        photo = {
            "id": f"sim-media-{uuid.uuid4().hex[:8]}",
            "mime_type": "image/jpeg",
            "caption": "הגג שלנו 📷",
        }
        bodies.append(("photo from Dana", whatsapp_message(dana[0], dana[1], "image", photo)))
    location = {
        "latitude": 32.0853,
        "longitude": 34.7818,
        "name": "המשרד",
        "address": "Rothschild 1, Tel Aviv",
    }
    bodies.append(("location from Omar", whatsapp_message(omar[0], omar[1], "location", location)))
    wamid = last_outbound(server, channel_id, "wamid.demo.dana.2")
    for offset, status in enumerate(("sent", "delivered", "read")):
        statuses = [
            {
                "id": wamid,
                "status": status,
                "timestamp": str(int(time.time()) + offset),
                "recipient_id": dana[0],
            }
        ]
        bodies.append((f"status {status} of {wamid}", whatsapp_notification({"statuses": statuses})))
    for label, payload in bodies:
        raw = json.dumps(payload, ensure_ascii=False).encode()
        signature = signatures.meta_signature(secret, raw)
        status = server.post(
            token, raw, {"Content-Type": "application/json", "X-Hub-Signature-256": signature}
        )
        print(f"  {status}  {label}")
        time.sleep(args.pause)


def post_json(server, token, payload, headers, label, pause):
    raw = json.dumps(payload, ensure_ascii=False).encode()
    status = server.post(token, raw, {"Content-Type": "application/json", **headers(raw)})
    print(f"  {status}  {label}")
    time.sleep(pause)


def last_outbound(server, channel_id, default):
    """The provider id of the latest sent reply on a channel (statuses refer to it)."""
    if server.uid and channel_id:
        found = server.call(
            "mychat.message",
            "search_read",
            [("channel_id", "=", channel_id), ("direction", "=", "outbound"), ("external_id", "!=", False)],
            fields=["external_id"],
            order="date desc, id desc",
            limit=1,
        )
        if found:
            return found[0]["external_id"]
    return default


# ----------------------------------------------------------------------
# Telegram Bot API
# ----------------------------------------------------------------------

TELEGRAM_SENDERS = [
    # user id, first name, last name, text
    (510001, "Noa", "Cohen", "שלום! יש לכם זמינות להתקנה בחודש הבא?"),
    (510002, "Alexei", "Volkov", "Здравствуйте, можно заказать консультацию?"),
]


@simulator("telegram")
def simulate_telegram(server, args):
    """Texts, a reply, an edit, a location, a contact card, a button tap and (unless --skip-media) a photo."""
    _channel_id, token, secret = server.channel("telegram", "demo-telegram-token", "demo_telegram_secret")
    update_id = int(time.time() * 1000)
    message_id = update_id % 1_000_000

    def message(user, **content):
        nonlocal message_id
        message_id += 1
        uid, first, last, _text = user
        sender = {"id": uid, "is_bot": False, "first_name": first, "last_name": last, "language_code": "en"}
        chat = {"id": uid, "first_name": first, "last_name": last, "type": "private"}
        return {"message_id": message_id, "from": sender, "chat": chat, "date": int(time.time()), **content}

    noa, alexei = TELEGRAM_SENDERS
    first = message(noa, text=noa[3])
    updates = [
        ("text from Noa", {"message": first}),
        ("text from Alexei", {"message": message(alexei, text=alexei[3])}),
    ]
    updates.append(("reply from Noa", {"message": message(noa, text="כמה זה עולה?", reply_to_message=first)}))
    edited = dict(first, text=noa[3] + " (ערוך)", edit_date=int(time.time()))
    updates.append(("edit by Noa", {"edited_message": edited}))
    location = {"latitude": 32.0853, "longitude": 34.7818}
    venue = {"location": location, "title": "Dizengoff Center", "address": "Tel Aviv"}
    updates.append(("location from Alexei", {"message": message(alexei, location=location, venue=venue)}))
    card = {"phone_number": "+972541234567", "first_name": "Dana", "last_name": "Levi"}
    updates.append(("contact card from Noa", {"message": message(noa, contact=card)}))
    bot_message = message(noa, text="Which size?")
    bot_message["from"] = {"id": 123456789, "is_bot": True, "first_name": "Support bot"}
    tap = {
        "id": f"cb{update_id}",
        "from": first["from"],
        "message": bot_message,
        "chat_instance": "1",
        "data": "Large",
    }
    updates.append(("button tap by Noa", {"callback_query": tap}))
    if not args.skip_media:
        # the server asks Telegram for the file: offline it fails and says so on the message
        sizes = [{"file_id": f"sim-photo-{update_id}", "file_unique_id": "u1", "width": 1280, "height": 960}]
        updates.append(("photo from Noa", {"message": message(noa, photo=sizes, caption="הגג 📷")}))

    def headers(raw):
        return {"X-Telegram-Bot-Api-Secret-Token": secret}

    for label, update in updates:
        update_id += 1
        post_json(server, token, {"update_id": update_id, **update}, headers, label, args.pause)


# ----------------------------------------------------------------------
# Facebook Messenger and Instagram (Meta webhooks)
# ----------------------------------------------------------------------


def meta_post(server, token, secret, payload, label, pause):
    def headers(raw):
        return {"X-Hub-Signature-256": signatures.meta_signature(secret, raw)}

    post_json(server, token, payload, headers, label, pause)


def meta_envelope(obj, account_id, *events):
    return {
        "object": obj,
        "entry": [{"id": account_id, "time": int(time.time() * 1000), "messaging": list(events)}],
    }


@simulator("messenger")
def simulate_messenger(server, args):
    """A text, a reply, a postback, a reaction, an echo from the Page inbox, delivery and read receipts."""
    channel_id, token, secret = server.channel("messenger", "demo-messenger-token", "demo_page_app_secret")
    page, psid = "682498302938465", "24680135792468013"
    now = int(time.time() * 1000)

    def event(offset, **content):
        return {"sender": {"id": psid}, "recipient": {"id": page}, "timestamp": now + offset, **content}

    mid = f"m_sim_{uuid.uuid4().hex}"
    events = [
        ("text", event(0, message={"mid": mid, "text": "Hi! Is the 5 kW kit still in stock?"})),
        ("reply", event(1, message={"mid": f"{mid}_r", "text": "And the price?", "reply_to": {"mid": mid}})),
        (
            "postback",
            event(2, postback={"mid": f"{mid}_p", "title": "Get a quote", "payload": "QUOTE_START"}),
        ),
        ("reaction", event(3, reaction={"reaction": "like", "emoji": "👍", "action": "react", "mid": mid})),
    ]
    echo = {
        "mid": f"{mid}_echo",
        "is_echo": True,
        "app_id": 1,
        "text": "Yes, it is! (answered from the Page inbox)",
    }
    events.append(
        (
            "echo from the Page inbox",
            {"sender": {"id": page}, "recipient": {"id": psid}, "timestamp": now + 4, "message": echo},
        )
    )
    out = last_outbound(server, channel_id, "m_demo_out")
    events.append((f"delivery of {out}", event(5, delivery={"mids": [out], "watermark": now + 5})))
    events.append(("read", event(6, read={"watermark": now + 6})))
    for label, item in events:
        meta_post(server, token, secret, meta_envelope("page", page, item), label, args.pause)


@simulator("instagram")
def simulate_instagram(server, args):
    """A direct message and a story reply."""
    _channel_id, token, secret = server.channel(
        "instagram", "demo-instagram-token", "demo_instagram_app_secret"
    )
    account, igsid = "17841499999999999", "17841400000000077"
    now = int(time.time() * 1000)
    mid = f"aWdf_sim_{uuid.uuid4().hex}"
    story = {
        "mid": f"{mid}_s",
        "text": "Love this!",
        "reply_to": {"story": {"url": "https://example.com/s", "id": "1"}},
    }
    for offset, (label, message) in enumerate(
        [("direct message", {"mid": mid, "text": "Hola! ¿Hacen envíos a Madrid?"}), ("story reply", story)]
    ):
        item = {
            "sender": {"id": igsid},
            "recipient": {"id": account},
            "timestamp": now + offset,
            "message": message,
        }
        meta_post(server, token, secret, meta_envelope("instagram", account, item), label, args.pause)


# ----------------------------------------------------------------------
# Custom webhook (any gateway: addons/mychat_omnichannel/tools/custom.py)
# ----------------------------------------------------------------------


@simulator("custom")
def simulate_custom(server, args):
    """Two messages from a gateway, the second one delivered twice (absorbed), and the last reply's status."""
    channel_id, token, secret = server.channel("custom", "demo-custom-token", "demo_custom_secret")
    sender = {"id": "visitor-7", "name": "Noa Levi", "phone": "+972541234567", "email": "noa@example.com"}

    def delivery(text):
        message_id = f"gw-{uuid.uuid4().hex}"
        message = {"id": message_id, "timestamp": int(time.time()), "from": sender, "text": text}
        return {"id": message_id, "messages": [message]}

    follow_up = delivery("And do you deliver to Haifa?")
    out = last_outbound(server, channel_id, "odoo-0")
    payloads = [
        ("message from Noa", delivery("שלום, יש לכם מלאי של הדגם החדש?")),
        ("follow-up", follow_up),
        ("follow-up, repeated by the gateway", follow_up),
        (f"delivered: {out}", {"id": f"status-{out}", "statuses": [{"id": out, "status": "delivered"}]}),
    ]
    for label, payload in payloads:
        raw = json.dumps(payload, ensure_ascii=False).encode()
        headers = {
            "Content-Type": "application/json",
            "X-MyChat-Signature": signatures.meta_signature(secret, raw),
        }
        print(f"  {server.post(token, raw, headers)}  {label}")
        time.sleep(args.pause)


# ----------------------------------------------------------------------
# SMS (Twilio-compatible)
# ----------------------------------------------------------------------


@simulator("sms")
def simulate_sms(server, args):
    """Two SMS, an MMS (unless --skip-media) and the status callbacks of the latest reply."""
    channel_id, token, secret = server.channel("sms", "demo-sms-token", "demo_twilio_auth_token")
    url = f"{server.url}/mychat/webhook/{token}"
    if server.uid and channel_id:
        url = server.call("mychat.channel", "read", [channel_id], ["public_url"])[0]["public_url"] or url
    account = "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"
    forms = []
    for number, text in (
        ("+972541234567", "שלום, קיבלתי SMS על ההצעה. מתי אפשר לדבר?"),
        ("+359881234567", "Здравейте, може ли оферта по SMS?"),
    ):
        forms.append(
            (
                f"SMS from {number}",
                [
                    ("MessageSid", f"SM{uuid.uuid4().hex}"),
                    ("AccountSid", account),
                    ("From", number),
                    ("To", "+972535550000"),
                    ("Body", text),
                    ("NumMedia", "0"),
                    ("SmsStatus", "received"),
                ],
            )
        )
    if not args.skip_media:
        sid = f"MM{uuid.uuid4().hex}"
        media = (
            f"https://api.twilio.com/2010-04-01/Accounts/{account}/Messages/{sid}/Media/ME{uuid.uuid4().hex}"
        )
        forms.append(
            (
                "MMS from +972541234567",
                [
                    ("MessageSid", sid),
                    ("AccountSid", account),
                    ("From", "+972541234567"),
                    ("To", "+972535550000"),
                    ("Body", "התמונה"),
                    ("NumMedia", "1"),
                    ("MediaUrl0", media),
                    ("MediaContentType0", "image/jpeg"),
                    ("SmsStatus", "received"),
                ],
            )
        )
    out = last_outbound(server, channel_id, "SMdemo")
    for status in ("sent", "delivered"):
        forms.append(
            (
                f"status {status} of {out}",
                [
                    ("MessageSid", out),
                    ("MessageStatus", status),
                    ("AccountSid", account),
                    ("To", "+972541234567"),
                    ("From", "+972535550000"),
                ],
            )
        )
    for label, params in forms:
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Twilio-Signature": signatures.twilio_signature(secret, url, params),
        }
        status = server.post(token, urllib.parse.urlencode(params).encode(), headers)
        print(f"  {status}  {label}")
        time.sleep(args.pause)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--db", default="mychat_demo")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--channel", choices=sorted(SIMULATORS), action="append", help="default: every one")
    parser.add_argument("--pause", type=float, default=0.5, help="seconds between two webhooks")
    parser.add_argument("--skip-media", action="store_true", help="send no media message")
    args = parser.parse_args(argv)
    server = Server(args.url, args.db, args.login, args.password)
    failed = False
    for channel_type in args.channel or sorted(SIMULATORS):
        print(f"{channel_type}:")
        channel_id = server.channel(channel_type, None, None)[0]
        since = server.last_event_id(channel_id)
        SIMULATORS[channel_type](server, args)
        events = server.wait_processed(channel_id, since)
        states = {}
        for event in events:
            states[event["state"]] = states.get(event["state"], 0) + 1
            if event["state"] in ("failed", "error"):
                failed = True
                print(f"  event {event['id']} {event['state']}: {event['failure_reason']}")
        if events:
            print(f"  processed: {states}")
    print(f"Open {args.url}/odoo and look at MyChat > Conversations.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
