#!/usr/bin/env python3
"""Event ingestion benchmark: POST /api/v1/events in batches of 100 over loopback, several clients at once.

Starts Orbita (target/orbita.jar) with a throw-away embedded PostgreSQL, creates the contacts the events refer to,
then sends N events (default 200,000) of mixed site types with idempotency keys and reports events/s.
"""
import argparse, concurrent.futures, json, os, sys, time, urllib.request
sys.path.insert(0, os.path.dirname(__file__))
from contacts_bench import start, post_bulk, batch, KEY
from benchlib import cpu_seconds, psql, print_statements, settle
import random

TYPES = ["page_viewed", "product_viewed", "content_viewed", "cart_updated", "checkout_started"]


def send(base, events):
    req = urllib.request.Request(base + "/api/v1/events", data=json.dumps({"events": events}).encode(),
                                 headers={"Authorization": "Bearer " + KEY, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        body = json.load(r)
    if body["failed"]:
        raise SystemExit("events failed: " + json.dumps(body["items"][:2]))
    return body["created"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jar", default="target/orbita.jar")
    ap.add_argument("--out", default="bench/out")
    ap.add_argument("--events", type=int, default=200_000)
    ap.add_argument("--contacts", type=int, default=10_000)
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--port", type=int, default=18082)
    ap.add_argument("--db-port", type=int, default=54332)
    ap.add_argument("--wrk", type=int, default=0, help="seconds to drive the load with wrk (C) instead of Python")
    ap.add_argument("--no-settle", action="store_true",
                    help="start the load the moment the contacts are in, while the JIT still compiles start-up code")
    ap.add_argument("--statements", type=int, default=0, metavar="N",
                    help="print the N statements that took most PostgreSQL time (needs pg_stat_statements preloaded, "
                         "see import_bench.py)")
    ap.add_argument("--warmup", type=int, default=0, help="seconds of wrk load before the measured run (JIT warm-up)")
    a = ap.parse_args()
    base = f"http://localhost:{a.port}"
    proc = start(a.jar, os.path.join(a.out, "events"), a.port, a.db_port)
    try:
        rnd = random.Random(1)
        for s in range(0, a.contacts, 1000):
            post_bulk(base, batch(s, min(1000, a.contacts - s), rnd))
        if a.wrk:
            import shutil, subprocess, re
            if not shutil.which("wrk"):
                sys.exit("wrk is not installed: apt-get install -y wrk")
            env = dict(os.environ, BENCH_KEY=KEY, BENCH_CONTACTS=str(a.contacts))
            pgdata = os.path.join(a.out, "events", "data", "postgres")
            if not a.no_settle:
                print(f"server settled {settle(proc.pid, pgdata):.0f} s after the contacts were in")
            if a.warmup:
                subprocess.run(["wrk", "-t2", f"-c{a.clients}", f"-d{a.warmup}s", "-s",
                                os.path.join(os.path.dirname(__file__), "events.lua"), base],
                               env=dict(env, BENCH_WARMUP="1"), capture_output=True, text=True)
            stored0 = int(psql(a.db_port, "select count(*) from activity_event"))
            cpu0, t0 = cpu_seconds(proc.pid, pgdata), time.time()
            out = subprocess.run(["wrk", "-t2", f"-c{a.clients}", f"-d{a.wrk}s", "--latency", "-s",
                                  os.path.join(os.path.dirname(__file__), "events.lua"), base],
                                 env=env, capture_output=True, text=True).stdout
            rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
            non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
            cpu1, t1 = cpu_seconds(proc.pid, pgdata), time.time()
            # The listeners (segments, carts) run after the commit: the work is done when they have caught up.
            while int(psql(a.db_port, "select count(*) from event_publication where completion_date is null and event_type like '%EventsRecorded'")) > 0:
                time.sleep(0.2)
            cpu2, t2 = cpu_seconds(proc.pid, pgdata), time.time()
            stored = int(psql(a.db_port, "select count(*) from activity_event")) - stored0
            print(out)
            print(f"event ingestion (wrk): {rps * a.batch:,.0f} events/s ({rps:,.0f} batches of {a.batch}/s, "
                  f"{a.clients} connections, {a.wrk} s{', NON-2xx: ' + non2xx.group(1) if non2xx else ''}); "
                  f"{stored:,} events stored")
            jvm, pg = cpu2[0] - cpu0[0], cpu2[1] - cpu0[1]
            print(f"CPU per 1,000 events, listeners included: JVM {jvm * 1e6 / stored:.0f} ms, PostgreSQL "
                  f"{pg * 1e6 / stored:.0f} ms, total {(jvm + pg) * 1e6 / stored:.0f} ms (two idle cores: "
                  f"{2 * stored / (jvm + pg):,.0f} events/s); listeners caught up {t2 - t1:.1f} s after the load "
                  f"(JVM {cpu1[0] - cpu0[0]:.1f} s + PG {cpu1[1] - cpu0[1]:.1f} s CPU during the load, "
                  f"{cpu2[0] - cpu1[0]:.1f} + {cpu2[1] - cpu1[1]:.1f} s after); load average {os.getloadavg()[0]:.1f}")
            if a.statements:
                print_statements(a.db_port, a.statements)
            return
        batches = []
        for b in range(0, a.events, a.batch):
            evs = []
            for i in range(b, min(b + a.batch, a.events)):
                e = {"type": TYPES[i % len(TYPES)], "idempotencyKey": f"ev-{i}",
                     "properties": {"path": f"/catalog/item-{i % 500}", "sku": f"SKU-{i % 300}"}}
                if i % 4 == 0:
                    e["visitorId"] = f"v-{i % 20000}"
                else:
                    e["email"] = f"contact{i % a.contacts}@company{(i % a.contacts) % 5000}.ru"
                evs.append(e)
            batches.append(evs)
        t0 = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(a.clients) as pool:
            created = sum(pool.map(lambda evs: send(base, evs), batches))
        elapsed = time.perf_counter() - t0
        print(f"event ingestion: {created:,} events in {elapsed:.1f} s = {created / elapsed:,.0f} events/s "
              f"(batches of {a.batch}, {a.clients} clients, {a.contacts:,} contacts, loopback HTTP)")
    finally:
        proc.terminate()
        proc.wait(120)


if __name__ == "__main__":
    main()
