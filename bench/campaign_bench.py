#!/usr/bin/env python3
"""Campaign benchmark on the generated `bench` data set (see bench/generate_bench.sh): a 1,000,000-recipient campaign.

Starts Orbita from target/orbita.jar on a data directory left by the generator (default bench/out/gen; pass a copy of
your own with --data: the run changes it), with no send workers (ORBITA_DELIVERY_WORKERS=0) so the measured phase is
only the campaign's own work. Signs in as the generator's owner, makes an admin API key through the UI, then:
  1. (setup, not timed as part of the send) marks every contact subscribed and clears suppressions with psql (the
     generated data has unsubscribed and bounced contacts; the point is a campaign that queues a million letters), sets
     the weekly frequency cap to none (repeated runs would hit it), and
     creates a rule segment "consent = subscribed" (its first fill is timed and printed separately);
  2. creates a template and a news campaign to that segment, presses send, and polls the campaign: the time from the
     send to the recipient list fixed (startedAt set: the freeze with the skip checks) and to every recipient queued
     into the outbox (state sent: all letters handed to the outbox), sampling the heap (Prometheus) every 2 s;
  3. --fill-report: marks the outbox rows sent with SQL and writes synthetic tracking events (opens for 30% of the
     letters, clicks for 5%, spread over 48 hours) with SQL, then times the campaign report page (GET /campaigns/{id},
     HTTP included, signed in) and the stats API, median and p95 of --samples runs.
--sink PORT: also hand every letter to Postfix's smtp-sink (started by the script on that port): the setup runs with
no send workers, then Orbita restarts with its workers and a relay pointing at the sink, and the time from the send
to the last letter accepted by the sink is measured, with the heap (needs /usr/sbin/smtp-sink).
Only the Python standard library is used; psql is needed.
"""
import argparse, http.cookiejar, json, os, re, statistics, subprocess, sys, time, urllib.parse, urllib.request
from benchlib import psql

EMAIL, PASSWORD = "bench@orbita.local", "bench-password-1"


def start(jar, data, port, db_port, heap, sink=None):
    env = dict(os.environ, ORBITA_DATA_DIR=data, ORBITA_PORT=str(port), ORBITA_EMBEDDED_DB_PORT=str(db_port),
               ORBITA_ADMIN_EMAIL=EMAIL, ORBITA_ADMIN_PASSWORD=PASSWORD, ORBITA_DELIVERY_WORKERS="0")
    if sink:
        env.update(ORBITA_DELIVERY_WORKERS="4", ORBITA_SMTP_HOST="127.0.0.1", ORBITA_SMTP_PORT=str(sink),
                   ORBITA_SMTP_SECURITY="none", ORBITA_SMTP_CONNECTIONS="8")
    java = os.path.join(os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "java")
    log = open(os.path.join(data, "campaign-bench.log"), "w")
    extra = os.environ.get("ORBITA_BENCH_JVM_OPTS", "").split()
    proc = subprocess.Popen([java, "-Xmx" + heap] + extra + ["-jar", jar, "--orbita.segments.first-refresh-after=PT24H"],
                            env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 1800
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


def sign_in(base):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/login").read().decode()
    csrf = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
    opener.open(base + "/login", data=urllib.parse.urlencode({"email": EMAIL, "password": PASSWORD, "_csrf": csrf}).encode()).read()
    page = opener.open(base + "/settings/api-keys").read().decode()
    csrf = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
    page = opener.open(base + "/settings/api-keys", data=urllib.parse.urlencode(
        {"name": "campaign bench", "role": "admin", "_csrf": csrf}).encode()).read().decode()
    return opener, re.search(r'id="new-secret"[^>]*>([^<]+)<', page).group(1).strip()


def call(base, key, method, path, body=None):
    req = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Authorization": "Bearer " + key, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=1800) as r:
        b = r.read()
        return json.loads(b) if b and r.headers.get("Content-Type", "").startswith("application/json") else b


def heap(base, key):
    text = call(base, key, "GET", "/actuator/prometheus").decode()
    return sum(float(m.group(1)) for m in re.finditer(r'jvm_memory_used_bytes\{area="heap"[^}]*\} ([0-9.eE+]+)', text))



def timed(fn, n):
    samples = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jar", default="target/orbita.jar")
    ap.add_argument("--data", default="bench/out/gen")
    ap.add_argument("--port", type=int, default=18191)
    ap.add_argument("--db-port", type=int, default=54431)
    ap.add_argument("--heap", default="1g")
    ap.add_argument("--samples", type=int, default=11)
    ap.add_argument("--fill-report", action="store_true", help="fill sent/open/click rows with SQL and time the report")
    ap.add_argument("--campaign", type=int, help="skip the send: time the report of this (already sent) campaign")
    ap.add_argument("--sink", type=int, help="hand the letters to smtp-sink on this port and time that too")
    a = ap.parse_args()
    base = f"http://localhost:{a.port}"
    print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    proc = start(a.jar, a.data, a.port, a.db_port, a.heap)
    try:
        opener, key = sign_in(base)
        ws = psql(a.db_port, "select min(id) from workspace")
        cid = a.campaign
        if cid is None:
            # A campaign left sending by an interrupted earlier run would be resumed now and compete: cancel it, and
            # wait until its worker has let go of the database.
            for old in psql(a.db_port, f"select id from campaign where workspace_id = {ws} and state in ('scheduled', 'sending', 'paused')").split():
                call(base, key, "POST", f"/api/v1/campaigns/{old}/cancel")
                print(f"cancelled campaign {old} left by an earlier run")
            quiet = 0
            while quiet < 3:
                busy = int(psql(a.db_port, "select count(*) from pg_stat_activity where state = 'active' and query like '%campaign_recipient%' and pid <> pg_backend_pid()"))
                quiet = 0 if busy else quiet + 1
                time.sleep(1)
            psql(a.db_port, f"update contact set consent_status = 'subscribed' where workspace_id = {ws} and consent_status <> 'subscribed'")
            psql(a.db_port, f"delete from suppression where workspace_id = {ws}")
            psql(a.db_port, f"delete from mailing_opt_out where workspace_id = {ws}")
            # Repeated runs on the same data would hit the weekly frequency cap with the earlier runs' letters.
            call(base, key, "PUT", "/api/v1/campaign-settings", {"weeklyCap": 0})
            psql(a.db_port, "vacuum analyze contact")
            contacts = int(psql(a.db_port, f"select count(*) from contact where workspace_id = {ws}"))
            print(f"workspace {ws}: {contacts:,} contacts, all subscribed (setup)")
            t = time.perf_counter()
            seg = call(base, key, "POST", "/api/v1/segments", {"name": f"all subscribed {time.time():.0f}", "rule":
                       {"type": "field", "field": "consent", "op": "eq", "value": "subscribed"}})
            print(f"segment first fill: {time.perf_counter() - t:.1f} s")
            tpl = call(base, key, "POST", "/api/v1/templates", {"name": f"bench {time.time():.0f}", "kind": "news",
                       "subject": "Новости для {{ contact.first_name }}",
                       "html": "<html><body><p>Здравствуйте, {{ contact.first_name }}!</p><a href=\"https://shop.example/sale\">Скидки</a>"
                               " <a href=\"{{ unsubscribe_url }}\">Отписаться</a></body></html>"})
            camp = call(base, key, "POST", "/api/v1/campaigns", {"name": f"bench {time.time():.0f}", "kind": "news",
                        "segmentIds": [seg["id"]], "templateId": tpl["id"], "fromEmail": "news@shop.example", "fromName": "Магазин"})
            cid = camp["id"]
            if a.sink:
                call(base, key, "POST", "/api/v1/sending-domains", {"domain": "shop.example", "ed25519": False})
                # Letters left queued by earlier runs on this data would be sent too and blur the figure.
                psql(a.db_port, "update outbox_message set state = 'cancelled' where state in ('queued', 'deferred', 'sending')")
                proc.terminate()
                proc.wait(timeout=300)
                sink = subprocess.Popen(["/usr/sbin/smtp-sink", "-u", "nobody", "-c", f"127.0.0.1:{a.sink}", "256"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                proc = start(a.jar, a.data, a.port, a.db_port, a.heap, a.sink)
            heaps = [heap(base, key)]
            t0 = time.perf_counter()
            call(base, key, "POST", f"/api/v1/campaigns/{cid}/send")
            frozen = None
            last_heap = 0
            while True:
                c = call(base, key, "GET", f"/api/v1/campaigns/{cid}")
                now = time.perf_counter()
                if frozen is None and c.get("startedAt"):
                    frozen = now - t0
                    print(f"recipient list fixed: {frozen:.1f} s after send")
                if c["state"] in ("sent", "cancelled"):
                    break
                if now - last_heap >= 2:
                    heaps.append(heap(base, key))
                    last_heap = now
                time.sleep(0.5)
            total = time.perf_counter() - t0
            heaps.append(heap(base, key))
            queued = int(psql(a.db_port, f"select count(*) from campaign_recipient where workspace_id = {ws} and campaign_id = {cid} and message_id is not null"))
            rows = int(psql(a.db_port, f"select count(*) from campaign_recipient where workspace_id = {ws} and campaign_id = {cid}"))
            print(f"campaign {cid}: {rows:,} recipients fixed, {queued:,} letters queued in the outbox")
            print(f"send -> list fixed: {frozen:.1f} s; send -> all queued: {total:.1f} s "
                  f"({queued / max(total - frozen, 0.001):,.0f} letters/s queued after the freeze)")
            if a.sink:
                # Sending runs while letters are still being queued; the rate after the last one was queued is the
                # sender's own pace, the overall figure is what the marketer waits for.
                at_queued = sum(r["sent"] for r in call(base, key, "GET", "/api/v1/delivery/status")["relays"])
                while True:
                    relays = call(base, key, "GET", "/api/v1/delivery/status")["relays"]
                    sent = sum(r["sent"] for r in relays)
                    if sent >= queued:
                        break
                    if time.perf_counter() - last_heap >= 2:
                        heaps.append(heap(base, key))
                        last_heap = time.perf_counter()
                        print(f"  {time.perf_counter() - t0:.0f} s: {sent:,} handed to the sink", flush=True)
                    time.sleep(0.5)
                handed = time.perf_counter() - t0
                sink.terminate()
                print(f"send -> all {sent:,} letters handed to smtp-sink: {handed:.1f} s "
                      f"({at_queued:,} of them while queueing; {(sent - at_queued) / max(handed - total, 0.001):,.0f} letters/s "
                      f"after all were queued; {sent / handed:,.0f}/s overall)")
            print(f"heap used MB min/median/max: {min(heaps)/2**20:.0f}/{sorted(heaps)[len(heaps)//2]/2**20:.0f}/{max(heaps)/2**20:.0f} (-Xmx{a.heap})")
            print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
        if a.fill_report:
            t = time.perf_counter()
            psql(a.db_port, f"""update outbox_message m set state = 'sent', sent_at = now() - interval '48 hours', attempts = 1
                               from campaign_recipient r where r.workspace_id = {ws} and r.campaign_id = {cid}
                                 and m.workspace_id = r.workspace_id and m.id = r.message_id and m.state <> 'sent'""")
            psql(a.db_port, f"""insert into tracking_event (workspace_id, message_id, contact_id, kind, url, at, user_agent, machine)
                               select r.workspace_id, r.message_id, r.contact_id, 'open', null,
                                      now() - interval '48 hours' + (r.contact_id % 2880) * interval '1 minute', 'Mozilla/5.0', false
                               from campaign_recipient r where r.workspace_id = {ws} and r.campaign_id = {cid}
                                 and r.message_id is not null and r.contact_id % 10 < 3""")
            psql(a.db_port, f"""insert into tracking_event (workspace_id, message_id, contact_id, kind, url, at, user_agent, machine)
                               select r.workspace_id, r.message_id, r.contact_id, 'click', 'https://shop.example/sale',
                                      now() - interval '47 hours' + (r.contact_id % 2820) * interval '1 minute', 'Mozilla/5.0',
                                      r.contact_id % 100 = 0
                               from campaign_recipient r where r.workspace_id = {ws} and r.campaign_id = {cid}
                                 and r.message_id is not null and r.contact_id % 20 = 0""")
            print(f"report data filled with SQL (sent rows, 30% opens, 5% clicks): {time.perf_counter() - t:.0f} s")
        if a.fill_report or a.campaign:
            for table in ("outbox_message", "tracking_event", "campaign_recipient"):
                psql(a.db_port, f"vacuum analyze {table}")  # one per call: VACUUM cannot run in a transaction
            t = time.perf_counter()
            page = lambda: opener.open(f"{base}/campaigns/{cid}").read()
            page()
            print(f"report page, first view after start (computes the figures): {(time.perf_counter() - t) * 1000:.0f} ms")
            html = page().decode()
            assert "<svg" in html, "no chart on the report page"
            p_med, p_p95 = timed(page, a.samples)
            s_med, s_p95 = timed(lambda: call(base, key, "GET", f"/api/v1/campaigns/{cid}/stats"), a.samples)
            stats = call(base, key, "GET", f"/api/v1/campaigns/{cid}/stats")
            print(f"report page GET /campaigns/{cid}: median {p_med:.0f} ms, p95 {p_p95:.0f} ms (HTTP included)")
            print(f"stats API: median {s_med:.0f} ms, p95 {s_p95:.0f} ms; delivered {stats['delivered']:,}, "
                  f"unique opens {stats['uniqueOpens']:,}, unique clicks {stats['uniqueClicks']:,}")
            print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    main()
