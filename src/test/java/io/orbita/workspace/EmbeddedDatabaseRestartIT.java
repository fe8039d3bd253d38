package io.orbita.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import io.orbita.OrbitaApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Data in the embedded PostgreSQL's directory survives a stop and start of Orbita. */
class EmbeddedDatabaseRestartIT {

    @Test
    void dataSurvivesRestart() throws Exception {
        Path dir = Files.createTempDirectory("orbita-restart");
        String[] props = {"server.port=0", "orbita.db.embedded-data-dir=" + dir.resolve("postgres"),
                "orbita.bootstrap.admin-email=restart@orbita.test", "orbita.bootstrap.admin-password=restart-password-1",
                "logging.level.root=WARN"};
        try (ConfigurableApplicationContext first = new SpringApplicationBuilder(OrbitaApplication.class).properties(props).run()) {
            first.getBean(JdbcClient.class).sql("update workspace set name = 'Переживёт рестарт'").update();
        }
        try (ConfigurableApplicationContext second = new SpringApplicationBuilder(OrbitaApplication.class).properties(props).run()) {
            JdbcClient jdbc = second.getBean(JdbcClient.class);
            assertThat(jdbc.sql("select name from workspace").query(String.class).list()).containsExactly("Переживёт рестарт");
            assertThat(jdbc.sql("select count(*) from app_user").query(Long.class).single()).isEqualTo(1);
        }
    }
}
