package io.orbita.delivery.internal;

import io.orbita.delivery.SuppressionCheck;
import io.orbita.delivery.mime.MailAddress;
import io.orbita.delivery.smtp.RelayPool;
import io.orbita.platform.ValidationException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import io.orbita.content.PreparedLetter;
import io.orbita.audience.Contact;
import io.orbita.audience.Contacts;
import io.orbita.platform.WorkspaceId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The sending workers of this node: virtual threads that claim batches of due messages with a lease, build each one
 * once (the bytes are kept before the first attempt), hand it to a relay and record the answer. 4xx answers and
 * connection trouble come back later with exponential backoff; 5xx answers are final. A node that dies mid-batch
 * leaves its rows in {@code sending}; when their lease runs out any node claims them again, so nothing is lost and at
 * most the messages in flight at the crash may go twice.
 */
@Component
public class SendWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SendWorker.class);

    private final OutboxStore store;
    private final MessageBuilder builder;
    private final RelayPool relays;
    private final SuppressionCheck suppressions;
    private final Contacts contactsApi;
    private final Wakeup wakeup;
    private final Clock clock;
    private final int workers;
    private final int batch;
    private final Duration lease;
    private final Duration poll;
    private final Duration retryBase;
    private final int maxAttempts;
    private final int parallel;
    private final Duration shutdownGrace = Duration.ofSeconds(20);
    private final String node;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    SendWorker(OutboxStore store, MessageBuilder builder, RelayPool relays, SuppressionCheck suppressions, Contacts contactsApi,
               Wakeup wakeup,
               Clock clock, @Value("${orbita.delivery.workers:4}") int workers,
               @Value("${orbita.delivery.batch:50}") int batch,
               @Value("${orbita.delivery.lease:PT5M}") Duration lease,
               @Value("${orbita.delivery.poll-interval:PT1S}") Duration poll,
               @Value("${orbita.delivery.retry-base:PT1M}") Duration retryBase,
               @Value("${orbita.delivery.max-attempts:8}") int maxAttempts,
               @Value("${orbita.delivery.parallel:4}") int parallel) {
        this.parallel = parallel;
        this.store = store;
        this.builder = builder;
        this.relays = relays;
        this.suppressions = suppressions;
        this.contactsApi = contactsApi;
        this.wakeup = wakeup;
        this.clock = clock;
        this.workers = workers;
        this.batch = batch;
        this.lease = lease;
        this.poll = poll;
        this.retryBase = retryBase;
        this.maxAttempts = maxAttempts;
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "node";
        }
        this.node = host + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Override
    public synchronized void start() {
        running = true;
        for (int i = 0; i < workers; i++) {
            threads.add(Thread.ofVirtual().name("outbox-worker-" + i).start(this::loop));
        }
    }

    @Override
    public synchronized void stop() {
        // Let every lane finish the message it is sending and hand back the ones it has not started, so a normal
        // restart leaves nothing waiting for its lease to run out; whatever is still busy after the grace period is
        // interrupted and left to the lease.
        running = false;
        wakeup.signal();
        long deadline = System.nanoTime() + shutdownGrace.toNanos();
        for (Thread t : threads) {
            try {
                t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        threads.forEach(Thread::interrupt);
        threads.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        // Stop before the connection pool and the web server go away.
        return Integer.MAX_VALUE - 100;
    }

    private void loop() {
        while (running) {
            try {
                if (pass() == 0) {
                    wakeup.await(poll);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                log.warn("Outbox worker pass failed: {}", e.toString());
                try {
                    wakeup.await(poll);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** State changes written per lane in groups of this many (one UPDATE each) rather than one statement per message. */
    private static final int FLUSH = 25;

    /**
     * What a claimed batch needs from other tables, loaded once for the batch: the contacts (one query per workspace in
     * the batch) and the suppression answers (one query against the suppression list), instead of several per message.
     */
    private record BatchContext(Map<WorkspaceId, Map<Long, Contact>> contacts,
                                Map<OutboxStore.Claimed, Optional<String>> refusals) {

        Contact contact(OutboxStore.Claimed c) {
            return c.contactId() == null ? null : contacts.getOrDefault(c.workspace(), Map.of()).get(c.contactId());
        }
    }

    private BatchContext context(List<OutboxStore.Claimed> claimed) {
        Map<WorkspaceId, List<OutboxStore.Claimed>> byWorkspace = new LinkedHashMap<>();
        for (OutboxStore.Claimed c : claimed) {
            if (c.rawGz() == null) {   // built already: sent as it is, nothing to look up
                byWorkspace.computeIfAbsent(c.workspace(), k -> new ArrayList<>()).add(c);
            }
        }
        Map<WorkspaceId, Map<Long, Contact>> contacts = new HashMap<>();
        Map<OutboxStore.Claimed, Optional<String>> refusals = new IdentityHashMap<>();
        byWorkspace.forEach((ws, rows) -> {
            Map<Long, Contact> found = contactsApi.getAll(ws, rows.stream().map(OutboxStore.Claimed::contactId)
                    .filter(java.util.Objects::nonNull).toList());
            contacts.put(ws, found);
            List<Optional<String>> answers = suppressions.refusals(ws, rows.stream()
                    .map(c -> new SuppressionCheck.Recipient(c.contactId(), c.recipient(), c.marketing())).toList(), found);
            for (int i = 0; i < rows.size(); i++) {
                refusals.put(rows.get(i), answers.get(i));
            }
        });
        return new BatchContext(contacts, refusals);
    }

    /** One claim and the sending of what it got; the number of messages claimed. */
    public int pass() {
        Instant now = clock.instant();
        List<OutboxStore.Claimed> claimed = store.claim(node, batch, now, now.plus(lease));
        if (claimed.isEmpty()) {
            return 0;
        }
        BatchContext context = context(claimed);
        // Sending is mostly waiting (for the relay's answer, for PostgreSQL): a batch goes out over several virtual
        // threads, each taking the next message, so the relay connections stay busy.
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        Runnable lane = () -> {
            // A prepared letter is not thread-safe: one set per lane.
            Map<Object, PreparedLetter> prepared = new HashMap<>();
            List<OutboxStore.Update> pending = new ArrayList<>();
            try {
                int k;
                while ((k = next.getAndIncrement()) < claimed.size()) {
                    if (running) {
                        safely(claimed.get(k), prepared, context, pending);
                    } else {
                        pending.add(new OutboxStore.Update(claimed.get(k).workspace(), claimed.get(k).id(), false, "queued",
                                null, null, null, clock.instant(), null));
                    }
                    if (pending.size() >= FLUSH) {
                        flush(pending);
                    }
                }
            } finally {
                flush(pending);
            }
        };
        int lanes = Math.min(Math.max(1, parallel), claimed.size());
        if (lanes == 1) {
            lane.run();
            return claimed.size();
        }
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < lanes; i++) {
            threads.add(Thread.ofVirtual().start(lane));
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return claimed.size();
    }

    /** Rows whose update fails stay in {@code sending}; their lease brings them back (at worst sent once more). */
    private void flush(List<OutboxStore.Update> pending) {
        if (pending.isEmpty()) {
            return;
        }
        try {
            store.apply(pending);
        } catch (RuntimeException e) {
            log.warn("Recording the outcome of {} messages failed: {}", pending.size(), e.toString());
        }
        pending.clear();
    }

    /** A message that fails unexpectedly stays claimed; its lease runs out and it is tried again. */
    private void safely(OutboxStore.Claimed c, Map<Object, PreparedLetter> prepared, BatchContext context,
                        List<OutboxStore.Update> pending) {
        try {
            process(c, prepared, context, pending);
        } catch (RuntimeException e) {
            log.warn("Message {} of workspace {} could not be processed: {}", c.id(), c.workspace().value(), e.toString());
        }
    }

    private void process(OutboxStore.Claimed c, Map<Object, PreparedLetter> prepared, BatchContext context,
                         List<OutboxStore.Update> pending) {
        byte[] raw;
        String envelopeFrom;
        boolean utf8;
        OutboxStore.BuiltMessage built = null;
        try {
            if (c.rawGz() == null) {
                var refusal = context.refusals().get(c);
                if (refusal.isPresent()) {
                    pending.add(new OutboxStore.Update(c.workspace(), c.id(), false, "suppressed", null, refusal.get(), null,
                            clock.instant(), null));
                    return;
                }
                MessageBuilder.Built b = builder.build(c, prepared, context.contact(c));
                built = new OutboxStore.BuiltMessage(b.raw(), b.messageId(), b.envelopeFrom());
                raw = b.raw();
                envelopeFrom = b.envelopeFrom();
                utf8 = b.smtputf8();
            } else {
                raw = OutboxStore.gunzip(c.rawGz());
                envelopeFrom = c.envelopeFrom();
                utf8 = MailAddress.of(null, c.recipient()).needsUtf8();
            }
        } catch (ValidationException e) {
            String why = e.problems().isEmpty() ? "letter does not render" : e.problems().getFirst().message();
            pending.add(new OutboxStore.Update(c.workspace(), c.id(), true, "failed", null, "not sent: " + why, null, clock.instant(), null));
            return;
        } catch (IllegalArgumentException e) {
            pending.add(new OutboxStore.Update(c.workspace(), c.id(), true, "failed", null, "not sent: " + e.getMessage(), null, clock.instant(), null));
            return;
        }
        String recipient = MailAddress.of(null, c.recipient()).address();
        RelayPool.Outcome o = relays.send(raw, envelopeFrom, recipient, utf8);
        Instant now = clock.instant();
        switch (o) {
            case RelayPool.Sent s -> pending.add(new OutboxStore.Update(c.workspace(), c.id(), true, "sent", s.relay(), s.answer(), null, now, built));
            case RelayPool.Permanent p -> pending.add(new OutboxStore.Update(c.workspace(), c.id(), true, "failed", p.relay(), p.answer(), null, now, built));
            case RelayPool.Temporary t -> {
                int attempt = c.attempts() + 1;
                if (attempt >= maxAttempts) {
                    pending.add(new OutboxStore.Update(c.workspace(), c.id(), true, "failed", t.relay(),
                            t.answer() + " (gave up after " + attempt + " attempts)", null, now, built));
                } else {
                    Duration wait = retryBase.multipliedBy(1L << Math.min(attempt - 1, 10));
                    pending.add(new OutboxStore.Update(c.workspace(), c.id(), true, "deferred", t.relay(), t.answer(), now.plus(wait), now, built));
                }
            }
            case RelayPool.NotNow n -> pending.add(new OutboxStore.Update(c.workspace(), c.id(), false, "queued", null, null,
                    n.retryAt() == null ? now.plus(poll) : n.retryAt(), now, built));
        }
    }
}
