package io.orbita.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import io.orbita.OrbitaApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.FileSystemUtils;

/** Data in the embedded PostgreSQL's directory survives a stop and start of Orbita. */
class EmbeddedDatabaseRestartIT {

    @Test
    void dataSurvivesRestart() throws Exception {
        Path dir = Files.createTempDirectory("orbita-restart");
        // Command-line arguments, not SpringApplicationBuilder.properties(): those are defaults that application.yml
        // overrides, which made this test run against ./orbita-data instead of its own directory.
        String[] args = {"--server.port=0", "--orbita.db.embedded-data-dir=" + dir.resolve("postgres"),
                "--orbita.bootstrap.admin-email=restart@orbita.test", "--orbita.bootstrap.admin-password=restart-password-1",
                "--logging.level.root=WARN"};
        try {
            restartTwice(dir, args);
        } finally {
            FileSystemUtils.deleteRecursively(dir);
        }
    }

    private static void restartTwice(Path dir, String[] args) {
        try (ConfigurableApplicationContext first = new SpringApplicationBuilder(OrbitaApplication.class).run(args)) {
            first.getBean(JdbcClient.class).sql("update workspace set name = 'Переживёт рестарт'").update();
        }
        try (ConfigurableApplicationContext second = new SpringApplicationBuilder(OrbitaApplication.class).run(args)) {
            JdbcClient jdbc = second.getBean(JdbcClient.class);
            assertThat(jdbc.sql("select name from workspace").query(String.class).list()).containsExactly("Переживёт рестарт");
            assertThat(jdbc.sql("select count(*) from app_user").query(Long.class).single()).isEqualTo(1);
            assertThat(dir.resolve("postgres/PG_VERSION")).as("the data lives in the directory the test chose").exists();
        }
    }
}
