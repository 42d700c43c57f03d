"""Demo data for the reports: three weeks of conversations across channels, agents and bots."""

import random
from datetime import timedelta

from odoo import api, fields, models

CUSTOMER_LINES = [
    "Hi, is the blue model still in stock?",
    "My order has not arrived yet.",
    "Can I change my delivery address?",
    "Do you ship abroad?",
    "I would like a quote for 20 units.",
    "The invoice shows the wrong VAT number.",
]
AGENT_LINES = [
    "Hello! Let me check that for you.",
    "Thanks for waiting, it is on its way.",
    "Done, you will get a confirmation by email.",
    "Yes, we do. Which country?",
]
BOT_LINES = [
    "Hi, I am the MyChat assistant. What can I do for you?",
    "Here is the tracking link of your order.",
]


class MychatConversation(models.Model):
    _inherit = "mychat.conversation"

    @api.model
    def _mychat_demo_report_data(self, days=21, seed=13, agents=None, team=None):
        """Create ``days`` days of finished and ongoing conversations with messages, dated in the past,
        on the demo channels and agents, plus the agents' availability log; measures are then computed
        from the messages as on an upgrade."""
        rnd = random.Random(seed)
        env = self.env
        channels = env["mychat.channel"].search([("channel_type", "not in", ("livechat", "chatbot"))])
        bot_channels = env["mychat.channel"].search([("channel_type", "=", "chatbot")])
        if agents is None:
            team = env.ref("live_routing.team_live_support_demo", raise_if_not_found=False)
            agents = (team.member_ids if team else env["res.users"]) | env.ref("base.user_admin")
        team = team or env["crm.team"]
        if not channels or not agents:
            return False
        Contact, Message = env["mychat.contact"], env["mychat.message"]
        Log = env["mychat.assignment.log"].sudo()
        now = fields.Datetime.now().replace(minute=0, second=0, microsecond=0)
        speed = {agent.id: rnd.choice((2, 5, 9, 20)) for agent in agents}  # minutes, per agent
        known = []
        convs = self.browse()
        for day in range(days, -1, -1):
            for _n in range(rnd.randint(4, 9)):
                start = now - timedelta(days=day, hours=rnd.randint(0, 23), minutes=rnd.randint(0, 59))
                if start >= now:
                    continue
                bot = bot_channels and rnd.random() < 0.2
                channel = bot_channels[0] if bot else rnd.choice(channels)
                if known and rnd.random() < 0.3:
                    contact = rnd.choice(known).with_context(active_test=False)
                    if contact.channel_id != channel:
                        contact = False
                else:
                    contact = False
                if not contact:
                    number = f"97250{rnd.randint(1000000, 9999999)}"
                    contact = Contact.create(
                        {
                            "channel_id": channel.id,
                            "external_id": number,
                            "name": rnd.choice(("Maya", "Avi", "Lina", "Sam", "Rita", "Tom", "Dan", "Ella"))
                            + f" {number[-3:]}",
                            "lang": rnd.choice(("en_US", "he_IL", "ar_001", "ru_RU")),
                        }
                    )
                    known.append(contact)
                agent = rnd.choice(agents)
                conv = self.with_context(mychat_skip_routing=True, tracking_disable=True).create(
                    {
                        "channel_id": channel.id,
                        "contact_id": contact.id,
                        "team_id": (channel.team_id or team).id,
                        "is_chatbot": bool(bot),
                    }
                )
                messages = [
                    {
                        "direction": "inbound",
                        "author_kind": "customer",
                        "body": rnd.choice(CUSTOMER_LINES),
                        "date": start,
                        "state": "received",
                    }
                ]
                when = start
                human = not bot or rnd.random() < 0.5
                if bot:
                    when += timedelta(seconds=rnd.randint(2, 20))
                    messages.append(
                        {
                            "direction": "outbound",
                            "author_kind": "bot",
                            "body": BOT_LINES[0],
                            "date": when,
                            "state": "read",
                        }
                    )
                if human:
                    night = start.hour < 6 or start.hour > 20
                    wait = speed[agent.id] * rnd.uniform(0.5, 2.5) + (rnd.randint(120, 600) if night else 0)
                    when += timedelta(minutes=wait)
                    messages.append(
                        {
                            "direction": "outbound",
                            "author_kind": "agent",
                            "author_user_id": agent.id,
                            "body": rnd.choice(AGENT_LINES),
                            "date": when,
                            "state": "read",
                        }
                    )
                    for _turn in range(rnd.randint(0, 3)):
                        when += timedelta(minutes=rnd.randint(1, 30))
                        messages.append(
                            {
                                "direction": "inbound",
                                "author_kind": "customer",
                                "body": rnd.choice(CUSTOMER_LINES),
                                "date": when,
                                "state": "received",
                            }
                        )
                        when += timedelta(minutes=rnd.randint(1, 15))
                        messages.append(
                            {
                                "direction": "outbound",
                                "author_kind": "agent",
                                "author_user_id": agent.id,
                                "body": rnd.choice(AGENT_LINES),
                                "date": when,
                                "state": "read",
                            }
                        )
                else:
                    when += timedelta(minutes=1)
                    messages.append(
                        {
                            "direction": "outbound",
                            "author_kind": "bot",
                            "body": BOT_LINES[1],
                            "date": when,
                            "state": "read",
                        }
                    )
                if when >= now:
                    conv.unlink()
                    continue
                Message.create([{**vals, "conversation_id": conv.id} for vals in messages])
                last = messages[-1]
                vals = {
                    "last_message_date": last["date"],
                    "last_message_preview": last["body"][:120],
                    "last_inbound_date": max(m["date"] for m in messages if m["direction"] == "inbound"),
                }
                if human:
                    vals["user_id"] = agent.id
                    Log.create(
                        {
                            "conversation_id": conv.id,
                            "user_id": agent.id,
                            "team_id": conv.team_id.id,
                            "kind": "rule",
                            "outcome": "assigned",
                            "reason": "Demo: routed.",
                        }
                    )
                    if rnd.random() < 0.12:
                        other = rnd.choice(agents - agent) if len(agents) > 1 else agent
                        Log.create(
                            {
                                "conversation_id": conv.id,
                                "user_id": other.id,
                                "previous_user_id": agent.id,
                                "team_id": conv.team_id.id,
                                "kind": "transfer",
                                "outcome": "assigned",
                                "reason": "Demo: transferred.",
                            }
                        )
                        vals["user_id"] = other.id
                if day > 0 or rnd.random() < 0.5:
                    vals.update(
                        state="resolved",
                        resolved_date=min(now, when + timedelta(minutes=rnd.randint(5, 240))),
                    )
                else:
                    vals["state"] = "open"
                conv.with_context(mychat_routing=True, mychat_measures=True).write(vals)
                convs |= conv
        self._mychat_backfill_measures(convs)
        self._mychat_demo_availability(agents, days, now, rnd)
        return True

    @api.model
    def _mychat_demo_availability(self, agents, days, now, rnd):
        """A working day per agent and day: available, a busy break, available again, then offline until
        the next morning; the latest period stays open."""
        vals = []
        for agent in agents:
            periods = []
            for day in range(days, -1, -1):
                begin = (now - timedelta(days=day)).replace(hour=6) + timedelta(minutes=rnd.randint(0, 90))
                busy = begin + timedelta(hours=rnd.uniform(2, 4))
                back = busy + timedelta(minutes=rnd.randint(15, 60))
                off = back + timedelta(hours=rnd.uniform(3, 5))
                periods += [("available", begin), ("busy", busy), ("available", back), ("offline", off)]
            periods = [(state, start) for state, start in periods if start < now]
            for index, (state, start) in enumerate(periods):
                end = periods[index + 1][1] if index + 1 < len(periods) else False
                vals.append({"user_id": agent.id, "availability": state, "date_from": start, "date_to": end})
            if periods:
                # the agent's current status is the open period's
                agent.sudo().with_context(mychat_no_availability_log=True).mychat_availability = periods[-1][
                    0
                ]
        self.env["mychat.availability.log"].sudo().create(vals)
        return True
