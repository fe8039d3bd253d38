#!/usr/bin/env python3
"""Segments benchmark on the generated `bench` data set (see bench/generate_bench.sh).

Starts Orbita from target/orbita.jar on the data directory the generator left in bench/out/gen (generating it first with
--generate, at --scale bench or demo), signs in as the generator's owner, makes an admin API key through the UI, then:
  1. counts a six-condition segment (contact type, consent, RFM recency score, page views in 90 days, bought a category
     in a year, no abandoned cart) through POST /api/v1/segments/count, median and p95 of --samples runs;
  2. runs the best hand-written SQL for the same question through psql in the same run (median and p95) and checks
     both give the same number;
  3. creates a broad segment (subscribed contacts: the first fill) and refreshes it again (full refresh, timed);
  4. times one contact's evaluation in that segment (GET .../test, HTTP included), as the bound of incremental work.
Engagement conditions (opened/clicked) are not part of the engine yet, so the six conditions leave them out.
Only the Python standard library is used; psql is needed (apt-get install -y postgresql-client).
"""
import argparse, http.cookiejar, json, os, re, statistics, subprocess, sys, time, urllib.parse, urllib.request

EMAIL, PASSWORD = "bench@orbita.local", "bench-password-1"

SIX = {"type": "and", "rules": [
    {"type": "field", "field": "contactType", "op": "eq", "value": "corporate_client"},
    {"type": "field", "field": "consent", "op": "eq", "value": "subscribed"},
    {"type": "rfm", "score": "recency", "op": "gte", "value": 4},
    {"type": "event", "event": "page_viewed", "op": "at_least", "count": 2, "period": {"lastDays": 90}},
    {"type": "bought", "categories": ["Оптика"], "period": {"lastDays": 365}},
    {"type": "not", "rule": {"type": "abandoned_cart"}}]}

HAND = """
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
  and not exists (select 1 from cart ct where ct.workspace_id = {ws} and ct.contact_id = c.id
                  and jsonb_array_length(ct.lines) > 0 and ct.updated_at < now() - interval '1 hour');"""


def day_ago(n):
    return f"((date_trunc('day', now() at time zone 'Europe/Moscow') - interval '{n} days') at time zone 'Europe/Moscow')"


def start(jar, data, port, db_port):
    env = dict(os.environ, ORBITA_DATA_DIR=data, ORBITA_PORT=str(port), ORBITA_EMBEDDED_DB_PORT=str(db_port),
               ORBITA_ADMIN_EMAIL=EMAIL, ORBITA_ADMIN_PASSWORD=PASSWORD)
    java = os.path.join(os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "java")
    log = open(os.path.join(data, "segments-bench.log"), "w")
    extra = os.environ.get("ORBITA_BENCH_JVM_OPTS", "").split()
    # The periodic refresh would compete with the measurements: put it off.
    proc = subprocess.Popen([java, "-Xmx2g"] + extra + ["-jar", jar, "--orbita.segments.first-refresh-after=PT24H"],
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


def psql(db_port, sql):
    return subprocess.run(["psql", "-X", "-q", "-t", "-A", "-h", "localhost", "-p", str(db_port), "-U", "postgres",
                           "-d", "postgres", "-c", sql], check=True, capture_output=True, text=True).stdout.strip()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jar", default="target/orbita.jar")
    ap.add_argument("--data", default="bench/out/gen")
    ap.add_argument("--generate", action="store_true", help="run bench/generate_bench.sh first")
    ap.add_argument("--scale", default=os.environ.get("SCALE", "bench"))
    ap.add_argument("--port", type=int, default=18091)
    ap.add_argument("--db-port", type=int, default=54330)
    ap.add_argument("--samples", type=int, default=11)
    a = ap.parse_args()
    if a.generate or not os.path.isdir(a.data):
        subprocess.run(["bench/generate_bench.sh"], check=True, env=dict(os.environ, SCALE=a.scale))
    base = f"http://localhost:{a.port}"
    proc = start(a.jar, a.data, a.port, a.db_port)
    try:
        key = api_key(base)
        ws = psql(a.db_port, "select min(id) from workspace")
        contacts = psql(a.db_port, f"select count(*) from contact where workspace_id = {ws}")
        psql(a.db_port, "vacuum analyze")
        print(f"workspace {ws}: {int(contacts):,} contacts")

        call(base, key, "POST", "/api/v1/segments/count", {"rule": SIX})  # warm-up
        e_med, e_p95, e_res = timed(lambda: call(base, key, "POST", "/api/v1/segments/count", {"rule": SIX})["count"], a.samples)
        hand = HAND.format(ws=ws, day90=day_ago(90), day365=day_ago(365))
        script = "\\timing on\n" + "\n".join([hand] * (a.samples + 1))
        out = subprocess.run(["psql", "-X", "-t", "-A", "-h", "localhost", "-p", str(a.db_port), "-U", "postgres", "-d", "postgres"],
                             input=script, check=True, capture_output=True, text=True).stdout
        times = sorted(float(x) for x in re.findall(r"Time: ([0-9.]+) ms", out)[1:])
        h_res = int(re.findall(r"^(\d+)$", out, re.M)[0])
        h_med, h_p95 = statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]
        print(f"six-condition count, engine (API, HTTP included): median {e_med:.0f} ms, p95 {e_p95:.0f} ms, count {e_res}")
        print(f"six-condition count, hand-written SQL (psql):      median {h_med:.0f} ms, p95 {h_p95:.0f} ms, count {h_res}")
        print(f"engine / hand-written (medians): {e_med / h_med:.2f}" + ("" if e_res == h_res else "  (COUNTS DIFFER)"))

        t = time.perf_counter()
        seg = call(base, key, "POST", "/api/v1/segments", {"name": "bench: subscribed",
                                                             "rule": {"type": "field", "field": "consent", "op": "eq", "value": "subscribed"}})
        fill = time.perf_counter() - t
        t = time.perf_counter()
        call(base, key, "POST", f"/api/v1/segments/{seg['id']}/refresh")
        refresh = time.perf_counter() - t
        print(f"broad segment ({seg['size']:,} members): first fill {fill:.1f} s, full refresh {refresh:.1f} s")
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
    finally:
        proc.terminate()
        proc.wait(60)


if __name__ == "__main__":
    main()
