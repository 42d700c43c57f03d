"""Sender → customer matching against a million partners: MyChat's lookup vs Odoo's own.

Run with Odoo's interpreter (``make bench``). It installs mychat_omnichannel in its own database
(``mychat_bench_match``, reused when it already holds the partners), inserts the partners with one
``INSERT ... SELECT generate_series`` (Israeli local phones and emails; MyChat's E.164 key and Odoo's
``phone_sanitized`` are filled in SQL and spot-checked against both normalisers), then times lookups by
phone (a WhatsApp sender id) and by email (mixed case), alternately, with ``res.partner._mychat_match`` and
with what Odoo itself runs for the same question: the number formatted by ``phone_validation``
(``_phone_format``) searched on ``phone_sanitized``, the address normalised by ``email_normalize`` searched
on ``email_normalized``. Each side is timed three times on the same lookups; medians are printed as
``RESULT lookup_ms=… odoo_ms=… ratio_vs_odoo=…`` (milliseconds per lookup; target ≤ 0.5 ms)."""

import argparse
import random
import statistics
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
        cr.execute("SELECT res_id FROM ir_model_data WHERE module = 'base' AND name = 'il'")
        israel_id = cr.fetchone()[0]
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
                                                email, email_normalized, mychat_phone_e164, phone_sanitized,
                                                country_id, active, type, is_company, lang, create_date,
                                                write_date)
                       SELECT id, id, 'Bench customer ' || g, 'Bench customer ' || g, 'BENCH-' || g,
                              '0' || substr(s, 1, 2) || '-' || substr(s, 3, 3) || '-' || substr(s, 6),
                              'Customer' || g || '@Example.com', 'customer' || g || '@example.com',
                              '+972' || s, '+972' || s, %s, true, 'contact', false, 'en_US', now(), now()
                         FROM numbered, LATERAL (SELECT '5' || (g %% 10) || lpad(g::text, 7, '0') AS s) n""",
                    have + 1,
                    count,
                    israel_id,
                )
            )
            cr.execute("ANALYZE res_partner")
            cr.commit()
            print(f"inserted in {time.perf_counter() - begin:.1f}s", flush=True)
    return registry


def timed(calls, runs=3):
    """Median over ``runs`` of the milliseconds per call."""
    figures = []
    for _run in range(runs):
        begin = time.perf_counter()
        for call in calls:
            call()
        figures.append((time.perf_counter() - begin) * 1000 / max(len(calls), 1))
    return statistics.median(figures)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, default=1_000_000)
    parser.add_argument("--lookups", type=int, default=5_000)
    args = parser.parse_args()
    registry = ensure_database(args.partners)
    rng = random.Random(42)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        Partner = env["res.partner"]
        israel = env.ref("base.il")
        from odoo.tools import email_normalize

        from odoo.addons.mychat_omnichannel.tools.phone import to_e164

        def valid(n):  # a number phonenumbers accepts (Odoo's phone_sanitized stays empty for the others)
            return bool(Partner._phone_format(number=phone_of(n), country=israel))

        for n in rng.sample(range(1, args.partners + 1), 100):
            e164 = f"+972{phone_of(n)[1:].replace('-', '')}"
            assert to_e164(phone_of(n), "IL") == e164, n
            assert Partner._phone_format(number=phone_of(n), country=israel) in (e164, False), n
        numbers = []
        while len(numbers) < args.lookups:
            n = rng.randint(1, args.partners)
            if not n % 2 or valid(n):
                numbers.append(n)

        def sender_id(n):  # what WhatsApp sends: the international number without "+"
            return f"972{phone_of(n)[1:].replace('-', '')}"

        def ours(n):
            if n % 2:
                return lambda: Partner._mychat_match(phone=sender_id(n), country=israel)
            return lambda: Partner._mychat_match(email=f"CUSTOMER{n}@example.COM")

        def odoo(n):
            if n % 2:
                # the number formatted on each lookup, as _mychat_match parses it on each
                return lambda: Partner.search(
                    [
                        (
                            "phone_sanitized",
                            "=",
                            Partner._phone_format(number="+" + sender_id(n), country=israel),
                        )
                    ],
                    limit=5,
                )
            return lambda: Partner.search(
                [("email_normalized", "=", email_normalize(f"CUSTOMER{n}@example.COM"))], limit=5
            )

        for n in numbers[:200]:  # both find the same one partner; a warm cache for both
            found = ours(n)()
            assert len(found) == 1 and found == odoo(n)(), n
        lookup_ms = timed([ours(n) for n in numbers])
        odoo_ms = timed([odoo(n) for n in numbers])
        print(f"partners={args.partners} lookups={args.lookups} (phone and email alternately, median of 3)")
        print(
            f"RESULT lookup_ms={lookup_ms:.3f} odoo_ms={odoo_ms:.3f} "
            f"ratio_vs_odoo={odoo_ms / lookup_ms:.2f} target_lookup_ms=0.5"
        )


if __name__ == "__main__":
    main()
