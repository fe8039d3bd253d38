package io.orbita.delivery.smtp;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.angus.mail.smtp.SMTPMessage;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Persistent SMTP connections to the relays, with their rate limits, per-recipient-domain limits and a circuit breaker:
 * after {@code failuresToPause} consecutive connection failures (or 421 answers) a relay is paused for
 * {@code pause}, and while every relay is paused nothing is sent (the outbox keeps the messages queued).
 */
public final class RelayPool implements AutoCloseable {

    /** What became of one attempt. */
    public sealed interface Outcome {
    }

    public record Sent(String relay, String answer) implements Outcome {
    }

    /** A 4xx answer or no answer at all (connection trouble): try again later. */
    public record Temporary(String relay, int code, String answer) implements Outcome {
    }

    /** A 5xx answer: final. */
    public record Permanent(String relay, int code, String answer) implements Outcome {
    }

    /** Not attempted: every relay is paused, or the recipient's domain or the relay is at its rate. */
    public record NotNow(Instant retryAt, String why) implements Outcome {
    }

    /**
     * A relay as the status page shows it.
     *
     * @param breaker the circuit breaker: {@code closed} (sending), {@code open} (paused after failures in a row, until
     *                {@code pausedUntil}) or {@code half-open} (the pause is over, the next message is the trial: one
     *                more failure pauses again, a success closes it)
     * @param lastSuccessAt when this node last had a message accepted by the relay, null before the first
     */
    public record Health(String relay, boolean paused, Instant pausedUntil, int consecutiveFailures, long sent,
                         long failed, String lastError, Instant lastErrorAt, int openConnections, String breaker,
                         Instant lastSuccessAt) {
    }

    private static final Logger log = LoggerFactory.getLogger(RelayPool.class);

    private final Clock clock;
    private final SmtpProperties props;
    private final String heloName;
    private final Map<String, RateLimit> domainLimits = new ConcurrentHashMap<>();
    private volatile List<Relay> relays = List.of();
    private final List<RelaySettings> initial;
    private final AtomicInteger next = new AtomicInteger();

    public RelayPool(Clock clock, SmtpProperties props, String heloName, List<RelaySettings> relays) {
        this.clock = clock;
        this.props = props;
        this.heloName = heloName;
        this.initial = List.copyOf(relays);
        use(relays);
    }

    /** Replaces the relays (new settings, or a test's scripted relay); open connections to the old ones are closed. */
    public synchronized void use(List<RelaySettings> settings) {
        List<Relay> old = relays;
        relays = settings.stream().map(Relay::new).toList();
        old.forEach(Relay::close);
        log.info("Sending through {}", settings);
    }

    /** Back to the relays the pool started with. */
    public void useInitial() {
        use(initial);
    }

    public List<Health> health() {
        return relays.stream().map(Relay::health).toList();
    }

    /**
     * One attempt to hand a message to a relay.
     *
     * @param raw the exact bytes to send
     * @param utf8 whether the message needs SMTPUTF8 (a non-ASCII local part)
     */
    public Outcome send(byte[] raw, String envelopeFrom, String recipient, boolean utf8) {
        String domain = recipient.substring(recipient.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
        double rate = props.domainRates().getOrDefault(domain, props.defaultDomainRate());
        if (rate > 0) {
            long wait = domainLimits.computeIfAbsent(domain, d -> new RateLimit(rate)).tryTake();
            if (wait > 0) {
                return new NotNow(clock.instant().plusNanos(wait), "rate limit of " + domain);
            }
        }
        List<Relay> all = relays;
        if (all.isEmpty()) {
            return new NotNow(clock.instant().plusSeconds(5), "no relay");
        }
        Instant now = clock.instant();
        Instant earliest = null;
        int start = Math.floorMod(next.getAndIncrement(), all.size());
        for (int i = 0; i < all.size(); i++) {
            Relay r = all.get((start + i) % all.size());
            Instant until = r.pausedUntil;
            if (until != null && until.isAfter(now)) {
                earliest = earliest == null || until.isBefore(earliest) ? until : earliest;
                continue;
            }
            long wait = r.rate.tryTake();
            if (wait > 0) {
                Instant at = now.plusNanos(wait);
                earliest = earliest == null || at.isBefore(earliest) ? at : earliest;
                continue;
            }
            return r.send(raw, envelopeFrom, recipient, utf8);
        }
        return new NotNow(earliest, "relays paused or at their rate");
    }

    @Override
    public void close() {
        relays.forEach(Relay::close);
    }

    /** The bytes as given: nothing of Jakarta Mail's rewriting (Message-ID, encodings) may touch a signed message. */
    private static final class RawMessage extends SMTPMessage {
        private final byte[] raw;

        RawMessage(Session session, byte[] raw, String envelopeFrom) {
            super(session);
            this.raw = raw;
            setEnvelopeFrom(envelopeFrom);
        }

        @Override
        public void writeTo(OutputStream os) throws IOException {
            os.write(raw);
        }

        @Override
        public void writeTo(OutputStream os, String[] ignoreList) throws IOException {
            os.write(raw);
        }

        @Override
        public int getSize() {
            return raw.length;
        }
    }

    private final class Relay {
        final RelaySettings s;
        final Session session;
        final Session utf8Session;
        final LinkedBlockingDeque<SMTPTransport> idle = new LinkedBlockingDeque<>();
        final Semaphore permits;
        final RateLimit rate;
        final AtomicInteger open = new AtomicInteger();
        final AtomicLong sent = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        volatile int consecutiveFailures;
        volatile Instant pausedUntil;
        volatile String lastError;
        volatile Instant lastErrorAt;
        volatile Instant lastSuccessAt;

        Relay(RelaySettings s) {
            this.s = s;
            this.session = Session.getInstance(properties(false));
            this.utf8Session = Session.getInstance(properties(true));
            this.permits = new Semaphore(s.connections(), true);
            this.rate = new RateLimit(s.perSecond());
        }

        private Properties properties(boolean utf8) {
            Properties p = new Properties();
            String proto = s.security().equals("tls") ? "smtps" : "smtp";
            String t = Long.toString(props.timeout().toMillis());
            p.put("mail." + proto + ".connectiontimeout", Long.toString(Math.min(props.timeout().toMillis(), 15_000)));
            p.put("mail." + proto + ".timeout", t);
            p.put("mail." + proto + ".writetimeout", t);
            p.put("mail." + proto + ".localhost", heloName);
            p.put("mail." + proto + ".quitwait", "false");
            p.put("mail." + proto + ".allow8bitmime", "false");
            if (!s.security().equals("tls")) {
                p.put("mail.smtp.socketFactory", NoDelaySockets.INSTANCE);
            }
            if (s.security().equals("starttls")) {
                p.put("mail.smtp.starttls.enable", "true");
                p.put("mail.smtp.starttls.required", "true");
            }
            if (s.security().equals("tls")) {
                p.put("mail.smtps.ssl.checkserveridentity", "true");
            }
            if (s.username() != null && !s.username().isBlank()) {
                p.put("mail." + proto + ".auth", "true");
            }
            if (utf8) {
                p.put("mail.mime.allowutf8", "true");
            }
            return p;
        }

        private SMTPTransport connect(Session on) throws MessagingException {
            SMTPTransport t = (SMTPTransport) on.getTransport(s.security().equals("tls") ? "smtps" : "smtp");
            boolean auth = s.username() != null && !s.username().isBlank();
            t.connect(s.host(), s.port(), auth ? s.username() : null, auth ? s.password() : null);
            open.incrementAndGet();
            return t;
        }

        Outcome send(byte[] raw, String envelopeFrom, String recipient, boolean utf8) {
            try {
                permits.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new NotNow(clock.instant(), "interrupted");
            }
            SMTPTransport t = null;
            try {
                Session on = utf8 ? utf8Session : session;
                // UTF-8 messages are rare and need a session that allows them: a connection of their own.
                t = utf8 ? null : idle.pollFirst();
                boolean reused = t != null;
                for (int round = 0; ; round++) {
                    if (t == null) {
                        t = connect(on);
                    }
                    try {
                        InternetAddress to = new InternetAddress();
                        to.setAddress(recipient);
                        t.sendMessage(new RawMessage(on, raw, envelopeFrom), new Address[] {to});
                        String answer = t.getLastServerResponse();
                        ok();
                        keep(t, utf8);
                        t = null;
                        return new Sent(s.name(), answer == null ? "250" : answer.strip());
                    } catch (MessagingException e) {
                        int code = code(e);
                        if (code < 0 && reused && round == 0) {
                            // A pooled connection the relay closed meanwhile: one fresh try.
                            discard(t);
                            t = null;
                            continue;
                        }
                        throw e;
                    }
                }
            } catch (MessagingException e) {
                int code = code(e);
                String answer = answer(e, code);
                failed.incrementAndGet();
                if (t != null && (code < 0 || code == 421 || !t.isConnected())) {
                    discard(t);
                } else if (t != null) {
                    keep(t, utf8);
                }
                if (code < 0 || code == 421) {
                    failure(answer);
                    return new Temporary(s.name(), code, answer);
                }
                return code >= 500 ? new Permanent(s.name(), code, answer) : new Temporary(s.name(), code, answer);
            } finally {
                permits.release();
            }
        }

        private void keep(SMTPTransport t, boolean utf8) {
            if (utf8) {
                discard(t);
            } else {
                idle.offerFirst(t);
            }
        }

        private void discard(SMTPTransport t) {
            try {
                t.close();
            } catch (MessagingException | RuntimeException e) {
                // already gone
            }
            open.decrementAndGet();
        }

        private void ok() {
            sent.incrementAndGet();
            lastSuccessAt = clock.instant();
            consecutiveFailures = 0;
            pausedUntil = null;
        }

        private void failure(String answer) {
            lastError = answer;
            lastErrorAt = clock.instant();
            int n = ++consecutiveFailures;
            if (n >= props.failuresToPause()) {
                pausedUntil = clock.instant().plus(props.pause());
                log.warn("Relay {} paused for {} after {} failures in a row: {}", s.name(), props.pause(), n, answer);
            }
        }

        Health health() {
            Instant until = pausedUntil;
            boolean paused = until != null && until.isAfter(clock.instant());
            int failures = consecutiveFailures;
            String breaker = paused ? "open" : failures >= props.failuresToPause() ? "half-open" : "closed";
            return new Health(s.name(), paused, paused ? until : null, failures, sent.get(), failed.get(),
                    lastError, lastErrorAt, open.get(), breaker, lastSuccessAt);
        }

        void close() {
            SMTPTransport t;
            while ((t = idle.pollFirst()) != null) {
                discard(t);
            }
        }
    }

    /** The SMTP reply code somewhere in the exception chain, or -1 when there was no answer (connection trouble). */
    static int code(Exception e) {
        Throwable x = e;
        for (int depth = 0; x != null && depth < 10; depth++) {
            int c = -1;
            if (x instanceof org.eclipse.angus.mail.smtp.SMTPAddressFailedException a) {
                c = a.getReturnCode();
            } else if (x instanceof org.eclipse.angus.mail.smtp.SMTPSendFailedException f) {
                c = f.getReturnCode();
            } else if (x instanceof org.eclipse.angus.mail.smtp.SMTPSenderFailedException f) {
                c = f.getReturnCode();
            }
            if (c >= 400) {
                return c;
            }
            Throwable n = x instanceof MessagingException m && m.getNextException() != null ? m.getNextException() : x.getCause();
            x = n == x ? null : n;
        }
        return -1;
    }

    private static String answer(MessagingException e, int code) {
        Throwable x = e;
        for (int depth = 0; x != null && depth < 10; depth++) {
            if (x instanceof org.eclipse.angus.mail.smtp.SMTPAddressFailedException a && a.getReturnCode() == code) {
                return a.getMessage().strip();
            }
            if (x instanceof org.eclipse.angus.mail.smtp.SMTPSendFailedException f && f.getReturnCode() == code) {
                return f.getMessage().strip();
            }
            if (x instanceof org.eclipse.angus.mail.smtp.SMTPSenderFailedException f && f.getReturnCode() == code) {
                return f.getMessage().strip();
            }
            Throwable n = x instanceof MessagingException m && m.getNextException() != null ? m.getNextException() : x.getCause();
            x = n == x ? null : n;
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return "no answer: " + root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    /** For the status page: how long a paused relay still rests. */
    public static Duration remaining(Health h, Clock clock) {
        return h.pausedUntil() == null ? Duration.ZERO : Duration.between(clock.instant(), h.pausedUntil());
    }

    public List<String> names() {
        List<String> n = new ArrayList<>();
        relays.forEach(r -> n.add(r.s.name()));
        return n;
    }
}
