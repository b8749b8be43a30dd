#!/usr/bin/env python3
"""Writes deterministic exports for timing `utmost leads report` with
--deals and --visits on tests/fixtures/revenue: a leads CSV (N leads of
about 3N/4 distinct contacts, with submission times), a HubSpot-shaped
deals CSV and a GA4-shaped landing-page CSV (one row per query string).

Usage: gen_revenue.py OUT_DIR [--leads N] [--deals N] [--visits N]
Standard library only."""

import argparse
import os
import random


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--leads", type=int, default=200_000)
    ap.add_argument("--deals", type=int, default=50_000)
    ap.add_argument("--visits", type=int, default=20_000)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    rnd = random.Random(1)
    contacts = max(1, a.leads * 3 // 4)
    campaigns = [("spring", "spring_launch_2026"), ("webinar", "webinar_q3"), ("evergreen", "")]
    with open(os.path.join(a.out, "leads.csv"), "w") as f:
        f.write("email,cid,page,variant,utm_source,utm_medium,utm_campaign,utm_content,created_at\n")
        for _ in range(a.leads):
            cid, utm = rnd.choice(campaigns)
            variant = rnd.choice("ab")
            page = "/spring/" if variant == "a" else "/spring/b/"
            day = rnd.randrange(1, 29)
            f.write(f"u{rnd.randrange(contacts)}@x.example,{cid},{page},{variant},"
                    f"linkedin,paid-social,{utm},ana,2026-03-{day:02d}T10:00:00Z\n")
    with open(os.path.join(a.out, "deals.csv"), "w") as f:
        f.write('"Record ID","Deal Name","Deal Stage","Amount","Close Date","Associated Contact"\n')
        for i in range(a.deals):
            stage = rnd.choice(["Closed Won", "Closed Lost", "Qualified"])
            amount = f"${rnd.randrange(1, 90)},{rnd.randrange(100, 999)}.50"
            who = rnd.randrange(contacts * 16 // 15)
            f.write(f'"{i}","Deal {i}","{stage}","{amount}","2026-04-01","N (u{who}@x.example)"\n')
    with open(os.path.join(a.out, "visits.csv"), "w") as f:
        f.write("# Landing page\nLanding page + query string,Sessions\n")
        for i in range(a.visits):
            f.write(f"/spring/{'b/' if i % 2 else ''}?q={i},{rnd.randrange(1, 50)}\n")


if __name__ == "__main__":
    main()
