"""Tracking benchmark: the open pixel GET /t/o/{token} under wrk on loopback, hits/s and p99, hits stored vs answered.

With --contacts N the hits are opens of letters to N real contacts in turn, with an "opened this week" segment that
follows them through the hit writer's EngagementRecorded events; the run then waits for the segment listeners to catch
up and reports the CPU of the JVM and of the embedded PostgreSQL per hit (from /proc), which is what to compare on a
shared machine.

Starts Orbita (target/orbita.jar) with a throw-away embedded PostgreSQL and a known ORBITA_SECRET, so the signed token
is made here (the same HMAC as io.orbita.platform.Signing). With nginx installed it also serves the same 43-byte GIF
from nginx on the next port and reports Orbita's rate as a share of nginx's, measured in the same run.
"""
import argparse, base64, hashlib, hmac, json, os, re, shutil, subprocess, sys, tempfile, time, urllib.request
sys.path.insert(0, os.path.dirname(__file__))
from contacts_bench import KEY, post_bulk, start
from benchlib import cpu_seconds, psql

SECRET = "tracking-bench-secret-0123456789-0123456789"
UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
GIF = bytes.fromhex("474946383961" "01000100" "800000" "000000ffffff" "21f9040100000000" "2c00000000010001" "0000" "0202440100" "3b")


def b36(n):
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if n == 0:
            return out


def open_token(workspace, message, contact, sent_epoch):
    key = hmac.new(SECRET.encode(), b"orbita:tracking-open", hashlib.sha256).digest()
    value = f"{b36(workspace)}.{b36(message)}.{b36(contact) if contact else '-'}.{b36(sent_epoch)}"
    sig = base64.urlsafe_b64encode(hmac.new(key, value.encode(), hashlib.sha256).digest()[:16]).rstrip(b"=").decode()
    return value + "." + sig


# wrk's threads share the two cores with the server: --wrk-threads 1 leaves the server more of them.
WRK_THREADS = 2


def wrk(url, seconds, connections, script=None):
    out = subprocess.run(["wrk", f"-t{WRK_THREADS}", f"-c{connections}", f"-d{seconds}s", "--latency", "-H", "User-Agent: " + UA]
                         + (["-s", script] if script else []) + [url],
                         capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    p99ms = float(p99.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
    return rps, total, p99ms, out


def nginx_rate(port, seconds, connections):
    if not shutil.which("nginx"):
        return None
    d = tempfile.mkdtemp(prefix="nginx-gif-")
    with open(os.path.join(d, "p.gif"), "wb") as f:
        f.write(GIF)
    conf = os.path.join(d, "nginx.conf")
    with open(conf, "w") as f:
        f.write(f"worker_processes 2; pid {d}/nginx.pid; error_log {d}/error.log; daemon off;\n"
                f"events {{ worker_connections 1024; }}\n"
                f"http {{ access_log off; server {{ listen 127.0.0.1:{port}; root {d};\n"
                f"  location /t/o/ {{ add_header Cache-Control no-store; default_type image/gif; try_files /p.gif =404; }} }} }}\n")
    proc = subprocess.Popen(["nginx", "-c", conf, "-p", d])
    try:
        time.sleep(1)
        return wrk(f"http://127.0.0.1:{port}/t/o/x", seconds, connections)[0]
    finally:
        proc.terminate()
        proc.wait(10)


def contacts_script(base, db_port, n, first_message):
    """n contacts (bulk API), an "opened this week" segment, and a wrk script that opens a letter of each in turn."""
    for i in range(0, n, 1000):
        post_bulk(base, [{"email": f"reader{j}@tracking-bench.ru"} for j in range(i, min(n, i + 1000))])
    req = urllib.request.Request(base + "/api/v1/segments", data=json.dumps(
        {"name": "bench: opened this week", "rule": {"type": "opened", "days": 7}}).encode(),
        headers={"Authorization": "Bearer " + KEY, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as r:
        segment = json.load(r)["id"]
    ids = [int(x) for x in psql(db_port, "select id from contact where workspace_id = 1 and email like '%@tracking-bench.ru'"
                                         " order by id").split()]
    sent = int(time.time()) - 3600
    script = os.path.join(tempfile.mkdtemp(prefix="tracking-bench-"), "opens.lua")
    with open(script, "w") as f:
        f.write("local paths = {\n")
        for k, c in enumerate(ids):
            f.write(f'  "/t/o/{open_token(1, first_message + k, c, sent)}",\n')
        f.write("}\nlocal i = 0\nfunction request()\n  i = i % #paths + 1\n"
                "  return wrk.format(\"GET\", paths[i])\nend\n")
    return script, segment


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jar", default="target/orbita.jar")
    ap.add_argument("--out", default="bench/out")
    ap.add_argument("--seconds", type=int, default=15)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--wrk-threads", type=int, default=2)
    ap.add_argument("--port", type=int, default=18083)
    ap.add_argument("--db-port", type=int, default=54333)
    ap.add_argument("--contacts", type=int, default=0,
                    help="open letters of this many real contacts in turn (with an \"opened this week\" segment that follows "
                         "them) instead of one anonymous letter; reports CPU per hit")
    a = ap.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install -y wrk")
    os.environ["ORBITA_SECRET"] = SECRET
    base = f"http://localhost:{a.port}"
    proc = start(a.jar, os.path.join(a.out, "tracking"), a.port, a.db_port)
    try:
        message = 900_000_001
        url = base + "/t/o/" + open_token(1, message, None, int(time.time()) - 3600)
        with urllib.request.urlopen(urllib.request.Request(url, headers={"User-Agent": UA})) as r:
            if r.status != 200 or r.read() != GIF:
                sys.exit("the pixel did not answer the GIF")
        global WRK_THREADS
        WRK_THREADS = a.wrk_threads
        script, segment = contacts_script(base, a.db_port, a.contacts, message + 1) if a.contacts else (None, None)
        warm = wrk(url, 5, a.connections, script)[1]  # warm-up
        # As the server was given it (relative to the working directory, or absolute): found in the postmaster's -D either way.
        data_dir = os.path.normpath(os.path.join(a.out, "tracking", "data"))
        jvm0, db0 = cpu_seconds(proc.pid, os.path.join(data_dir, "postgres"))
        rps, total, p99, out = wrk(url, a.seconds, a.connections, script)
        print(out)
        time.sleep(1)  # the writer flushes every 200 ms
        if a.contacts:
            # Until the segment listeners have caught up with every batch's event, so their work is counted too.
            deadline = time.time() + 300
            while time.time() < deadline and psql(a.db_port, "select count(*) from event_publication where completion_date is null") not in ("", "0"):
                time.sleep(0.5)
            print("segment \"opened this week\": " + psql(a.db_port, f"select size from segment where id = {segment}")
                  + f" members of {a.contacts:,} contacts opened; publications left: "
                  + psql(a.db_port, "select count(*) from event_publication where completion_date is null"))
        jvm1, db1 = cpu_seconds(proc.pid, os.path.join(data_dir, "postgres"))
        try:
            with urllib.request.urlopen(base + "/actuator/prometheus", timeout=10) as r:
                direct = re.search(r"^orbita_tracking_hits_direct_total\S* ([\d.eE+]+)", r.read().decode(), re.M)
            print(f"hits a request had to store itself (queue full): {float(direct.group(1)):,.0f}" if direct else "")
        except Exception as e:
            print(f"no metrics: {e}")
        hits = total
        print(f"CPU during the measured run (and until listeners caught up): JVM {jvm1 - jvm0:.1f} s, PostgreSQL {db1 - db0:.1f} s"
              f" = {(jvm1 - jvm0 + db1 - db0) / hits * 1e6:.0f} µs per hit ({hits:,} hits)")
        where = f"message_id = {message}" if not a.contacts else f"message_id > {message}"
        stored = int(psql(a.db_port, f"select count(*) from tracking_event where {where}") or 0)
        print(f"tracking pixel: {rps:,.0f} hits/s, p99 {p99:.1f} ms ({a.connections} connections, {a.seconds} s); "
              f"stored {stored:,} rows for {warm + total + 1:,} answered hits (warm-up and check included; "
              f"more rows than answers are hits whose answer wrk did not wait for)")
        ref = nginx_rate(a.port + 1, a.seconds, a.connections)
        if ref:
            print(f"nginx static 43-byte GIF: {ref:,.0f} req/s; Orbita = {rps / ref:.0%} of nginx")
        else:
            print("nginx not installed: no reference rate (apt-get install -y nginx)")
    finally:
        proc.terminate()
        proc.wait(120)


if __name__ == "__main__":
    main()
