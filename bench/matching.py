"""Sender → customer matching against a million partners: MyChat's indexed lookup vs a naive ``ilike``.

Run with Odoo's interpreter (``make bench``). It installs mychat_omnichannel in its own database
(``mychat_bench_match``, reused when it already holds the partners), inserts the partners with one
``INSERT ... SELECT generate_series`` (Israeli local phones and emails; the stored E.164 key is filled
in SQL and spot-checked against the Python normaliser), then times lookups by phone (local formats)
and by email (mixed case) with ``res.partner._mychat_match``, and a smaller sample with the naive
``search([("phone", "ilike", ...)])`` / ``("email", "ilike", ...)`` a module without its own keys
would run. Prints ``RESULT lookup_ms=… naive_ms=… ratio_vs_ilike=…`` (milliseconds per lookup)."""

import argparse
import random
import subprocess
import sys
import time
from pathlib import Path

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tools import SQL, config

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))  # the helper shared with scripts/
from mychat_dev import addons_path

DB = "mychat_bench_match"


def phone_of(n):
    """The n-th partner's phone as people type it: 05X-XXX-XXXX (Israeli mobile, local format)."""
    digits = f"5{n % 10}{n:07d}"
    return f"0{digits[:2]}-{digits[2:5]}-{digits[5:]}"


def ensure_database(count):
    exists = subprocess.run(
        ["psql", "-d", "postgres", "-Atqc", f"SELECT 1 FROM pg_database WHERE datname = '{DB}'"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    if not exists:
        print(f"installing mychat_omnichannel in {DB} …", flush=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "odoo",
                f"--addons-path={addons_path()}",
                "-d",
                DB,
                "-i",
                "mychat_omnichannel",
                "--stop-after-init",
                "--log-level=warn",
            ],
            check=True,
        )
    config.parse_config([f"--addons-path={addons_path()}", "-d", DB, "--log-level=warn"])
    registry = Registry(DB)
    with registry.cursor() as cr:
        cr.execute(SQL("SELECT count(*) FROM res_partner WHERE ref LIKE %s", "BENCH-%"))
        have = cr.fetchone()[0]
        if have < count:
            print(f"inserting {count - have:,} partners …", flush=True)
            begin = time.perf_counter()
            # '+972' || the local number without its leading 0: what tools.phone.to_e164 gives (checked below)
            cr.execute(
                SQL(
                    """WITH numbered AS (SELECT nextval('res_partner_id_seq') AS id, g
                                           FROM generate_series(%s, %s) g)
                       INSERT INTO res_partner (id, commercial_partner_id, name, complete_name, ref, phone,
                                                email, email_normalized, mychat_phone_e164, active, type,
                                                is_company, lang, create_date, write_date)
                       SELECT id, id, 'Bench customer ' || g, 'Bench customer ' || g, 'BENCH-' || g,
                              '0' || substr(s, 1, 2) || '-' || substr(s, 3, 3) || '-' || substr(s, 6),
                              'Customer' || g || '@Example.com', 'customer' || g || '@example.com',
                              '+972' || s, true, 'contact', false, 'en_US', now(), now()
                         FROM numbered, LATERAL (SELECT '5' || (g %% 10) || lpad(g::text, 7, '0') AS s) n""",
                    have + 1,
                    count,
                )
            )
            cr.execute("ANALYZE res_partner")
            cr.commit()
            print(f"inserted in {time.perf_counter() - begin:.1f}s", flush=True)
    return registry


def timed(calls):
    begin = time.perf_counter()
    for call in calls:
        call()
    return (time.perf_counter() - begin) * 1000 / max(len(calls), 1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, default=1_000_000)
    parser.add_argument("--lookups", type=int, default=10_000)
    parser.add_argument(
        "--naive-lookups", type=int, default=40, help="the ilike scan is slow: a smaller sample"
    )
    args = parser.parse_args()
    registry = ensure_database(args.partners)
    rng = random.Random(42)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        Partner = env["res.partner"]
        israel = env.ref("base.il")
        from odoo.addons.mychat_omnichannel.tools.phone import to_e164

        for n in rng.sample(range(1, args.partners + 1), 100):
            assert to_e164(phone_of(n), "IL") == f"+972{phone_of(n)[1:].replace('-', '')}", n
        numbers = [rng.randint(1, args.partners) for _i in range(args.lookups)]

        def ours(n):
            if n % 2:  # a WhatsApp sender id, or an email typed to a bot in another case
                return lambda: Partner._mychat_match(
                    phone=f"972{phone_of(n)[1:].replace('-', '')}", country=israel
                )
            return lambda: Partner._mychat_match(email=f"CUSTOMER{n}@example.COM")

        def naive(n):
            if n % 2:
                return lambda: Partner.search([("phone", "ilike", phone_of(n))])
            return lambda: Partner.search([("email", "ilike", f"customer{n}@example.com")])

        for n in numbers[:200]:  # correctness, and a warm cache for both
            assert len(ours(n)()) == 1, n
        lookup_ms = timed([ours(n) for n in numbers])
        naive_ms = timed([naive(n) for n in numbers[: args.naive_lookups]])
        print(
            f"partners={args.partners} lookups={args.lookups} naive_lookups={args.naive_lookups} "
            f"(phone and email alternately)"
        )
        print(
            f"RESULT lookup_ms={lookup_ms:.3f} naive_ms={naive_ms:.1f} "
            f"ratio_vs_ilike={naive_ms / lookup_ms:.0f}"
        )


if __name__ == "__main__":
    main()
