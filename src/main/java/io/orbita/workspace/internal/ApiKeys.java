package io.orbita.workspace.internal;

import io.orbita.platform.FieldProblem;
import io.orbita.platform.NotFoundException;
import io.orbita.platform.ValidationException;
import io.orbita.platform.WorkspaceId;
import io.orbita.workspace.AuditLog;
import io.orbita.workspace.OrbitaPrincipal;
import io.orbita.workspace.Role;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * API keys: shown once at creation, stored only as a SHA-256 hash. A fast hash is enough here (unlike passwords)
 * because the secret is 256 random bits; it also lets a key be found by its hash in one index lookup per request.
 */
@Service
public class ApiKeys {

    /** A key as listed in the UI: never the secret. */
    public record ApiKey(long id, String name, String prefix, Role role, Instant createdAt, Instant lastUsedAt,
                         Instant revokedAt) {
    }

    /** A just-created key with its secret, which exists only in this object and the response that shows it. */
    public record CreatedKey(ApiKey key, String secret) {
    }

    /** What an API request authenticates as. */
    public record KeyOwner(long keyId, long workspaceId, String workspaceName, String keyName, Role role) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
    static final Duration CACHE_FOR = Duration.ofSeconds(5);

    private record Cached(KeyOwner owner, Instant until) {
    }

    private final Map<String, Cached> recent = new ConcurrentHashMap<>();

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final Clock clock;
    private final Map<Long, Instant> lastTouched = new ConcurrentHashMap<>();

    ApiKeys(JdbcClient jdbc, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.clock = clock;
    }

    @Transactional
    public CreatedKey create(OrbitaPrincipal by, String name, Role role) {
        String clean = name == null ? "" : name.strip();
        if (clean.isEmpty() || clean.length() > 100) {
            throw new ValidationException(FieldProblem.of("name", "field.required", "key name is required (up to 100 characters)"));
        }
        if (role == null) {
            throw new ValidationException(FieldProblem.of("role", "field.required", "role is required"));
        }
        if (!by.role().includes(role)) {
            throw new ValidationException(FieldProblem.of("role", "role.aboveOwn", "a key cannot have a role above your own"));
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String secret = "orb_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        ApiKey key = insert(by.workspace(), clean, secret, role, by.userId());
        audit.record(by, "apiKey.created", "api_key", key.id(), Map.of("name", clean, "role", role.name()));
        return new CreatedKey(key, secret);
    }

    /** Registers a key whose secret the operator chose (ORBITA_INIT_API_KEY). */
    @Transactional
    public void registerInitial(WorkspaceId ws, String secret) {
        insert(ws, "init (ORBITA_INIT_API_KEY)", secret, Role.ADMIN, null);
        audit.record(ws, "system", "apiKey.created", "api_key", null, Map.of("name", "init"));
    }

    private ApiKey insert(WorkspaceId ws, String name, String secret, Role role, Long createdBy) {
        String prefix = secret.substring(0, Math.min(secret.length(), 10));
        Instant now = clock.instant();
        long id = jdbc.sql("""
                        insert into api_key (workspace_id, name, prefix, secret_hash, role, created_by, created_at)
                        values (?, ?, ?, ?, ?, ?, ?) returning id""")
                .params(ws.value(), name, prefix, hash(secret), role.name(), createdBy, Timestamp.from(now))
                .query(Long.class).single();
        return new ApiKey(id, name, prefix, role, now, null, null);
    }

    public List<ApiKey> list(WorkspaceId ws) {
        return jdbc.sql("""
                        select id, name, prefix, role, created_at, last_used_at, revoked_at from api_key
                        where workspace_id = ? order by revoked_at nulls first, id desc""")
                .param(ws.value())
                .query((rs, n) -> new ApiKey(rs.getLong(1), rs.getString(2), rs.getString(3), Role.valueOf(rs.getString(4)),
                        rs.getTimestamp(5).toInstant(), instant(rs.getTimestamp(6)), instant(rs.getTimestamp(7))))
                .list();
    }

    @Transactional
    public void revoke(OrbitaPrincipal by, long id) {
        int n = jdbc.sql("update api_key set revoked_at = ? where workspace_id = ? and id = ? and revoked_at is null")
                .params(Timestamp.from(clock.instant()), by.workspace().value(), id).update();
        recent.values().removeIf(c -> c.owner().keyId() == id && c.owner().workspaceId() == by.workspace().value());
        if (n == 0) {
            boolean exists = jdbc.sql("select exists (select 1 from api_key where workspace_id = ? and id = ?)")
                    .params(by.workspace().value(), id).query(Boolean.class).single();
            if (!exists) {
                throw new NotFoundException("API key", id);
            }
            return; // already revoked: revoking again changes nothing
        }
        audit.record(by, "apiKey.revoked", "api_key", id, Map.of());
    }

    public Optional<KeyOwner> authenticate(String secret) {
        if (secret == null || secret.length() < 16 || secret.length() > 200) {
            return Optional.empty();
        }
        String hash = hash(secret);
        Instant now = clock.instant();
        // Integrations send many requests a second with the same key: remember the answer briefly. A key revoked on
        // this node is dropped at once; other nodes stop accepting it within CACHE_FOR.
        Cached cached = recent.get(hash);
        if (cached != null && cached.until().isAfter(now)) {
            return Optional.of(cached.owner());
        }
        Optional<KeyOwner> owner = jdbc.sql("""
                        select k.id, k.workspace_id, w.name, k.name, k.role from api_key k join workspace w on w.id = k.workspace_id
                        where k.secret_hash = ? and k.revoked_at is null""")
                .param(hash)
                .query((rs, n) -> new KeyOwner(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                        Role.valueOf(rs.getString(5))))
                .optional();
        owner.ifPresent(o -> {
            if (recent.size() > 10_000) {
                recent.clear();
            }
            recent.put(hash, new Cached(o, now.plus(CACHE_FOR)));
            touch(o);
        });
        return owner;
    }

    public boolean anyExist() {
        return jdbc.sql("select exists (select 1 from api_key)").query(Boolean.class).single();
    }

    /** Records "last used" at most once a minute per key, so busy integrations do not write on every request. */
    private void touch(KeyOwner key) {
        Instant now = clock.instant();
        Instant last = lastTouched.get(key.keyId());
        if (last == null || last.plus(TOUCH_EVERY).isBefore(now)) {
            lastTouched.put(key.keyId(), now);
            jdbc.sql("update api_key set last_used_at = ? where workspace_id = ? and id = ?")
                    .params(Timestamp.from(now), key.workspaceId(), key.keyId()).update();
        }
    }

    static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
