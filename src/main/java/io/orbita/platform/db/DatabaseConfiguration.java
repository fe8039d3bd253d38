package io.orbita.platform.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One DataSource for the whole application: the external PostgreSQL named by {@code ORBITA_DB_URL}, or, when that is
 * unset, a real PostgreSQL started from the embedded binaries with its data in {@code ./orbita-data/postgres}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DatabaseProperties.class)
class DatabaseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DatabaseConfiguration.class);

    @Bean(destroyMethod = "close")
    DataSource dataSource(DatabaseProperties props) throws IOException {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("orbita");
        hikari.setMaximumPoolSize(props.poolSize());
        if (props.isExternal()) {
            hikari.setJdbcUrl(props.url());
            hikari.setUsername(props.user());
            hikari.setPassword(props.password());
            log.info("Using external PostgreSQL at {}", props.url().replaceAll("\\?.*", ""));
            return new HikariDataSource(hikari);
        }
        EmbeddedDatabase embedded = EmbeddedDatabase.start(props);
        hikari.setJdbcUrl(embedded.jdbcUrl());
        hikari.setUsername("postgres");
        return new ClosingDataSource(new HikariDataSource(hikari), embedded);
    }

    /** The embedded server and where it keeps its data. */
    record EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDir) implements AutoCloseable {

        static EmbeddedDatabase start(DatabaseProperties props) throws IOException {
            boolean ephemeral = props.embeddedDataDir() == null || props.embeddedDataDir().isBlank();
            Path dir = ephemeral ? Files.createTempDirectory("orbita-pg") : Path.of(props.embeddedDataDir()).toAbsolutePath();
            Files.createDirectories(dir);
            if (!ephemeral) {
                OrphanedServer.stopIfRunning(dir, java.time.Duration.ofSeconds(60));
            }
            log.info("Starting embedded PostgreSQL with data in {}", dir);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(ephemeral)
                    .setPort(props.embeddedPort())
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("shared_buffers", props.embeddedSharedBuffers())
                    .setServerConfig("fsync", ephemeral ? "off" : "on")
                    .setServerConfig("synchronous_commit", ephemeral ? "off" : "on")
                    // A new data directory compares text by code point without calling the C library (PostgreSQL 17's
                    // built-in C.UTF-8; lower() and upper() still know Cyrillic). The order is the one libc's C.UTF-8
                    // gave, at memcmp's price: with strcoll, the unique email index made copying contacts in a seventh
                    // dearer.
                    .setLocaleConfig("encoding", "UTF8")
                    .setLocaleConfig("locale-provider", "builtin")
                    .setLocaleConfig("builtin-locale", "C.UTF-8")
                    .setPGStartupWait(java.time.Duration.ofSeconds(60))
                    // zonky's own JVM shutdown hook would stop the server while Spring is still shutting down (hooks run
                    // concurrently), failing the last writes (queued tracking hits); the pool's close stops it instead.
                    .setRegisterShutdownHook(false);
            props.embeddedSettings().forEach(builder::setServerConfig);
            EmbeddedPostgres pg = builder.start();
            return new EmbeddedDatabase(pg, dir);
        }

        String jdbcUrl() {
            return postgres.getJdbcUrl("postgres", "postgres") + "&reWriteBatchedInserts=true";
        }

        @Override
        public void close() throws IOException {
            postgres.close();
        }
    }
}
