package io.orbita.platform.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL outlives a JVM killed with {@code kill -9}: pg_ctl detached it, so it keeps running on the
 * data directory, and the next start fails on its {@code postmaster.pid} (after waiting 60 s for a server that never
 * comes up, since the new one asks for another port). Before starting, a server still running on our data directory is
 * therefore stopped cleanly (fast shutdown: open transactions roll back, everything committed stays). A
 * {@code postmaster.pid} naming a dead process is left to PostgreSQL, which recognises it as stale by itself.
 */
final class OrphanedServer {

    private static final Logger log = LoggerFactory.getLogger(OrphanedServer.class);

    private OrphanedServer() {
    }

    /** Stops the server left running on {@code dataDir}, if any; returns whether one was stopped. */
    static boolean stopIfRunning(Path dataDir, Duration timeout) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return false;
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        long pid;
        try {
            pid = Long.parseLong(lines.getFirst().trim());
        } catch (RuntimeException e) {
            log.warn("Ignoring unreadable {}; PostgreSQL will judge it", pidFile);
            return false;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            log.info("{} names process {}, which is gone: a stale lock PostgreSQL will replace", pidFile, pid);
            return false;
        }
        if (!isPostgresOn(process.get(), dataDir, lines)) {
            // The pid was reused by something else after a reboot or crash; PostgreSQL's own check handles that.
            log.info("{} names process {}, which is not a PostgreSQL server on this directory; leaving it alone", pidFile, pid);
            return false;
        }
        log.warn("A PostgreSQL server (pid {}) is still running on {}, left behind by a previous Orbita that did not shut "
                + "down (killed?); stopping it (fast shutdown) before starting again", pid, dataDir);
        long started = System.nanoTime();
        // SIGINT is PostgreSQL's fast shutdown, what "pg_ctl stop -m fast" sends; pg_ctl itself refuses to run as root,
        // which the embedded server does not, so the signal is sent directly. SIGTERM (smart shutdown) if kill is missing.
        boolean signalled = signal("INT", pid);
        if (!signalled) {
            process.get().destroy();
        }
        try {
            process.get().onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IOException("The PostgreSQL server (pid " + pid + ") left running on " + dataDir
                    + " did not stop within " + timeout.toSeconds() + " s; stop it and start Orbita again", e);
        }
        waitForPidFileGone(pidFile, timeout);
        log.info("Stopped the left-over PostgreSQL server (pid {}) in {} ms{}", pid,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), signalled ? " with SIGINT (fast shutdown)" : " with SIGTERM");
        return true;
    }

    private static boolean isPostgresOn(ProcessHandle process, Path dataDir, List<String> pidLines) {
        boolean postgres = process.info().command().map(c -> Path.of(c).getFileName().toString().equals("postgres")).orElse(false);
        boolean sameDir = pidLines.size() > 1 && samePath(Path.of(pidLines.get(1).trim()), dataDir);
        try {
            sameDir |= samePath(Files.readSymbolicLink(Path.of("/proc", Long.toString(process.pid()), "cwd")), dataDir);
        } catch (IOException | UnsupportedOperationException e) {
            // no /proc (not Linux): the directory written in postmaster.pid decides
        }
        return postgres && sameDir;
    }

    private static boolean samePath(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        }
    }

    private static boolean signal(String signal, long pid) {
        try {
            return new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void waitForPidFileGone(Path pidFile, Duration timeout) throws IOException {
        // The postmaster removes its pid file as its last act; a process killed hard may leave it behind, which is fine.
        long deadline = System.nanoTime() + Math.min(timeout.toNanos(), TimeUnit.SECONDS.toNanos(5));
        while (Files.exists(pidFile) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }
}
