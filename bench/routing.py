"""Routing throughput: MyChat decisions per second vs Odoo's native live chat operator selection.

Run with Odoo's interpreter from the repository root:  python3 bench/routing.py [--decisions 300]
It builds (once) its own database ``mychat_bench_routing`` with 200 agents in one team and 5,000 open
conversations spread over them, plus the same 200 users as online operators of an im_livechat channel
with 5,000 active sessions (the native selection's load). Each decision runs in the one transaction
that is rolled back at the end, so the dataset stays the same between runs; each decision starts with a
cold ORM cache, as in its own request. The measurements are interleaved in rounds so that the load of
the machine weighs on each alike; a selection-only figure of ours (same scope as the native one) is
printed too.

- ours: ``conversation._mychat_route()`` on a new unassigned conversation: routing rules, owner
  lookup, availability of every agent (status, hours, leave, capacity from grouped counts), least
  busy choice, the assignment write, the explanation log line and the notification, flushed.
- native: ``im_livechat.channel._get_operator()`` as shipped by Odoo (available operators from
  presence, active-session counts, least active operator): a selection only, nothing written.

Prints ``RESULT decisions_per_s=… baseline_per_s=… ratio_vs_native=…``.
"""

import argparse
import subprocess
import sys
import time
from pathlib import Path

import psycopg2

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tools import config

DB = "mychat_bench_routing"
AGENTS = 200
OPEN_CONVERSATIONS = 5000
MODULES = "mychat_omnichannel,live_routing"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))  # the helper shared with scripts/
from mychat_dev import addons_path


def database_exists():
    with psycopg2.connect(dbname="postgres") as conn, conn.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB])
        return bool(cr.fetchone())


def install(update=False):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "odoo",
            f"--addons-path={addons_path()}",
            "-d",
            DB,
            "-u" if update else "-i",
            MODULES,
            "--stop-after-init",
            "--log-level=warn",
        ],
        check=True,
    )


def seed(env):
    """200 agents, 5,000 open MyChat conversations, 5,000 active live chat sessions (idempotent)."""
    team = env["crm.team"].search([("name", "=", "Bench team")], limit=1)
    if team:
        return team, env["im_livechat.channel"].search([("name", "=", "Bench live chat")], limit=1)
    print("seeding", AGENTS, "agents and", OPEN_CONVERSATIONS, "open conversations ...", flush=True)
    env["ir.config_parameter"].set_param("sales_team.membership_multi", True)
    always = env["resource.calendar"].create({"name": "Bench always", "flexible_hours": True})
    team = env["crm.team"].create({"name": "Bench team", "mychat_strategy": "least_busy"})
    group = env.ref("sales_team.group_sale_salesman")
    users = (
        env["res.users"]
        .with_context(no_reset_password=True, tracking_disable=True)
        .create(
            [
                {"name": f"Bench agent {i}", "login": f"bench.agent.{i}", "group_ids": [(4, group.id)]}
                for i in range(AGENTS)
            ]
        )
    )
    env["crm.team.member"].create(
        [
            {"crm_team_id": team.id, "user_id": u.id, "mychat_max_open": 0, "mychat_calendar_id": always.id}
            for u in users
        ]
    )
    channel = env["mychat.channel"].create(
        {"name": "Bench WhatsApp", "channel_type": "whatsapp", "team_id": team.id}
    )
    contacts = env["mychat.contact"].create(
        [
            {"channel_id": channel.id, "external_id": f"9725{i:08d}", "name": f"Bench {i}"}
            for i in range(OPEN_CONVERSATIONS)
        ]
    )
    env["mychat.conversation"].create(
        [
            {
                "channel_id": channel.id,
                "contact_id": c.id,
                "user_id": users[i % AGENTS].id,
                "team_id": team.id,
                "state": "open",
            }
            for i, c in enumerate(contacts)
        ]
    )
    livechat = env["im_livechat.channel"].create({"name": "Bench live chat", "user_ids": [(6, 0, users.ids)]})
    env["mail.presence"].create([{"user_id": u.id, "status": "online"} for u in users])
    env.flush_all()
    cr = env.cr
    cr.execute(
        """INSERT INTO discuss_channel
                  (name, channel_type, livechat_channel_id, livechat_operator_id,
                   last_interest_dt, create_date)
           SELECT 'Bench session ' || g, 'livechat', %s, (%s::int[])[1 + g %% %s],
                  now() at time zone 'UTC', now() at time zone 'UTC'
             FROM generate_series(0, %s - 1) g
        RETURNING id, livechat_operator_id""",
        [livechat.id, users.partner_id.ids, AGENTS, OPEN_CONVERSATIONS],
    )
    cr.execute(
        """INSERT INTO im_livechat_channel_member_history
                  (channel_id, partner_id, livechat_member_type, create_date)
           SELECT s.id, s.partner_id, 'agent', now() at time zone 'UTC' - interval '2 hours'
             FROM unnest(%s::int[], %s::int[]) AS s(id, partner_id)""",
        list(map(list, zip(*cr.fetchall(), strict=True))),
    )
    return team, livechat


def new_conversations(env, team, n):
    channel = env["mychat.channel"].search([("team_id", "=", team.id)], limit=1)
    contacts = env["mychat.contact"].create(
        [{"channel_id": channel.id, "external_id": f"bench.new.{i}", "name": f"New {i}"} for i in range(n)]
    )
    convs = env["mychat.conversation"].create(
        [{"channel_id": channel.id, "contact_id": c.id, "mychat_routing_pending": True} for c in contacts]
    )
    env.flush_all()
    return convs


def time_ours(env, convs):
    """Full decisions, each starting cold as in its own request."""
    start = time.perf_counter()
    for conv in convs:
        env.invalidate_all()
        conv._mychat_route()
        env.flush_all()
    elapsed = time.perf_counter() - start
    assert all(convs.mapped("user_id")), "every decision assigns an agent"
    return elapsed


def time_pick(env, team, conv, n):
    """Selection only (same scope as the native baseline): availability of the 200 agents + strategy."""
    start = time.perf_counter()
    for _ in range(n):
        env.invalidate_all()
        assert team._mychat_pick(conv)["user"]
    return time.perf_counter() - start


def time_native(env, livechat, n):
    from odoo.addons.im_livechat.models.im_livechat_channel import Im_LivechatChannel

    start = time.perf_counter()
    for _ in range(n):
        env.invalidate_all()
        assert Im_LivechatChannel._get_operator(livechat, lang="en_US"), "the native selection finds one"
    return time.perf_counter() - start


def run(env, team, livechat, n, rounds=10):
    """Interleave the three measurements in rounds so that the machine's load weighs on each alike."""
    # the 5,000 sessions are "active" for Odoo (interest in the last 30 minutes), as in a busy hour
    env.cr.execute(
        "UPDATE discuss_channel SET last_interest_dt = now() at time zone 'UTC'"
        " WHERE livechat_channel_id = %s",
        [livechat.id],
    )
    convs = new_conversations(env, team, n)
    per_round = max(1, n // rounds)
    totals = {"ours": 0.0, "pick": 0.0, "native": 0.0}
    done = 0
    for start in range(0, n, per_round):
        batch = convs[start : start + per_round]
        totals["ours"] += time_ours(env, batch)
        totals["pick"] += time_pick(env, team, batch[0], len(batch))
        totals["native"] += time_native(env, livechat, len(batch))
        done += len(batch)
    return {key: done / value for key, value in totals.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decisions", type=int, default=300)
    parser.add_argument("--no-update", action="store_true", help="reuse the database as it is")
    args = parser.parse_args()
    if not database_exists():
        install()
    elif not args.no_update:
        install(update=True)
    config.parse_config([f"--addons-path={addons_path()}", "-d", DB, "--log-level=warn"], setup_logging=True)
    registry = Registry(DB)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        team, livechat = seed(env)
        cr.commit()
        rates = run(env, team, livechat, args.decisions)
        cr.rollback()
    ours, pick, native = rates["ours"], rates["pick"], rates["native"]
    print(
        f"agents={AGENTS} open_conversations={OPEN_CONVERSATIONS} decisions={args.decisions} "
        "(ours: full decision with assignment write, log line and notification; native: selection only)"
    )
    print(f"selection only (same scope as the baseline): pick_per_s={pick:.1f} ratio={pick / native:.2f}")
    print(
        f"RESULT decisions_per_s={ours:.1f} baseline_per_s={native:.1f} ratio_vs_native={ours / native:.2f}"
    )


if __name__ == "__main__":
    main()
