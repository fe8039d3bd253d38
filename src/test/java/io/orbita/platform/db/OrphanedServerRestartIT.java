package io.orbita.platform.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.orbita.OrbitaApplication;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * After {@code kill -9} of the JVM, its embedded PostgreSQL keeps running on the data directory; Orbita's next start must
 * stop that orphan and come up on the same data instead of failing on the left-over {@code postmaster.pid}.
 */
class OrphanedServerRestartIT {

    @Test
    void startsAfterTheJvmThatOwnedTheServerWasKilled() throws Exception {
        Path dir = Files.createTempDirectory("orbita-orphan").resolve("postgres");
        // A separate JVM starts the embedded server exactly as Orbita does, commits a row, and is then killed with SIGKILL.
        Process owner = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Owner.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(owner.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.equals("ready")) {
                // startup log of the owner
            }
            assertThat(line).as("owner JVM started the server and wrote its row").isEqualTo("ready");
        }
        owner.destroyForcibly();   // SIGKILL: no shutdown hook, no pool close
        assertThat(owner.waitFor(30, TimeUnit.SECONDS)).isTrue();
        long orphan = Long.parseLong(Files.readAllLines(dir.resolve("postmaster.pid")).getFirst().trim());
        assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive)).as("server outlived its JVM").contains(true);

        // Command-line arguments: they outrank application.yml's data directory (default properties would not).
        String[] args = {"--server.port=0", "--orbita.db.embedded-data-dir=" + dir,
                "--orbita.bootstrap.admin-email=orphan@orbita.test", "--orbita.bootstrap.admin-password=orphan-password-1",
                "--logging.level.root=WARN", "--logging.level.io.orbita.platform.db=INFO",
                "--orbita.db.embedded-settings[work_mem]=7MB"};
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(OrbitaApplication.class).run(args)) {
            JdbcClient jdbc = app.getBean(JdbcClient.class);
            assertThat(jdbc.sql("select note from crash_marker.note").query(String.class).list()).containsExactly("пережил kill -9");
            assertThat(jdbc.sql("select count(*) from workspace").query(Long.class).single()).isEqualTo(1);
            assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false)).as("orphan stopped").isFalse();
            assertThat(jdbc.sql("show work_mem").query(String.class).single()).as("an operator's server setting").isEqualTo("7MB");
        }
    }

    /** The JVM that gets killed: starts the embedded server on the directory, commits a row, waits to be killed. */
    public static final class Owner {
        public static void main(String[] args) throws Exception {
            DatabaseProperties props = new DatabaseProperties(null, null, null, 2, args[0], 0, "32MB", null);
            DatabaseConfiguration.EmbeddedDatabase db = DatabaseConfiguration.EmbeddedDatabase.start(props);
            try (Connection c = db.postgres().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                // Its own schema, so that Orbita's Flyway still finds its own schema empty and migrates it.
                s.execute("create schema crash_marker");
                s.execute("create table crash_marker.note (note text)");
                s.execute("insert into crash_marker.note values ('пережил kill -9')");
            }
            System.out.println("ready");
            System.out.flush();
            new CountDownLatch(1).await();
        }
    }
}
