#!/usr/bin/env python3
"""Segments benchmark on the generated `bench` data set (see bench/generate_bench.sh).

Starts Orbita from target/orbita.jar on the data directory the generator left in bench/out/gen (generating it first with
--generate, at --scale bench or demo), signs in as the generator's owner, makes an admin API key through the UI, then:
  0. the generated set has no sent mail, so it adds synthetic human opens (about 30% of contacts, 1-4 opens each within
     the last 120 days, user agent 'segments-bench', removed again at the end) for the engagement condition;
  1. counts a six-condition segment (contact type, consent, RFM recency score, page views in 90 days, bought a category
     in a year, opened a letter in 60 days) through POST /api/v1/segments/count, median and p95 of --samples runs;
  2. runs the best hand-written SQL for the same question through psql in the same run (two formulations over the same
     per-contact aggregate tables the engine reads, the faster one counts; median and p95) and checks both give the
     same number; with --raw also the hand-written SQL over the fact tables (orders, lines, events), 3 runs;
  3. creates a broad segment (subscribed contacts: the first fill) and refreshes it again (full refresh, timed);
  4. times one contact's evaluation in that segment (GET .../test, HTTP included), and the incremental re-evaluation
     after single events: it creates three segments that react to events, posts --samples single events for different
     contacts and reads the server's own timing of each contact's re-evaluation per segment from its debug log.
Only the Python standard library is used; psql is needed (apt-get install -y postgresql-client).
"""
import argparse, http.cookiejar, json, os, re, statistics, subprocess, sys, time, urllib.parse, urllib.request
from benchlib import psql

EMAIL, PASSWORD = "bench@orbita.local", "bench-password-1"

SIX = {"type": "and", "rules": [
    {"type": "field", "field": "contactType", "op": "eq", "value": "corporate_client"},
    {"type": "field", "field": "consent", "op": "eq", "value": "subscribed"},
    {"type": "rfm", "score": "recency", "op": "gte", "value": 4},
    {"type": "event", "event": "page_viewed", "op": "at_least", "count": 2, "period": {"lastDays": 90}},
    {"type": "bought", "categories": ["Оптика"], "period": {"lastDays": 365}},
    {"type": "opened", "days": 60}]}

# The same question over the same per-contact aggregates the engine reads, written two ways (semi-joins with IN, and
# correlated EXISTS); the faster one is "the best hand-written SQL".
HAND_IN = """
select count(*) from contact c
where c.workspace_id = {ws} and c.contact_type = 'corporate_client' and c.consent_status = 'subscribed'
  and c.id in (select contact_id from contact_purchase_summary where workspace_id = {ws} and r >= 4)
  and c.id in (select contact_id from contact_event_summary where workspace_id = {ws} and type = 'page_viewed'
               and recent[2] >= {day90})
  and c.id in (select contact_id from contact_category_purchase where workspace_id = {ws} and category = 'Оптика'
               and last_at >= {day365})
  and c.id in (select contact_id from tracking_event where workspace_id = {ws} and contact_id is not null
               and kind = 'open' and not machine and at >= {day60});"""

HAND_EXISTS = """
select count(*) from contact c
where c.workspace_id = {ws} and c.contact_type = 'corporate_client' and c.consent_status = 'subscribed'
  and exists (select 1 from contact_purchase_summary s where s.workspace_id = {ws} and s.contact_id = c.id and s.r >= 4)
  and exists (select 1 from contact_event_summary e where e.workspace_id = {ws} and e.contact_id = c.id
              and e.type = 'page_viewed' and e.recent[2] >= {day90})
  and exists (select 1 from contact_category_purchase p where p.workspace_id = {ws} and p.contact_id = c.id
              and p.category = 'Оптика' and p.last_at >= {day365})
  and exists (select 1 from tracking_event t where t.workspace_id = {ws} and t.contact_id = c.id and t.kind = 'open'
              and not t.machine and t.at >= {day60});"""

# Before the aggregates: the same question over the fact tables (5M orders, 10M lines, 20M events).
HAND_RAW = """
select count(*) from contact c
where c.workspace_id = {ws} and c.contact_type = 'corporate_client' and c.consent_status = 'subscribed'
  and c.id in (select s.contact_id from (select contact_id, ceil(5 * cume_dist() over (order by max(placed_at)))::int r
               from customer_order where workspace_id = {ws} and contact_id is not null
                 and status not in ('cancelled', 'refunded') group by contact_id) s where s.r >= 4)
  and c.id in (select contact_id from activity_event where workspace_id = {ws} and type = 'page_viewed'
               and contact_id is not null and occurred_at >= {day90} group by contact_id having count(*) >= 2)
  and c.id in (select o.contact_id from customer_order o
               join order_line l on l.workspace_id = o.workspace_id and l.order_id = o.id
               join product p on p.workspace_id = l.workspace_id and p.id = l.product_id
               where o.workspace_id = {ws} and o.contact_id is not null and o.status not in ('cancelled', 'refunded')
                 and o.placed_at >= {day365} and p.category = 'Оптика')
  and c.id in (select contact_id from tracking_event where workspace_id = {ws} and contact_id is not null
               and kind = 'open' and not machine and at >= {day60});"""

SEED_OPENS = """
insert into tracking_event (workspace_id, message_id, contact_id, kind, at, user_agent, machine)
select c.workspace_id, 0, c.id, 'open', now() - ((c.id * 7 + g * 13) % 120) * interval '1 day' - (g * interval '37 minutes'),
       'segments-bench', false
from contact c, generate_series(1, 1 + (c.id % 4)) g
where c.workspace_id = {ws} and c.id % 10 < 3 and not exists (select 1 from tracking_event t where t.user_agent = 'segments-bench');
analyze tracking_event;"""

# Segments that react to events (no RFM, which follows the periodic refresh), for the incremental re-evaluation.
REACTIVE = [
    {"type": "event", "event": "page_viewed", "op": "at_least", "count": 3, "period": {"lastDays": 30}},
    {"type": "and", "rules": [{"type": "field", "field": "consent", "op": "eq", "value": "subscribed"},
                              {"type": "event", "event": "product_viewed", "period": {"lastDays": 7}},
                              {"type": "bought", "categories": ["Оптика"], "period": {"lastDays": 365}}]},
    {"type": "and", "rules": [{"type": "event", "event": "checkout_started", "period": {"lastDays": 14}},
                              {"type": "not", "rule": {"type": "bought", "period": {"lastDays": 14}}}]}]


def day_ago(n):
    return f"((date_trunc('day', now() at time zone 'Europe/Moscow') - interval '{n} days') at time zone 'Europe/Moscow')"


def start(jar, data, port, db_port):
    env = dict(os.environ, ORBITA_DATA_DIR=data, ORBITA_PORT=str(port), ORBITA_EMBEDDED_DB_PORT=str(db_port),
               ORBITA_ADMIN_EMAIL=EMAIL, ORBITA_ADMIN_PASSWORD=PASSWORD)
    java = os.path.join(os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "java")
    log = open(os.path.join(data, "segments-bench.log"), "w")
    extra = os.environ.get("ORBITA_BENCH_JVM_OPTS", "").split()
    # The periodic refresh would compete with the measurements: put it off.
    proc = subprocess.Popen([java, "-Xmx2g"] + extra + ["-jar", jar, "--orbita.segments.first-refresh-after=PT24H",
                            "--logging.level.io.orbita.segments.internal.Membership=debug"],
                            env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 1800  # the first start on bench data builds the segment indexes
    while time.time() < deadline:
        if proc.poll() is not None:
            sys.exit("Orbita stopped; see " + log.name)
        try:
            with urllib.request.urlopen(f"http://localhost:{port}/actuator/health", timeout=2) as r:
                if r.status == 200:
                    return proc
        except Exception:
            time.sleep(1)
    proc.kill()
    sys.exit("Orbita did not start; see " + log.name)


def api_key(base):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/login").read().decode()
    csrf = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
    opener.open(base + "/login", data=urllib.parse.urlencode({"email": EMAIL, "password": PASSWORD, "_csrf": csrf}).encode()).read()
    page = opener.open(base + "/settings/api-keys").read().decode()
    csrf = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
    page = opener.open(base + "/settings/api-keys", data=urllib.parse.urlencode(
        {"name": "segments bench", "role": "admin", "_csrf": csrf}).encode()).read().decode()
    return re.search(r'id="new-secret"[^>]*>([^<]+)<', page).group(1).strip()


def call(base, key, method, path, body=None):
    req = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Authorization": "Bearer " + key, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=600) as r:
        return json.load(r)


def timed(fn, n):
    samples, result = [], None
    for _ in range(n):
        t = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)], result



def psql_timed(db_port, sql, n):
    """Runs the statement n + 1 times in one psql session (the first run warms the cache); median, p95, result."""
    script = "\\timing on\n" + "\n".join([sql] * (n + 1))
    out = subprocess.run(["psql", "-X", "-t", "-A", "-h", "localhost", "-p", str(db_port), "-U", "postgres", "-d", "postgres"],
                         input=script, check=True, capture_output=True, text=True).stdout
    times = sorted(float(x) for x in re.findall(r"Time: ([0-9.]+) ms", out)[1:])
    result = int(re.findall(r"^(\d+)$", out, re.M)[0])
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)], result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jar", default="target/orbita.jar")
    ap.add_argument("--data", default="bench/out/gen")
    ap.add_argument("--generate", action="store_true", help="run bench/generate_bench.sh first")
    ap.add_argument("--scale", default=os.environ.get("SCALE", "bench"))
    ap.add_argument("--port", type=int, default=18091)
    ap.add_argument("--db-port", type=int, default=54330)
    ap.add_argument("--samples", type=int, default=11)
    ap.add_argument("--raw", action="store_true", help="also time the hand-written SQL over the fact tables (3 runs)")
    a = ap.parse_args()
    if a.generate or not os.path.isdir(a.data):
        subprocess.run(["bench/generate_bench.sh"], check=True, env=dict(os.environ, SCALE=a.scale))
    base = f"http://localhost:{a.port}"
    proc = start(a.jar, a.data, a.port, a.db_port)
    log_path = os.path.join(a.data, "segments-bench.log")
    ws = None
    try:
        print("uptime: " + subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
        key = api_key(base)
        ws = psql(a.db_port, "select min(id) from workspace")
        contacts = psql(a.db_port, f"select count(*) from contact where workspace_id = {ws}")
        psql(a.db_port, SEED_OPENS.format(ws=ws))
        psql(a.db_port, "vacuum analyze")
        print(f"workspace {ws}: {int(contacts):,} contacts; synthetic opens: "
              + psql(a.db_port, "select count(*) from tracking_event where user_agent = 'segments-bench'"))

        call(base, key, "POST", "/api/v1/segments/count", {"rule": SIX})  # warm-up
        e_med, e_p95, e_res = timed(lambda: call(base, key, "POST", "/api/v1/segments/count", {"rule": SIX})["count"], a.samples)
        args = dict(ws=ws, day60=day_ago(60), day90=day_ago(90), day365=day_ago(365))
        hands = {name: psql_timed(a.db_port, sql.format(**args), a.samples) for name, sql in (("IN", HAND_IN), ("EXISTS", HAND_EXISTS))}
        best = min(hands, key=lambda k: hands[k][0])
        h_med, h_p95, h_res = hands[best]
        print(f"six-condition count, engine (API, HTTP included): median {e_med:.0f} ms, p95 {e_p95:.0f} ms, count {e_res}")
        for name, (m, p95, r) in hands.items():
            print(f"six-condition count, hand-written SQL with {name} over the aggregates (psql): median {m:.0f} ms, p95 {p95:.0f} ms, count {r}")
        print(f"engine / best hand-written ({best}) (medians): {e_med / h_med:.2f}" + ("" if e_res == h_res else "  (COUNTS DIFFER)"))
        if a.raw:
            r_med, r_p95, r_res = psql_timed(a.db_port, HAND_RAW.format(**args), 3)
            print(f"six-condition count, hand-written SQL over the fact tables (psql, before the aggregates): median {r_med:.0f} ms, count {r_res}")
        print("uptime: " + subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())

        t = time.perf_counter()
        seg = call(base, key, "POST", "/api/v1/segments", {"name": "bench: subscribed",
                                                             "rule": {"type": "field", "field": "consent", "op": "eq", "value": "subscribed"}})
        fill = time.perf_counter() - t
        # Half of the members leave and come back: a full refresh with real work to do, not only a comparison.
        t = time.perf_counter()
        call(base, key, "POST", f"/api/v1/segments/{seg['id']}/refresh")
        refresh = time.perf_counter() - t
        psql(a.db_port, f"delete from segment_member where workspace_id = {ws} and segment_id = {seg['id']} and contact_id % 2 = 0")
        t = time.perf_counter()
        moved = call(base, key, "POST", f"/api/v1/segments/{seg['id']}/refresh")
        refresh_moved = time.perf_counter() - t
        print(f"broad segment ({seg['size']:,} members): first fill {fill:.1f} s, full refresh {refresh:.1f} s (nothing changed), "
              f"{refresh_moved:.1f} s ({moved['entered']:,} entered, logged and published)")
        contact = psql(a.db_port, f"select max(id) from contact where workspace_id = {ws}")
        i_med, i_p95, _ = timed(lambda: call(base, key, "GET", f"/api/v1/segments/{seg['id']}/test?contactId={contact}"), a.samples)
        six = call(base, key, "POST", "/api/v1/segments", {"name": "bench: six conditions", "rule": SIX})
        compiled = call(base, key, "GET", f"/api/v1/segments/{six['id']}/sql")
        with open(os.path.join(a.data, "segments-plan.txt"), "w") as f:
            f.write(compiled["sql"] + "\n\n" + json.dumps(compiled["params"], ensure_ascii=False) + "\n\n" + compiled["plan"] + "\n")
        print("compiled SQL and plan of the six-condition segment: " + os.path.join(a.data, "segments-plan.txt"))
        s_med, s_p95, _ = timed(lambda: call(base, key, "GET", f"/api/v1/segments/{six['id']}/test?contactId={contact}"), a.samples)
        print(f"one contact's evaluation (GET test, HTTP included): broad segment median {i_med:.1f} ms, "
              f"six-condition segment median {s_med:.1f} ms (p95 {s_p95:.1f})")

        # Incremental: single events for different contacts; the server logs each contact's re-evaluation per segment.
        for i, rule in enumerate(REACTIVE):
            call(base, key, "POST", "/api/v1/segments", {"name": f"bench: reacts to events {i + 1}", "rule": rule})
        ids = psql(a.db_port, f"select string_agg(id::text, ',') from (select id from contact where workspace_id = {ws} "
                              f"order by id desc limit {a.samples}) x").split(",")
        before = len(re.findall(r"SEGMENT-REEVALUATED", open(log_path).read()))
        for cid in ids:
            call(base, key, "POST", "/api/v1/events", {"events": [{"type": "page_viewed", "contactId": int(cid),
                                                                    "properties": {"path": "/bench"}}]})
            time.sleep(0.2)
        deadline = time.time() + 60
        lines = []
        while time.time() < deadline:
            lines = re.findall(r"SEGMENT-REEVALUATED contacts=(\d+) segment=(\d+) ms=([0-9.]+)", open(log_path).read())[before:]
            if len(lines) >= len(ids) * len(REACTIVE):
                break
            time.sleep(1)
        per = sorted(float(ms) / int(n) for n, _, ms in lines)
        if per:
            print(f"incremental re-evaluation after a single event: {len(per)} contact x segment evaluations, "
                  f"median {statistics.median(per):.1f} ms, p95 {per[max(0, int(len(per) * 0.95) - 1)]:.1f} ms, "
                  f"max {per[-1]:.1f} ms per contact per segment")
        else:
            print("incremental re-evaluation: no SEGMENT-REEVALUATED lines in " + log_path)
        print("uptime: " + subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    finally:
        if ws is not None:
            # Leave the data set as it was: no synthetic opens, no benchmark segments (their members go with them).
            psql(a.db_port, "delete from tracking_event where user_agent = 'segments-bench'")
            psql(a.db_port, f"delete from segment where workspace_id = {ws} and name like 'bench: %'")
        proc.terminate()
        proc.wait(60)


if __name__ == "__main__":
    main()
