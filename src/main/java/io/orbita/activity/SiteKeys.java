package io.orbita.activity;

import io.orbita.platform.FieldProblem;
import io.orbita.platform.ValidationException;
import io.orbita.platform.WorkspaceId;
import io.orbita.workspace.AuditLog;
import io.orbita.workspace.OrbitaPrincipal;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Public keys for the website tracker. A site key is visible in the site's HTML, so it can do one thing only: record
 * site events for its workspace, optionally only from the listed origins.
 */
@Service
public class SiteKeys {

    public record SiteKey(String key, List<String> allowedOrigins, Instant createdAt) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final Clock clock;

    SiteKeys(JdbcClient jdbc, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.clock = clock;
    }

    public List<SiteKey> list(WorkspaceId ws) {
        return jdbc.sql("select key, allowed_origins, created_at from site_key where workspace_id = ? order by created_at")
                .param(ws.value()).query((rs, n) -> new SiteKey(rs.getString(1),
                        Arrays.asList((String[]) rs.getArray(2).getArray()), rs.getTimestamp(3).toInstant())).list();
    }

    @Transactional
    public SiteKey create(OrbitaPrincipal by, List<String> origins) {
        List<String> clean = origins == null ? List.of() : origins.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        for (String o : clean) {
            if (!o.matches("https?://[^/\\s]+")) {
                throw new ValidationException(FieldProblem.of("allowedOrigins", "origin.invalid",
                        "an origin is scheme and host only, e.g. https://shop.example.ru"));
            }
        }
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        String key = "site_" + HexFormat.of().formatHex(bytes);
        Instant now = clock.instant();
        jdbc.sql("insert into site_key (workspace_id, key, allowed_origins, created_at) values (?, ?, ?, ?)")
                .params(by.workspace().value(), key, clean.toArray(String[]::new), Timestamp.from(now)).update();
        audit.record(by, "siteKey.created", "site_key", key, Map.of("allowedOrigins", clean));
        return new SiteKey(key, clean, now);
    }

    /** The workspace of a site key, if the request's origin is allowed for it. */
    public Optional<WorkspaceId> resolve(String key, String origin) {
        if (key == null || !key.matches("site_[0-9a-f]{24}")) {
            return Optional.empty();
        }
        return jdbc.sql("select workspace_id, allowed_origins from site_key where key = ?").param(key)
                .query((rs, n) -> {
                    List<String> allowed = Arrays.asList((String[]) rs.getArray(2).getArray());
                    boolean ok = allowed.isEmpty() || (origin != null && allowed.contains(origin));
                    return ok ? Optional.of(WorkspaceId.of(rs.getLong(1))) : Optional.<WorkspaceId>empty();
                })
                .list().stream().flatMap(Optional::stream).findFirst();
    }
}
