package io.orbita.delivery.internal;

import io.orbita.delivery.SenderDomains;
import io.orbita.delivery.dkim.DkimKeys;
import io.orbita.delivery.dkim.DkimSigner;
import io.orbita.platform.ConflictException;
import io.orbita.platform.FieldProblem;
import io.orbita.platform.NotFoundException;
import io.orbita.platform.Signing;
import io.orbita.platform.ValidationException;
import io.orbita.platform.WorkspaceId;
import java.net.IDN;
import java.security.KeyPair;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.InitialDirContext;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sending domains: Orbita makes their DKIM keys (RSA 2048, and Ed25519 as a second signature where chosen), keeps the
 * private keys sealed with the installation secret, tells which DNS records to publish and checks them in DNS. Every
 * message whose From domain is registered here is signed with its keys.
 */
@Service
public class SendingDomains implements SenderDomains {

    /** A DNS record to publish, with the verdict of the last check (ok, missing, mismatch, unknown). */
    public record DnsRecord(String purpose, String type, String name, String value, String status, String found) {
    }

    public record Domain(long id, String domain, String asciiDomain, boolean ed25519, boolean verified,
                         Instant checkedAt, Instant createdAt, List<DnsRecord> records) {
    }

    private static final String SEAL = "dkim-private-key";
    private static final Duration KEY_CACHE = Duration.ofMinutes(1);

    private record CachedKeys(List<DkimSigner.Key> keys, Instant until) {
    }

    private final JdbcClient jdbc;
    private final Signing signing;
    private final Clock clock;
    private final JsonMapper json;
    private final String bounceDomain;
    private final String spf;
    private final Hashtable<String, String> dnsEnv = new Hashtable<>();
    private final Map<String, CachedKeys> keyCache = new ConcurrentHashMap<>();

    SendingDomains(JdbcClient jdbc, Signing signing, Clock clock, JsonMapper json,
                   @Value("${orbita.delivery.bounce-domain}") String bounceDomain,
                   @Value("${orbita.delivery.spf}") String spf,
                   @Value("${orbita.delivery.dns-server:}") String dnsServer,
                   @Value("${orbita.delivery.dns-timeout:2s}") Duration dnsTimeout) {
        this.jdbc = jdbc;
        this.signing = signing;
        this.clock = clock;
        this.json = json;
        this.bounceDomain = bounceDomain;
        this.spf = spf;
        dnsEnv.put("java.naming.factory.initial", "com.sun.jndi.dns.DnsContextFactory");
        dnsEnv.put("java.naming.provider.url", dnsServer == null || dnsServer.isBlank() ? "dns:" : "dns://" + dnsServer.strip());
        dnsEnv.put("com.sun.jndi.dns.timeout.initial", Long.toString(dnsTimeout.toMillis()));
        dnsEnv.put("com.sun.jndi.dns.timeout.retries", "1");
    }

    public Domain create(WorkspaceId ws, String domain, boolean ed25519) {
        String unicode;
        String ascii;
        try {
            ascii = IDN.toASCII(domain == null ? "" : domain.strip(), IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
            unicode = IDN.toUnicode(ascii, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            throw new ValidationException(FieldProblem.of("domain", "domain.invalid", "not a valid domain name"));
        }
        if (!ascii.matches("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+")) {
            throw new ValidationException(FieldProblem.of("domain", "domain.invalid", "not a valid domain name, e.g. shop.ru or магазин.рф"));
        }
        if (jdbc.sql("select count(*) from sending_domain where workspace_id = ? and ascii_domain = ?")
                .params(ws.value(), ascii).query(Long.class).single() > 0) {
            throw new ConflictException(FieldProblem.of("domain", "domain.exists", "this domain is already registered"));
        }
        // A selector naming the month lets a later key rotation publish a new record next to the old one.
        String stamp = java.time.format.DateTimeFormatter.ofPattern("yyyyMM").format(clock.instant().atZone(java.time.ZoneOffset.UTC));
        KeyPair rsa = DkimKeys.generate("rsa");
        KeyPair ed = ed25519 ? DkimKeys.generate("ed25519") : null;
        long id = jdbc.sql("""
                insert into sending_domain (workspace_id, domain, ascii_domain, rsa_selector, rsa_private, rsa_public,
                    ed_selector, ed_private, ed_public, created_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id""")
                .params(ws.value(), unicode, ascii, "orbita" + stamp + "r", signing.encrypt(SEAL, rsa.getPrivate().getEncoded()),
                        rsa.getPublic().getEncoded(), ed == null ? null : "orbita" + stamp + "e",
                        ed == null ? null : signing.encrypt(SEAL, ed.getPrivate().getEncoded()),
                        ed == null ? null : ed.getPublic().getEncoded(), Timestamp.from(clock.instant()))
                .query(Long.class).single();
        keyCache.clear();
        return get(ws, id);
    }

    public List<Domain> list(WorkspaceId ws) {
        return jdbc.sql(SELECT + " where workspace_id = ? order by ascii_domain").param(ws.value()).query(this::map).list();
    }

    public Domain get(WorkspaceId ws, long id) {
        return jdbc.sql(SELECT + " where workspace_id = ? and id = ?").params(ws.value(), id).query(this::map).optional()
                .orElseThrow(() -> new NotFoundException("sending domain", id));
    }

    public void delete(WorkspaceId ws, long id) {
        get(ws, id);
        jdbc.sql("delete from sending_domain where workspace_id = ? and id = ?").params(ws.value(), id).update();
        keyCache.clear();
    }

    /** Looks every record up in DNS and keeps the verdicts; the domain is verified when its DKIM records match. */
    public Domain check(WorkspaceId ws, long id) {
        Domain d = get(ws, id);
        List<DnsRecord> checked = new ArrayList<>();
        for (DnsRecord r : d.records()) {
            checked.add(lookup(r));
        }
        boolean verified = checked.stream().filter(r -> r.purpose().startsWith("dkim")).allMatch(r -> r.status().equals("ok"));
        jdbc.sql("update sending_domain set check_result = ?::jsonb, checked_at = ?, verified = ? where workspace_id = ? and id = ?")
                .params(json.writeValueAsString(checked), Timestamp.from(clock.instant()), verified, ws.value(), id).update();
        return get(ws, id);
    }

    @Override
    public Status status(WorkspaceId ws, String domain) {
        String ascii;
        try {
            ascii = IDN.toASCII(domain == null ? "" : domain.strip(), IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return Status.NOT_REGISTERED;
        }
        return jdbc.sql("select verified from sending_domain where workspace_id = ? and ascii_domain = ?")
                .params(ws.value(), ascii).query(Boolean.class).optional()
                .map(verified -> verified ? Status.VERIFIED : Status.UNVERIFIED).orElse(Status.NOT_REGISTERED);
    }

    /** The signing keys for a From domain (punycode), empty when the domain is not registered in the workspace. */
    public List<DkimSigner.Key> keysFor(WorkspaceId ws, String asciiDomain) {
        String cacheKey = ws.value() + "/" + asciiDomain;
        Instant now = clock.instant();
        CachedKeys cached = keyCache.get(cacheKey);
        if (cached != null && cached.until().isAfter(now)) {
            return cached.keys();
        }
        List<DkimSigner.Key> keys = jdbc.sql("""
                select rsa_selector, rsa_private, ed_selector, ed_private from sending_domain
                where workspace_id = ? and ascii_domain = ?""").params(ws.value(), asciiDomain)
                .query((rs, n) -> {
                    List<DkimSigner.Key> k = new ArrayList<>();
                    k.add(new DkimSigner.Key(asciiDomain, rs.getString(1), "rsa",
                            DkimKeys.privateKey("rsa", signing.decrypt(SEAL, rs.getBytes(2)))));
                    if (rs.getString(3) != null) {
                        k.add(new DkimSigner.Key(asciiDomain, rs.getString(3), "ed25519",
                                DkimKeys.privateKey("ed25519", signing.decrypt(SEAL, rs.getBytes(4)))));
                    }
                    return k;
                }).optional().orElse(List.of());
        if (keyCache.size() > 10_000) {
            keyCache.clear();
        }
        keyCache.put(cacheKey, new CachedKeys(keys, now.plus(KEY_CACHE)));
        return keys;
    }

    private static final String SELECT = """
            select id, domain, ascii_domain, rsa_selector, rsa_public, ed_selector, ed_public, check_result::text as check_result,
                   checked_at, verified, created_at from sending_domain""";

    private Domain map(ResultSet rs, int n) throws SQLException {
        String ascii = rs.getString("ascii_domain");
        List<DnsRecord> records = new ArrayList<>();
        records.add(new DnsRecord("dkim", "TXT", rs.getString("rsa_selector") + "._domainkey." + ascii,
                DkimKeys.txtRecord("rsa", rs.getBytes("rsa_public")), "unknown", null));
        if (rs.getString("ed_selector") != null) {
            records.add(new DnsRecord("dkim-ed25519", "TXT", rs.getString("ed_selector") + "._domainkey." + ascii,
                    DkimKeys.txtRecord("ed25519", rs.getBytes("ed_public")), "unknown", null));
        }
        records.add(new DnsRecord("spf", "TXT", ascii, spf, "unknown", null));
        records.add(new DnsRecord("dmarc", "TXT", "_dmarc." + ascii, "v=DMARC1; p=none; rua=mailto:dmarc@" + ascii + "; adkim=r; aspf=r", "unknown", null));
        records.add(new DnsRecord("return-path", "MX", bounceDomain, "10 " + bounceDomain, "unknown", null));
        String result = rs.getString("check_result");
        if (result != null) {
            DnsRecord[] checked = json.readValue(result, DnsRecord[].class);
            for (int i = 0; i < records.size(); i++) {
                for (DnsRecord c : checked) {
                    if (c.purpose().equals(records.get(i).purpose()) && c.name().equals(records.get(i).name())) {
                        records.set(i, new DnsRecord(c.purpose(), c.type(), c.name(), records.get(i).value(), c.status(), c.found()));
                    }
                }
            }
        }
        Timestamp checkedAt = rs.getTimestamp("checked_at");
        return new Domain(rs.getLong("id"), rs.getString("domain"), ascii, rs.getString("ed_selector") != null,
                rs.getBoolean("verified"), checkedAt == null ? null : checkedAt.toInstant(),
                rs.getTimestamp("created_at").toInstant(), records);
    }

    private DnsRecord lookup(DnsRecord r) {
        List<String> found = new ArrayList<>();
        try {
            var ctx = new InitialDirContext(dnsEnv);
            try {
                Attribute attr = ctx.getAttributes(r.name(), new String[] {r.type()}).get(r.type());
                if (attr != null) {
                    NamingEnumeration<?> values = attr.getAll();
                    while (values.hasMore()) {
                        found.add(unquote(String.valueOf(values.next())));
                    }
                }
            } finally {
                ctx.close();
            }
        } catch (NameNotFoundException e) {
            return withStatus(r, "missing", null);
        } catch (NamingException e) {
            return withStatus(r, "unknown", "DNS lookup failed: " + e.getClass().getSimpleName());
        }
        if (found.isEmpty()) {
            return withStatus(r, "missing", null);
        }
        boolean ok = switch (r.purpose()) {
            case "dkim", "dkim-ed25519" -> found.stream().anyMatch(v -> v.replace(" ", "").contains(
                    r.value().substring(r.value().indexOf("p=")).replace(" ", "")));
            case "spf" -> found.stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).startsWith("v=spf1"));
            case "dmarc" -> found.stream().anyMatch(v -> v.toUpperCase(Locale.ROOT).startsWith("V=DMARC1"));
            default -> true;
        };
        return withStatus(r, ok ? "ok" : "mismatch", String.join(" | ", found));
    }

    private static DnsRecord withStatus(DnsRecord r, String status, String found) {
        return new DnsRecord(r.purpose(), r.type(), r.name(), r.value(), status,
                found == null || found.length() <= 2000 ? found : found.substring(0, 2000));
    }

    /** A TXT record comes as one or more quoted strings; DKIM keys are split into several. */
    private static String unquote(String txt) {
        if (!txt.contains("\"")) {
            return txt;
        }
        StringBuilder b = new StringBuilder();
        var m = java.util.regex.Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(txt);
        while (m.find()) {
            b.append(m.group(1));
        }
        return b.toString();
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
