package io.orbita.audience;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Hashtable;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.naming.NameNotFoundException;
import javax.naming.NamingException;
import javax.naming.directory.Attributes;
import javax.naming.directory.InitialDirContext;

/**
 * MX/A lookups through the JDK's DNS client, with a timeout and a cache (one import asks about the same few thousand
 * domains many times). Switched on with {@code orbita.validation.dns-lookup=true}; the resolver is
 * {@code orbita.validation.dns-server} or the system's.
 */
class DnsMailDomains implements MailDomains {

    private static final Duration TTL = Duration.ofHours(6);
    private static final int MAX_ENTRIES = 100_000;

    private record Answer(Optional<Boolean> accepts, Instant until) {
    }

    private final Hashtable<String, String> env = new Hashtable<>();
    private final Map<String, Answer> cache = new ConcurrentHashMap<>();
    private final Clock clock;

    DnsMailDomains(String server, Duration timeout, Clock clock) {
        this.clock = clock;
        env.put("java.naming.factory.initial", "com.sun.jndi.dns.DnsContextFactory");
        env.put("java.naming.provider.url", server == null || server.isBlank() ? "dns:" : "dns://" + server.strip());
        env.put("com.sun.jndi.dns.timeout.initial", Long.toString(timeout.toMillis()));
        env.put("com.sun.jndi.dns.timeout.retries", "1");
    }

    @Override
    public Optional<Boolean> acceptsMail(String asciiDomain) {
        Instant now = clock.instant();
        Answer cached = cache.get(asciiDomain);
        if (cached != null && cached.until().isAfter(now)) {
            return cached.accepts();
        }
        Optional<Boolean> answer = lookup(asciiDomain);
        if (cache.size() > MAX_ENTRIES) {
            cache.clear();
        }
        // Failures are cached briefly only: a slow resolver should not mark a domain for hours.
        cache.put(asciiDomain, new Answer(answer, now.plus(answer.isPresent() ? TTL : Duration.ofMinutes(1))));
        return answer;
    }

    private Optional<Boolean> lookup(String domain) {
        try {
            var ctx = new InitialDirContext(env);
            try {
                Attributes attrs = ctx.getAttributes(domain, new String[] {"MX", "A", "AAAA"});
                return Optional.of(attrs.get("MX") != null || attrs.get("A") != null || attrs.get("AAAA") != null);
            } finally {
                ctx.close();
            }
        } catch (NameNotFoundException e) {
            return Optional.of(false);
        } catch (NamingException e) {
            return Optional.empty();
        }
    }
}
