package io.orbita.platform.db;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where Orbita keeps its data. A blank {@code url} means "start the embedded PostgreSQL"; a blank
 * {@code embeddedDataDir} makes that embedded database throw-away (tests). {@code embeddedSettings} are extra
 * {@code postgresql.conf} settings for the embedded server (they win over Orbita's defaults).
 */
@ConfigurationProperties("orbita.db")
public record DatabaseProperties(
        String url,
        String user,
        String password,
        @DefaultValue("20") int poolSize,
        String embeddedDataDir,
        @DefaultValue("0") int embeddedPort,
        @DefaultValue("256MB") String embeddedSharedBuffers,
        Map<String, String> embeddedSettings) {

    public DatabaseProperties {
        embeddedSettings = embeddedSettings == null ? Map.of() : Map.copyOf(embeddedSettings);
    }

    public boolean isExternal() {
        return url != null && !url.isBlank();
    }
}
