"""Pieces every benchmark script needs: a psql query against the embedded PostgreSQL, and the CPU used so far by the
Orbita JVM and by that PostgreSQL (read from /proc, so it works whatever else runs on the machine; compare builds by
CPU per unit of work when the machine is shared). Standard library only."""
import os, subprocess, time

TICK = os.sysconf("SC_CLK_TCK")


def psql(db_port, sql):
    """One statement through psql as postgres; its output without headers, stripped. Fails loudly on an SQL error."""
    return subprocess.run(["psql", "-X", "-q", "-t", "-A", "-h", "localhost", "-p", str(db_port), "-U", "postgres",
                           "-d", "postgres", "-c", sql], env=dict(os.environ, PGPASSWORD="postgres"),
                          check=True, capture_output=True, text=True).stdout.strip()


def _cpu(pid):
    """User + system CPU seconds of one process and its parent's pid, from /proc/<pid>/stat."""
    try:
        f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(f[11]) + int(f[12])) / TICK, int(f[1])
    except OSError:
        return 0.0, 0


def cpu_seconds(jvm_pid, pg_data):
    """CPU seconds used so far by the JVM and by the PostgreSQL whose data directory is pg_data: the postmaster with
    the children it has reaped (cutime, cstime) and its live children (the pool's backends, autovacuum, ...)."""
    pg = 0.0
    try:
        master = int(open(os.path.join(pg_data, "postmaster.pid")).readline())
        f = open(f"/proc/{master}/stat").read().rsplit(")", 1)[1].split()
        pg = sum(int(x) for x in f[11:15]) / TICK
        for d in os.listdir("/proc"):
            if d.isdigit():
                c, parent = _cpu(int(d))
                if parent == master:
                    pg += c
    except (OSError, ValueError):
        pass
    return _cpu(jvm_pid)[0], pg


class HeapWatch:
    """Peak heap in use (survivor + eden + old) of a JVM, sampled by `jstat -gc <pid> 250` from the JVM's shared
    performance counters: unlike polling the Prometheus endpoint, it costs the measured JVM nothing."""

    def __init__(self, pid):
        java_home = os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64")
        self.proc = subprocess.Popen([os.path.join(java_home, "bin", "jstat"), "-gc", str(pid), "250"],
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)

    def stop(self):
        """Stops sampling; the peak in bytes (0 if jstat could not attach)."""
        self.proc.terminate()
        out = self.proc.communicate()[0]
        peak, header = 0, None
        for line in out.splitlines():
            cols = line.split()
            if cols and cols[0] == "S0C":
                header = cols
            elif header and len(cols) == len(header):
                v = dict(zip(header, cols))
                try:
                    peak = max(peak, sum(float(v[k]) for k in ("S0U", "S1U", "EU", "OU")) * 1024)
                except (KeyError, ValueError):
                    pass
        return peak


def print_statements(db_port, n):
    """The statements that cost PostgreSQL most since the server started (pg_stat_statements must be preloaded)."""
    psql(db_port, "create extension if not exists pg_stat_statements")
    print(psql(db_port, f"""select round(total_exec_time::numeric / 1000, 2) || ' s  ' || calls || ' calls  '
                              || rows || ' rows  ' || regexp_replace(left(query, 150), '\\s+', ' ', 'g')
                            from pg_stat_statements order by total_exec_time desc limit {n}"""))


def settle(pid, pg_data, quiet=0.05, window=2.0, limit=60):
    """Waits until the JVM and its PostgreSQL use less than `quiet` of a core over `window` seconds; seconds waited."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < limit:
        c0 = sum(cpu_seconds(pid, pg_data))
        time.sleep(window)
        if sum(cpu_seconds(pid, pg_data)) - c0 < quiet * window:
            break
    return time.perf_counter() - t0
