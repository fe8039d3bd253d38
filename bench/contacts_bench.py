#!/usr/bin/env python3
"""Contacts benchmark: bulk upsert throughput over the REST API and contacts-list latency at a million contacts.

Starts Orbita from target/orbita.jar with a throw-away embedded PostgreSQL in bench/out/, then:
  1. upserts N contacts (default 200,000) through POST /api/v1/contacts/bulk in batches of 1,000 and reports contacts/s;
  2. tops the workspace up to M contacts (default 1,000,000) with SQL (fast, not what is measured);
  3. signs in through the login form and times the contacts list page (first page, a search, a deep keyset page)
     and the API list, reporting median and p95.
Only the Python standard library is used; psql is needed for step 2.
"""
import argparse, concurrent.futures, http.cookiejar, json, os, random, re, shutil, statistics, subprocess, sys, time
import urllib.parse, urllib.request

KEY = "bench-api-key-0123456789abcdefghijklmnop"
PASSWORD = "bench-password-1"
FIRST = ["Иван", "Пётр", "Анна", "Мария", "Сергей", "Ольга", "Алексей", "Елена", "Дмитрий", "Наталья"]
LAST = ["Иванов", "Петров", "Смирнов", "Кузнецов", "Попов", "Соколов", "Лебедев", "Козлов", "Новиков", "Морозов"]


def start(jar, out, port, db_port, heap="1g"):
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    env = dict(os.environ, ORBITA_DATA_DIR=os.path.join(out, "data"), ORBITA_PORT=str(port),
               ORBITA_EMBEDDED_DB_PORT=str(db_port), ORBITA_INIT_API_KEY=KEY,
               ORBITA_ADMIN_EMAIL="bench@orbita.local", ORBITA_ADMIN_PASSWORD=PASSWORD)
    java = os.path.join(os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "java")
    log = open(os.path.join(out, "orbita.log"), "w")
    extra = os.environ.get("ORBITA_BENCH_JVM_OPTS", "").split()
    proc = subprocess.Popen([java, "-Xmx" + heap] + extra + ["-jar", jar], env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://localhost:{port}/actuator/health", timeout=2) as r:
                if r.status == 200:
                    return proc
        except Exception:
            time.sleep(0.5)
    proc.kill()
    sys.exit("Orbita did not start; see " + log.name)


def post_bulk(base, items):
    req = urllib.request.Request(base + "/api/v1/contacts/bulk", data=json.dumps({"items": items}).encode(),
                                 headers={"Authorization": "Bearer " + KEY, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as r:
        body = json.load(r)
    if body["failed"]:
        raise SystemExit("bulk reported failures: " + json.dumps(body["items"][:3]))
    return body["created"] + body["updated"]


def batch(start_index, size, rnd):
    items = []
    for i in range(start_index, start_index + size):
        items.append({"email": f"contact{i}@company{i % 5000}.ru", "firstName": rnd.choice(FIRST),
                      "lastName": rnd.choice(LAST), "position": "Менеджер по закупкам", "phone": f"+7912{i % 10000000:07d}",
                      "type": "corporate_client", "sourceLabel": "bench", "sourceKind": "import", "tags": ["bench"]})
    return items


def timed(fn, n):
    samples = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jar", default="target/orbita.jar")
    ap.add_argument("--out", default="bench/out")
    ap.add_argument("--port", type=int, default=18080)
    ap.add_argument("--db-port", type=int, default=54329)
    ap.add_argument("--upsert", type=int, default=200_000)
    ap.add_argument("--total", type=int, default=1_000_000)
    ap.add_argument("--clients", type=int, default=2)
    ap.add_argument("--samples", type=int, default=50)
    a = ap.parse_args()
    base = f"http://localhost:{a.port}"
    proc = start(a.jar, a.out, a.port, a.db_port)
    try:
        rnd = random.Random(42)
        starts = list(range(0, a.upsert, 1000))
        t0 = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(a.clients) as pool:
            done = sum(pool.map(lambda s: post_bulk(base, batch(s, min(1000, a.upsert - s), rnd)), starts))
        elapsed = time.perf_counter() - t0
        print(f"bulk upsert: {done} contacts in {elapsed:.1f} s = {done / elapsed:,.0f} contacts/s "
              f"({a.clients} clients, batches of 1000)")

        extra = a.total - a.upsert
        if extra > 0:
            sql = f"""
                insert into contact (workspace_id, email, first_name, last_name, position, contact_type, source_kind,
                                     tags, consent_status, created_at, updated_at)
                select 1, 'filler' || g || '@client' || (g % 20000) || '.ru',
                       (array['Иван','Анна','Пётр','Ольга'])[1 + g % 4], (array['Петров','Смирнова','Соколов'])[1 + g % 3],
                       'Инженер', 'corporate_client', 'import', '{{}}', 'subscribed', now(), now()
                from generate_series(1, {extra}) g"""
            t = time.perf_counter()
            subprocess.run(["psql", "-q", "-h", "localhost", "-p", str(a.db_port), "-U", "postgres", "-d", "postgres",
                            "-c", sql, "-c", "vacuum analyze contact"], check=True)
            print(f"filled to {a.total:,} contacts with SQL in {time.perf_counter() - t:.0f} s")

        # The list search reads contact_search, which a background indexer fills from contact_search_range (new contacts) and contact_search_queue (renames); searches
        # are correct before it catches up, only slower, so measure once the queue is empty (and say how long that took).
        t = time.perf_counter()
        while True:
            backlog = int(subprocess.run(["psql", "-Atq", "-h", "localhost", "-p", str(a.db_port), "-U", "postgres",
                                          "-d", "postgres", "-c", "select (select count(*) from contact_search_queue) + (select count(*) from contact_search_range)"],
                                         check=True, capture_output=True, text=True).stdout.strip() or 0)
            if backlog == 0:
                break
            time.sleep(1)
        subprocess.run(["psql", "-q", "-h", "localhost", "-p", str(a.db_port), "-U", "postgres", "-d", "postgres",
                        "-c", "vacuum analyze contact_search"], check=True)
        print(f"search index caught up {time.perf_counter() - t:.0f} s after the last write")

        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = opener.open(base + "/login").read().decode()
        csrf = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
        opener.open(base + "/login", data=urllib.parse.urlencode(
            {"email": "bench@orbita.local", "password": PASSWORD, "_csrf": csrf}).encode()).read()

        def ui(path):
            body = opener.open(base + path).read()
            assert b"<table" in body, path
            return body

        deep_cursor = json.load(urllib.request.urlopen(urllib.request.Request(
            base + "/api/v1/contacts?limit=500", headers={"Authorization": "Bearer " + KEY})))["nextCursor"]
        for label, fn in [
            ("contacts page (first 50)", lambda: ui("/contacts")),
            ("contacts page, search 'петров'", lambda: ui("/contacts?q=" + urllib.parse.quote("петров"))),
            ("contacts page, search by email 'contact1999'", lambda: ui("/contacts?q=contact1999")),
            ("contacts page, search with no match 'нетакогоимени'",
             lambda: opener.open(base + "/contacts?q=" + urllib.parse.quote("нетакогоимени")).read()),
            ("contacts page after 500 rows (keyset)", lambda: ui("/contacts?cursor=" + deep_cursor)),
            ("API GET /api/v1/contacts?limit=50", lambda: urllib.request.urlopen(urllib.request.Request(
                base + "/api/v1/contacts?limit=50", headers={"Authorization": "Bearer " + KEY})).read()),
        ]:
            fn()
            med, p95 = timed(fn, a.samples)
            print(f"{label}: median {med:.1f} ms, p95 {p95:.1f} ms ({a.samples} requests, {a.total:,} contacts)")
    finally:
        proc.terminate()
        proc.wait(120)


if __name__ == "__main__":
    main()
