"""Page timings at scale: the inbox's first page, a partner form with its Events tab, and the inbox's
"Customer" search, at 1 M partners, 100 k conversations and 1 M messages.

Run with Odoo's interpreter (``make bench``). It uses the database of ``bench/matching.py`` (1 M partners,
created by it when missing), adds two channels, a team of 20 agents and, with ``INSERT ... SELECT
generate_series``, 100 k senders and conversations (each a Discuss channel; states, agents and dates
spread) with 10 messages each (the ``mychat.message`` and its ``mail.message``), then times, as one of the
agents (record rules applied), the calls the web client makes:

- ``inbox``: ``web_search_read`` of the inbox list (its view's fields, 80 rows, "Not resolved") and the
  inbox bar's ``mychat_inbox_counts()``;
- ``partner_form``: ``web_read`` of a customer with a conversation, with every field of the partner form
  and the Events tab's 40 first rows;
- ``customer_search``: the search view's "Customer" filter (its ``filter_domain`` for a customer's name) on
  the inbox list.

Each is run 5 times after a warm-up; the median of the server time is printed with its query count, and
``RESULT inbox_ms=… partner_form_ms=… customer_search_ms=… target_ms=200``."""

import argparse
import statistics
import time

from lxml import etree
from matching import ensure_database  # the 1 M partners, shared with bench/matching.py

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL
from odoo.tools.safe_eval import safe_eval

CONVERSATIONS = 100_000
MESSAGES_PER_CONVERSATION = 10
AGENTS = 20
STATES = ["new", "open", "open", "pending", "resolved", "resolved", "resolved", "resolved"]


def ensure_conversations(env, partners):
    """Channels, agents and the conversations with their messages, once per database."""
    cr = env.cr
    cr.execute("SELECT count(*) FROM mychat_conversation WHERE subject = 'bench'")
    if cr.fetchone()[0] >= CONVERSATIONS:
        return env["res.users"].search([("login", "=like", "bench_agent_%")], order="id")
    print(
        f"inserting {CONVERSATIONS:,} conversations, {CONVERSATIONS * MESSAGES_PER_CONVERSATION:,} messages …"
    )
    begin = time.perf_counter()
    user_group = env.ref("mychat_omnichannel.group_mychat_user")
    agents = env["res.users"].create(
        [
            {
                "name": f"Bench agent {n}",
                "login": f"bench_agent_{n}",
                "group_ids": [(4, user_group.id), (4, env.ref("sales_team.group_sale_salesman").id)],
            }
            for n in range(AGENTS)
        ]
    )
    team = env["crm.team"].create({"name": "Bench team", "member_ids": [(6, 0, agents.ids)]})
    channels = env["mychat.channel"].create(
        [
            {"name": "Bench WhatsApp", "channel_type": "whatsapp", "team_id": team.id},
            {"name": "Bench Telegram", "channel_type": "telegram", "team_id": team.id},
        ]
    )
    company = env.company.id
    offsets = {}
    for table in (
        "mychat_contact",
        "discuss_channel",
        "mychat_conversation",
        "mail_message",
        "mychat_message",
    ):
        cr.execute(SQL("SELECT coalesce(max(id), 0) FROM %s", SQL.identifier(table)))
        offsets[table] = cr.fetchone()[0]
    params = {
        "n": CONVERSATIONS,
        "per": MESSAGES_PER_CONVERSATION,
        "stride": max(partners // CONVERSATIONS, 1),
        "wa": channels[0].id,
        "tg": channels[1].id,
        "company": company,
        "agents": agents.ids,
        "team": team.id,
        "states": STATES,
        **{f"o_{table}": offset for table, offset in offsets.items()},
    }
    # the n-th conversation: its sender and Discuss channel share its number, its partner is a bench partner
    cr.execute(
        """
        INSERT INTO mychat_contact (id, channel_id, company_id, partner_id, external_id, name, phone,
                                    create_date, write_date)
        SELECT %(o_mychat_contact)s + g, CASE WHEN g %% 4 = 0 THEN %(tg)s ELSE %(wa)s END, %(company)s,
               p.id, 'bench-' || g, p.name, p.mychat_phone_e164, now(), now()
          FROM generate_series(1, %(n)s) g
          JOIN res_partner p ON p.ref = 'BENCH-' || (g * %(stride)s);

        INSERT INTO discuss_channel (id, name, channel_type, uuid, active, last_interest_dt, create_date,
                                     write_date)
        SELECT %(o_discuss_channel)s + g, 'Bench conversation ' || g, 'mychat', md5('bench' || g), true,
               now() - g * interval '1 minute', now(), now()
          FROM generate_series(1, %(n)s) g;

        INSERT INTO mychat_conversation (id, channel_id, company_id, contact_id, partner_id, user_id,
                                         team_id, discuss_channel_id, channel_type, state, subject,
                                         last_message_preview, is_chatbot, awaiting_reply,
                                         awaiting_reply_since, last_inbound_date, last_message_date,
                                         create_date, write_date)
        SELECT %(o_mychat_conversation)s + g, c.channel_id, %(company)s, c.id, c.partner_id,
               CASE WHEN g %% 5 > 0
                    THEN (%(agents)s::int[])[1 + g %% array_length(%(agents)s::int[], 1)] END,
               %(team)s, %(o_discuss_channel)s + g,
               CASE WHEN g %% 4 = 0 THEN 'telegram' ELSE 'whatsapp' END,
               (%(states)s::varchar[])[1 + g %% array_length(%(states)s::varchar[], 1)], 'bench',
               'Message ' || %(per)s || ' of conversation ' || g, g %% 7 = 0, g %% 3 = 0,
               CASE WHEN g %% 3 = 0 THEN now() - g * interval '1 minute' END,
               now() - g * interval '1 minute', now() - g * interval '1 minute', now(), now()
          FROM generate_series(1, %(n)s) g
          JOIN mychat_contact c ON c.id = %(o_mychat_contact)s + g;

        UPDATE discuss_channel d
           SET mychat_conversation_id = %(o_mychat_conversation)s + (d.id - %(o_discuss_channel)s)
         WHERE d.id > %(o_discuss_channel)s AND d.id <= %(o_discuss_channel)s + %(n)s;

        INSERT INTO mail_message (id, model, res_id, message_type, body, author_id, date, create_date,
                                  write_date)
        SELECT %(o_mail_message)s + (g - 1) * %(per)s + k, 'discuss.channel', %(o_discuss_channel)s + g,
               'comment', '<p>Message ' || k || ' of conversation ' || g || '</p>',
               CASE WHEN k %% 2 = 1 THEN c.partner_id END,
               now() - g * interval '1 minute' - (%(per)s - k) * interval '10 seconds', now(), now()
          FROM generate_series(1, %(n)s) g
          JOIN mychat_contact c ON c.id = %(o_mychat_contact)s + g
         CROSS JOIN generate_series(1, %(per)s) k;

        INSERT INTO mychat_message (id, conversation_id, channel_id, company_id, mail_message_id, direction,
                                    author_kind, message_type, state, body, external_id, date, create_date,
                                    write_date)
        SELECT m.id - %(o_mail_message)s + %(o_mychat_message)s,
               %(o_mychat_conversation)s + (m.res_id - %(o_discuss_channel)s),
               CASE WHEN m.res_id %% 4 = 0 THEN %(tg)s ELSE %(wa)s END, %(company)s, m.id,
               CASE WHEN m.author_id IS NULL THEN 'outbound' ELSE 'inbound' END,
               CASE WHEN m.author_id IS NULL THEN 'agent' ELSE 'customer' END, 'text',
               CASE WHEN m.author_id IS NULL THEN 'read' ELSE 'received' END,
               regexp_replace(m.body, '<[^>]+>', '', 'g'), 'bench-' || m.id, m.date, now(), now()
          FROM mail_message m
         WHERE m.id > %(o_mail_message)s;
        """,
        params,
    )
    for table in offsets:
        cr.execute(
            SQL("SELECT setval(%s, (SELECT max(id) FROM %s))", f"{table}_id_seq", SQL.identifier(table))
        )
    for table in offsets:
        cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
    cr.commit()
    print(f"inserted in {time.perf_counter() - begin:.1f}s")
    return agents


def list_spec(view_fields, arch_fields):
    """The ``specification`` the web client sends for these fields: a name for relations."""
    spec = {}
    for name in arch_fields:
        field = view_fields[name]
        spec[name] = {"fields": {"display_name": {}}} if field["type"] == "many2one" else {}
    return spec


def form_spec(env, model, subviews):
    """The specification the web client sends to open a record of ``model`` in its form: each field node
    of the form's arch as the user gets it (nodes of groups the user lacks removed), a name for relations;
    ``subviews`` gives the x2many fields their list's fields and limit."""
    views = env[model].get_views([(False, "form")])
    fields = views["models"][model]["fields"]
    arch = etree.fromstring(views["views"]["form"]["arch"])
    spec = {}
    for node in arch.iter("field"):
        name = node.get("name")
        if any(parent.tag == "field" for parent in node.iterancestors()):
            continue  # a field of an x2many's own list or form
        if name in subviews:
            spec[name] = subviews[name]
        elif fields[name]["type"] in ("many2one", "one2many", "many2many"):
            spec[name] = {"fields": {"display_name": {}}}
        else:
            spec[name] = {}
    return spec


def measure(env, call, runs=5):
    """Median milliseconds and queries of ``call`` (after one warm-up), the cache cleared before each."""
    call()
    times, queries = [], []
    for _run in range(runs):
        env.invalidate_all()
        before = env.cr.sql_log_count
        begin = time.perf_counter()
        call()
        times.append((time.perf_counter() - begin) * 1000)
        queries.append(env.cr.sql_log_count - before)
    return statistics.median(times), int(statistics.median(queries))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, default=1_000_000)
    args = parser.parse_args()
    registry = ensure_database(args.partners)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        agents = ensure_conversations(env, args.partners)
        agent = agents[1]
        env = api.Environment(cr, agent.id, {"lang": "en_US", "tz": "UTC"})
        Conversation = env["mychat.conversation"]
        view = Conversation.get_views(
            [(env.ref("mychat_omnichannel.mychat_conversation_view_list").id, "list")]
        )
        fields = view["models"]["mychat.conversation"]["fields"]
        inbox_spec = list_spec(fields, fields)
        open_domain = [("state", "!=", "resolved")]

        def inbox():
            Conversation.web_search_read(
                open_domain, inbox_spec, limit=80, order="last_message_date desc", count_limit=10001
            )
            Conversation.mychat_inbox_counts()

        conversation = Conversation.search([("user_id", "=", agent.id), ("partner_id", "!=", False)], limit=1)
        partner = conversation.partner_id
        events_fields = [
            "last_message_date",
            "channel_id",
            "channel_type",
            "is_chatbot",
            "partner_id",
            "subject",
            "last_message_preview",
            "state",
            "user_id",
            "awaiting_reply",
        ]
        events = {"fields": list_spec(Conversation.fields_get(events_fields), events_fields), "limit": 40}
        events["order"] = "last_message_date desc"
        partner_spec = form_spec(env, "res.partner", {"mychat_event_ids": events})

        def partner_form():
            env["res.partner"].browse(partner.ids).web_read(partner_spec)

        term = partner.name  # "Bench customer 123450": one customer among a million names
        # the domain the search view's "Customer" field gives for this term
        search_arch = etree.fromstring(Conversation.get_views([(False, "search")])["views"]["search"]["arch"])
        (customer_field,) = search_arch.xpath("//field[@string='Customer']")
        customer = safe_eval(customer_field.get("filter_domain"), {"self": term})

        def customer_search():
            found = Conversation.web_search_read(
                open_domain + customer,
                inbox_spec,
                limit=80,
                order="last_message_date desc",
                count_limit=10001,
            )
            assert conversation.id in [r["id"] for r in found["records"]] or conversation.state == "resolved"

        figures = {}
        for name, call in (
            ("inbox", inbox),
            ("partner_form", partner_form),
            ("customer_search", customer_search),
        ):
            figures[name] = measure(env, call)
            print(f"{name}: {figures[name][0]:.1f} ms server time, {figures[name][1]} queries (median of 5)")
        cr.execute("SELECT count(*) FROM res_partner")
        partners = cr.fetchone()[0]
        cr.execute("SELECT count(*) FROM mychat_message")
        messages = cr.fetchone()[0]
        print(f"partners={partners} conversations={Conversation.sudo().search_count([])} messages={messages}")
        print(
            f"RESULT inbox_ms={figures['inbox'][0]:.1f} partner_form_ms={figures['partner_form'][0]:.1f} "
            f"customer_search_ms={figures['customer_search'][0]:.1f} target_ms=200"
        )


if __name__ == "__main__":
    main()
