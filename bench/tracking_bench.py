"""Tracking benchmark: the open pixel GET /t/o/{token} under wrk on loopback, hits/s and p99, hits stored vs answered.

Starts Orbita (target/orbita.jar) with a throw-away embedded PostgreSQL and a known ORBITA_SECRET, so the signed token
is made here (the same HMAC as io.orbita.platform.Signing). With nginx installed it also serves the same 43-byte GIF
from nginx on the next port and reports Orbita's rate as a share of nginx's, measured in the same run.
"""
import argparse, base64, hashlib, hmac, os, re, shutil, subprocess, sys, tempfile, time, urllib.request
sys.path.insert(0, os.path.dirname(__file__))
from contacts_bench import start

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


def wrk(url, seconds, connections):
    out = subprocess.run(["wrk", f"-t{WRK_THREADS}", f"-c{connections}", f"-d{seconds}s", "--latency", "-H", "User-Agent: " + UA, url],
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jar", default="target/orbita.jar")
    ap.add_argument("--out", default="bench/out")
    ap.add_argument("--seconds", type=int, default=15)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--wrk-threads", type=int, default=2)
    ap.add_argument("--port", type=int, default=18083)
    ap.add_argument("--db-port", type=int, default=54333)
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
        warm = wrk(url, 5, a.connections)[1]  # warm-up
        rps, total, p99, out = wrk(url, a.seconds, a.connections)
        print(out)
        time.sleep(1)  # the writer flushes every 200 ms
        stored = int(subprocess.run(["psql", "-h", "localhost", "-p", str(a.db_port), "-U", "postgres", "-d", "postgres",
                                     "-Atc", f"select count(*) from tracking_event where message_id = {message}"],
                                    env=dict(os.environ, PGPASSWORD="postgres"), capture_output=True, text=True).stdout or 0)
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
