#!/usr/bin/env bash
# Sending benchmark: N personalized, DKIM-signed marketing messages from the outbox to Postfix's smtp-sink, compared with
# smtp-source pushing N messages of the same size to the same sink.
#
#   bench/send_bench.sh [N]            (default 5000; needs target/orbita.jar: mvn -DskipTests package)
#   CRASH=1 bench/send_bench.sh [N]    also kills Orbita with SIGKILL in the middle of the send, restarts it, and counts the
#                                      messages lost and duplicated from the sink's dump of every transaction
#   LEASE=PT30S CRASH=1 bench/send_bench.sh 100000
#                                      the same with a 30 s outbox lease, so the rows the killed node had claimed come
#                                      back after 30 s rather than the default 5 minutes
#
# Phase 1 starts Orbita with no send workers, registers a sending domain, creates N subscribed contacts and queues one
# message per contact through POST /api/v1/messages. Phase 2 restarts Orbita with its workers and measures from the first
# to the last message accepted by the sink (relay "sent" counter of /api/v1/delivery/status), sampling the heap.
set -euo pipefail
N=${1:-5000}
cd "$(dirname "$0")/.."
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
JAR=${JAR:-target/orbita.jar}   # JAR=other.jar to compare builds
[ -f "$JAR" ] || { echo "build first: mvn -DskipTests package" >&2; exit 1; }
WORK=$(mktemp -d /tmp/orbita-send-bench.XXXX)
SINK_PORT=${SINK_PORT:-25250}
APP_PORT=${APP_PORT:-18480}
KEY=bench-api-key-0123456789abcdef0123
WORKERS=${WORKERS:-4}
CONNECTIONS=${CONNECTIONS:-8}
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

CRASH=${CRASH:-0}
DUMP=()
if [ "$CRASH" = 1 ]; then chmod 755 "$WORK"; mkdir -p "$WORK/dump"; chmod 777 "$WORK/dump"; DUMP=(-d "$WORK/dump/%H%M%S."); fi
/usr/sbin/smtp-sink -u nobody -c "${DUMP[@]}" 127.0.0.1:$SINK_PORT 256 > "$WORK/sink.log" 2>&1 &
pids+=($!)

start_app() { # $1 = workers
  # ORBITA_BENCH_JVM_OPTS (e.g. -XX:StartFlightRecording=...) applies to the sending runs only.
  local opts=(); [ "$1" != 0 ] && opts=(${ORBITA_BENCH_JVM_OPTS:-})
  ORBITA_DATA_DIR=$WORK/data ORBITA_PORT=$APP_PORT ORBITA_ADMIN_EMAIL=bench@orbita.test ORBITA_ADMIN_PASSWORD=bench-password-1 \
  ORBITA_INIT_API_KEY=$KEY ORBITA_SMTP_HOST=127.0.0.1 ORBITA_SMTP_PORT=$SINK_PORT ORBITA_SMTP_SECURITY=none \
  ORBITA_SMTP_CONNECTIONS=$CONNECTIONS ORBITA_DELIVERY_WORKERS=$1 ORBITA_DELIVERY_PARALLEL=${PARALLEL:-4} \
  ORBITA_DELIVERY_LEASE=${LEASE:-PT5M} \
  "$JAVA" -Xmx768m "${opts[@]}" -jar "$JAR" > "$WORK/app-$1.log" 2>&1 &
  APP=$!
  pids+=($APP)
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$APP_PORT/actuator/health" >/dev/null 2>&1 && return 0
    sleep 1
  done
  echo "Orbita did not start; see $WORK/app-$1.log" >&2; exit 1
}

start_app 0
python3 - "$N" "$APP_PORT" "$KEY" <<'PY'
import json, sys, time, urllib.request
from concurrent.futures import ThreadPoolExecutor
n, port, key = int(sys.argv[1]), sys.argv[2], sys.argv[3]
base = f"http://127.0.0.1:{port}"
def call(method, path, body=None):
    req = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Authorization": "Bearer " + key, "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read() or b"null")
call("POST", "/api/v1/sending-domains", {"domain": "shop.example", "ed25519": False})
first = ["Иван", "Мария", "Алексей", "Ольга", "Дмитрий", "Елена"]
last = ["Петров", "Смирнова", "Кузнецов", "Попова", "Соколов", "Новикова"]
ids = []
t = time.time()
for start in range(0, n, 1000):
    items = [{"email": f"client{i}@client{i % 50}.example", "firstName": first[i % 6], "lastName": last[i % 6],
              "consentStatus": "subscribed"} for i in range(start, min(n, start + 1000))]
    res = call("POST", "/api/v1/contacts/bulk", {"items": items})
    ids += [r["id"] for r in res["items"] if r.get("id")]
print(f"contacts: {len(ids)} in {time.time() - t:.1f} s")
html = ("<html><body><h1>Здравствуйте, {{ contact.first_name }}!</h1>"
        "<p>Для вашей компании мы подготовили подборку новинок декабря. " + "Подробности по ссылке ниже. " * 20 + "</p>"
        "<p><a href=\"https://shop.example/offer?c={{ contact.id }}\">Посмотреть предложение</a></p>"
        "<p>Ваш персональный менеджер, Анна Смирнова</p></body></html>")
def send(cid):
    return call("POST", "/api/v1/messages", {"contactId": cid, "kind": "marketing", "fromEmail": "anna@shop.example",
                                            "fromName": "Анна Смирнова", "subject": "{{ contact.first_name }}, новинки декабря",
                                            "html": html, "idempotencyKey": f"bench-{cid}"})["id"]
t = time.time()
with ThreadPoolExecutor(8) as ex:
    mids = list(ex.map(send, ids))
print(f"queued: {len(mids)} messages in {time.time() - t:.1f} s ({len(mids) / (time.time() - t):.0f}/s)")
PY
kill "$APP"; wait "$APP" 2>/dev/null || true

start_app "$WORKERS"
if [ "$CRASH" = 1 ]; then
  # Wait for about a third of the messages, then kill -9 in the middle of the send and start again.
  python3 - "$N" "$APP_PORT" "$KEY" <<'PY'
import json, sys, time, urllib.request
n, port, key = int(sys.argv[1]), sys.argv[2], sys.argv[3]
while True:
    req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/delivery/status", headers={"Authorization": "Bearer " + key})
    s = json.loads(urllib.request.urlopen(req).read())
    if s["messages"]["sent"] >= n // 3:
        print(f"killing with {s['messages']['sent']} sent, {s['messages']['sending']} in flight"); break
    time.sleep(0.05)
PY
  kill -9 "$APP"; wait "$APP" 2>/dev/null || true
  # The embedded PostgreSQL of the killed JVM keeps running on the data directory: the restart itself must stop it
  # (platform.db.OrphanedServer), so start again at once.
  pgrep -f "postgres -D $WORK/data/postgres" >/dev/null && echo "left-over PostgreSQL still running: restart must handle it"
  start_app "$WORKERS"
fi
python3 - "$N" "$APP_PORT" "$KEY" "$WORK" "$APP" <<'PY'
import json, os, re, sys, time, urllib.request
n, port, key, work, app = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
TICK = os.sysconf("SC_CLK_TCK")
def cpu(pid):
    try:
        f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(f[11]) + int(f[12])) / TICK, int(f[1])
    except OSError:
        return 0.0, 0
def cpu_seconds():
    """CPU time used so far by the Orbita JVM and by its embedded PostgreSQL (the postmaster and its backends)."""
    jvm = cpu(app)[0]
    pg = 0.0
    try:
        master = int(open(work + "/data/postgres/postmaster.pid").readline())
        pg = cpu(master)[0]
        for d in os.listdir("/proc"):
            if d.isdigit() and cpu(int(d))[1] == master:
                pg += cpu(int(d))[0]
    except (OSError, ValueError):
        pass
    return jvm, pg
base = f"http://127.0.0.1:{port}"
def get(path, raw=False):
    req = urllib.request.Request(base + path, headers={"Authorization": "Bearer " + key})
    with urllib.request.urlopen(req) as r:
        b = r.read()
        return b if raw else json.loads(b)
def heap():
    text = get("/actuator/prometheus", raw=True).decode()
    return sum(float(m.group(1)) for m in re.finditer(r'jvm_memory_used_bytes\{area="heap"[^}]*\} ([0-9.eE+]+)', text))
t0 = None; heaps = []; last_print = 0; last_heap = 0
while True:
    s = get("/api/v1/delivery/status")
    sent = sum(r["sent"] for r in s["relays"])
    done = s["messages"]["sent"] + s["messages"]["failed"] + s["messages"]["suppressed"]
    now = time.time()
    if t0 is None and sent > 0:
        t0 = now
        cpu0 = cpu_seconds()
    # The Prometheus scrape costs the app real CPU (a fifth of its samples at every 0.2 s): the heap every 2 s.
    if t0 is not None and (now - last_heap >= 2 or done >= n):
        heaps.append(heap()); last_heap = now
    if done >= n:
        break
    if now - last_print > 5:
        print(f"  sent {sent}, states {s['messages']}"); last_print = now
    time.sleep(0.2)
elapsed = time.time() - t0
cpu1 = cpu_seconds()
# Counted by this process's relays: after a crash restart the messages sent before the kill are not its work.
m = max(1, sum(r["sent"] for r in get("/api/v1/delivery/status")["relays"]))
jvm_ms, pg_ms = (cpu1[0] - cpu0[0]) * 1000 / m, (cpu1[1] - cpu0[1]) * 1000 / m
size = len(get("/api/v1/messages/1/raw", raw=True))
print(f"orbita: {m} messages in {elapsed:.2f} s = {m / elapsed:.0f} messages/s; states {s['messages']}")
print(f"message size: {size} bytes; heap used MB min/median/max: {min(heaps)/2**20:.0f}/{sorted(heaps)[len(heaps)//2]/2**20:.0f}/{max(heaps)/2**20:.0f}")
# On a shared machine the rate depends on what else runs; the CPU time per message does not (much): what 2 idle cores
# would allow is 2 / (CPU seconds per message), an upper bound that ignores the sink's share of the CPU.
print(f"cpu per message: Orbita JVM {jvm_ms:.3f} ms + PostgreSQL {pg_ms:.3f} ms = {jvm_ms + pg_ms:.3f} ms "
      f"(2 idle cores: at most {2000 / (jvm_ms + pg_ms):.0f} messages/s)")
open(work + "/size", "w").write(str(size))
PY
if [ "$CRASH" = 1 ]; then
  sleep 2
  total=$(grep -rh "^X-Rcpt-Args:" "$WORK/dump" | wc -l)
  distinct=$(grep -rh "^X-Rcpt-Args:" "$WORK/dump" | sort -u | wc -l)
  echo "crash: sink received $total messages for $distinct of $N recipients: lost $((N - distinct)), duplicated $((total - distinct))"
fi
SIZE=$(cat "$WORK/size")
T0=$(date +%s.%N)
/usr/sbin/smtp-source -c -s "$CONNECTIONS" -m "$N" -l "$SIZE" -f anna@shop.example -t client@client.example 127.0.0.1:$SINK_PORT > /dev/null
T1=$(date +%s.%N)
python3 -c "import sys; e=$T1-$T0; print(f'smtp-source: $N messages of $SIZE bytes over $CONNECTIONS connections in {e:.2f} s = {$N/e:.0f} messages/s')"
echo "logs in $WORK"
