#!/usr/bin/env python3
"""Import benchmark: a contacts CSV of N rows (default 1,000,000) through POST /api/v1/imports, end to end.

Starts Orbita from target/orbita.jar with -Xmx512m (the heap limit the issue sets) and a throw-away embedded
PostgreSQL, writes a Windows-1251 semicolon CSV like Russian Excel produces, uploads it, polls until the import is done
and reports rows/s for upload + processing, and the JVM's peak heap use (sampled by jstat every 250 ms).
"""
import argparse, json, os, random, subprocess, sys, time, urllib.request, uuid
sys.path.insert(0, os.path.dirname(__file__))
from contacts_bench import start, KEY
from benchlib import cpu_seconds, psql, HeapWatch, print_statements, settle

FIRST = ["Иван", "Пётр", "Анна", "Мария", "Сергей", "Ольга", "Алексей", "Елена", "Дмитрий", "Наталья"]
LAST = ["Иванов", "Петров", "Смирнов", "Кузнецов", "Попов", "Соколов", "Лебедев", "Козлов", "Новиков", "Морозов"]


def write_csv(path, rows, seed=7, prefix="user"):
    rnd = random.Random(seed)
    with open(path, "w", encoding="windows-1251", newline="") as f:
        f.write("E-mail;Фамилия;Имя;Должность;Телефон;День рождения\r\n")
        for i in range(rows):
            f.write(f"{prefix}{i}@company{i % 50000}.ru;{rnd.choice(LAST)};{rnd.choice(FIRST)};Менеджер по закупкам;"
                    f"+7912{i % 10000000:07d};{1 + i % 28:02d}.{1 + i % 12:02d}.{1960 + i % 40}\r\n")


def multipart(url, fields, file_path):
    boundary = "----orbita" + uuid.uuid4().hex
    head = b"".join(f"--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n".encode() for k, v in fields.items())
    head += f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"contacts.csv\"\r\nContent-Type: text/csv\r\n\r\n".encode()
    with open(file_path, "rb") as f:
        body = head + f.read() + f"\r\n--{boundary}--\r\n".encode()
    req = urllib.request.Request(url, data=body, headers={"Authorization": "Bearer " + KEY,
                                                          "Content-Type": "multipart/form-data; boundary=" + boundary})
    with urllib.request.urlopen(req, timeout=600) as r:
        return json.load(r)


def import_file(base, csv, pid):
    """Uploads one CSV as a contacts import and polls it to the end: (status, upload seconds, peak heap seen)."""
    heap = HeapWatch(pid)
    time.sleep(1)  # jstat's own JVM starts before the clock does
    t0 = time.perf_counter()
    job = multipart(base + "/api/v1/imports", {"kind": "contacts", "sourceLabel": "bench", "tags": "bench"}, csv)["job"]
    uploaded = time.perf_counter() - t0
    while True:
        # Polled every 0.1 s: the end is seen at most that late (a 0.5 s poll added 0.25 s to a 20 s import on average,
        # more than 1 %); a status request costs the server well under a millisecond.
        time.sleep(0.1)
        req = urllib.request.Request(f"{base}/api/v1/imports/{job['id']}", headers={"Authorization": "Bearer " + KEY})
        with urllib.request.urlopen(req) as r:
            status = json.load(r)
        if status["job"]["status"] in ("done", "failed", "cancelled"):
            return status, uploaded, heap.stop()


def wait_for(db_port, count_sql, pause=0.5):
    """Polls a count until it is zero (or the query fails: a table the build does not have)."""
    while True:
        out = subprocess.run(["psql", "-Atq", "-h", "localhost", "-p", str(db_port), "-U", "postgres", "-d", "postgres",
                              "-c", count_sql], capture_output=True, text=True)
        if out.returncode != 0 or int(out.stdout.strip() or 0) == 0:
            return
        time.sleep(pause)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jar", default="target/orbita.jar")
    ap.add_argument("--out", default="bench/out")
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--port", type=int, default=18081)
    ap.add_argument("--db-port", type=int, default=54331)
    ap.add_argument("--no-search-wait", action="store_true", help="do not wait for the search index after the import")
    ap.add_argument("--no-settle", action="store_true",
                    help="start the import the moment the server answers, while the JIT still compiles its start-up")
    ap.add_argument("--statements", type=int, default=0, metavar="N",
                    help="print the N statements that took most PostgreSQL time (start with ORBITA_BENCH_JVM_OPTS="
                         "'-Dorbita.db.embedded-settings[shared_preload_libraries]=pg_stat_statements')")
    ap.add_argument("--warmup", type=int, default=0, metavar="ROWS",
                    help="first import ROWS other contacts in the same server, then measure (a warm JVM)")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    csv = os.path.join(a.out, f"contacts-{a.rows}.csv")
    if not os.path.exists(csv):
        write_csv(csv, a.rows)
    size = os.path.getsize(csv)
    base = f"http://localhost:{a.port}"
    proc = start(a.jar, os.path.join(a.out, "import"), a.port, a.db_port, heap="512m")
    try:
        pg_data = os.path.join(a.out, "import", "data", "postgres")
        if not a.no_settle:
            # A user uploads a file some time after the server started, not within its first second: by then the JIT
            # has compiled the start-up code (seconds of CPU in the background that would otherwise fall into the import).
            print(f"server settled {settle(proc.pid, pg_data):.0f} s after it answered")
        load0 = os.getloadavg()[0]
        cpu0 = cpu_seconds(proc.pid, pg_data)
        if a.warmup:
            # A server that has run an import before: the JIT has compiled the import path (several seconds of CPU in a
            # fresh JVM). The warm-up rows stay in the database; their segments and search index are caught up first.
            warm_csv = os.path.join(a.out, f"contacts-warm-{a.warmup}.csv")
            if not os.path.exists(warm_csv):
                write_csv(warm_csv, a.warmup, seed=8, prefix="warm")
            wt = time.perf_counter()
            w = import_file(base, warm_csv, proc.pid)[0]
            wait_for(a.db_port, "select (select count(*) from event_publication) + (select count(*) from contact_search_queue)"
                                " + (select count(*) from contact_search_range)")
            print(f"warm-up: {a.warmup:,} other rows imported ({w['job']['status']}) and indexed in {time.perf_counter() - wt:.1f} s")
            load0 = os.getloadavg()[0]
            cpu0 = cpu_seconds(proc.pid, pg_data)
        t0 = time.perf_counter()
        status, uploaded, peak = import_file(base, csv, proc.pid)
        total = time.perf_counter() - t0
        cpu1 = cpu_seconds(proc.pid, pg_data)
        j = status["job"]
        print(f"import of {a.rows:,} rows ({size / 1e6:.0f} MB, Windows-1251 CSV): status {j['status']}, created {j['created']:,}, "
              f"skipped {j['skipped']:,}; upload {uploaded:.1f} s, total {total:.1f} s = {a.rows / total:,.0f} rows/s; "
              f"heap used peak seen {peak / 1e6:.0f} MB of -Xmx512m")
        jvm, pg = cpu1[0] - cpu0[0], cpu1[1] - cpu0[1]
        print(f"CPU per 100,000 rows: JVM {jvm * 1e5 / a.rows:.2f} s, PostgreSQL {pg * 1e5 / a.rows:.2f} s "
              f"(JVM {jvm:.1f} s, PostgreSQL {pg:.1f} s in all; two idle cores would allow "
              f"{a.rows / max(jvm, pg, (jvm + pg) / 2):,.0f} rows/s at this cost); "
              f"load average {load0:.1f} -> {os.getloadavg()[0]:.1f}")
        # PostgreSQL's own maintenance during the import: an autovacuum of a table the import is filling costs seconds of
        # CPU, and whether one falls inside the import or just after it is one reason runs differ.
        vacuums = subprocess.run(["psql", "-Atq", "-h", "localhost", "-p", str(a.db_port), "-U", "postgres", "-d", "postgres",
                                  "-c", "select (select coalesce(string_agg(relname || ' ' || autovacuum_count || '/' || autoanalyze_count, ', '"
                                        " order by relname), 'none') from pg_stat_user_tables"
                                        " where autovacuum_count + autoanalyze_count > 0) || '; running now: ' || ("
                                        "select coalesce(string_agg(query, ', '), 'none') from pg_stat_activity"
                                        " where backend_type = 'autovacuum worker')"],
                                 capture_output=True, text=True).stdout.strip()
        print(f"autovacuum/autoanalyze runs by then: {vacuums}")
        # ContactsChanged reaches the segments after each batch's commit; durable publications are deleted once their
        # listener completes, so an empty event_publication means segment membership has caught up with the import.
        t2 = time.perf_counter()
        wait_for(a.db_port, "select count(*) from event_publication")
        cpu2 = cpu_seconds(proc.pid, pg_data)
        jvm, pg = cpu2[0] - cpu0[0], cpu2[1] - cpu0[1]
        print(f"segments caught up {time.perf_counter() - t2:.1f} s after the import finished "
              f"({a.rows / (time.perf_counter() - t0):,.0f} rows/s with them); CPU per 100,000 rows until then: "
              f"JVM {jvm * 1e5 / a.rows:.2f} s, PostgreSQL {pg * 1e5 / a.rows:.2f} s")
        if a.statements:
            print_statements(a.db_port, a.statements)
        if not a.no_search_wait:
            # Searches are correct at once (queued contacts are matched directly); the trigram index behind fast search
            # is filled by a background indexer after the import, and this is how long that takes.
            t1 = time.perf_counter()
            wait_for(a.db_port, "select (select count(*) from contact_search_queue) + (select count(*) from contact_search_range)", 1)
            print(f"search index complete {time.perf_counter() - t1:.0f} s after the import finished")
    finally:
        proc.terminate()
        proc.wait(120)


if __name__ == "__main__":
    main()
