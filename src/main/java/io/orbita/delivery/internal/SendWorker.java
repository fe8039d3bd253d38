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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
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

    SendWorker(OutboxStore store, MessageBuilder builder, RelayPool relays, SuppressionCheck suppressions, Wakeup wakeup,
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

    private void release(OutboxStore.Claimed c) {
        try {
            store.settle(c.workspace(), c.id(), "queued", null, null, clock.instant(), null);
        } catch (RuntimeException e) {
            // the lease brings it back
        }
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

    /** One claim and the sending of what it got; the number of messages claimed. */
    public int pass() {
        Instant now = clock.instant();
        List<OutboxStore.Claimed> claimed = store.claim(node, batch, now, now.plus(lease));
        if (claimed.size() <= 1 || parallel <= 1) {
            Map<Object, PreparedLetter> prepared = new HashMap<>();
            for (OutboxStore.Claimed c : claimed) {
                if (running) {
                    safely(c, prepared);
                } else {
                    release(c);
                }
            }
            return claimed.size();
        }
        // Sending is mostly waiting (for the relay's answer, for PostgreSQL): a batch goes out over several virtual
        // threads, each taking the next message, so the relay connections stay busy.
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        List<Thread> lanes = new ArrayList<>();
        for (int i = 0; i < Math.min(parallel, claimed.size()); i++) {
            lanes.add(Thread.ofVirtual().start(() -> {
                // A prepared letter is not thread-safe: one set per lane.
                Map<Object, PreparedLetter> prepared = new HashMap<>();
                int k;
                while ((k = next.getAndIncrement()) < claimed.size()) {
                    if (running) {
                        safely(claimed.get(k), prepared);
                    } else {
                        release(claimed.get(k));
                    }
                }
            }));
        }
        for (Thread lane : lanes) {
            try {
                lane.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return claimed.size();
    }

    /** A message that fails unexpectedly stays claimed; its lease runs out and it is tried again. */
    private void safely(OutboxStore.Claimed c, Map<Object, PreparedLetter> prepared) {
        try {
            process(c, prepared);
        } catch (RuntimeException e) {
            log.warn("Message {} of workspace {} could not be processed: {}", c.id(), c.workspace().value(), e.toString());
        }
    }

    private void process(OutboxStore.Claimed c, Map<Object, PreparedLetter> prepared) {
        byte[] raw;
        String envelopeFrom;
        boolean utf8;
        OutboxStore.BuiltMessage built = null;
        try {
            if (c.rawGz() == null) {
                var refusal = suppressions.refusal(c.workspace(), c.contactId(), c.recipient(), c.marketing());
                if (refusal.isPresent()) {
                    store.settle(c.workspace(), c.id(), "suppressed", refusal.get(), null, clock.instant(), null);
                    return;
                }
                MessageBuilder.Built b = builder.build(c, prepared);
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
            store.attempted(c.workspace(), c.id(), "failed", null, "not sent: " + why, null, clock.instant(), null);
            return;
        } catch (IllegalArgumentException e) {
            store.attempted(c.workspace(), c.id(), "failed", null, "not sent: " + e.getMessage(), null, clock.instant(), null);
            return;
        }
        String recipient = MailAddress.of(null, c.recipient()).address();
        RelayPool.Outcome o = relays.send(raw, envelopeFrom, recipient, utf8);
        Instant now = clock.instant();
        switch (o) {
            case RelayPool.Sent s -> store.attempted(c.workspace(), c.id(), "sent", s.relay(), s.answer(), null, now, built);
            case RelayPool.Permanent p -> store.attempted(c.workspace(), c.id(), "failed", p.relay(), p.answer(), null, now, built);
            case RelayPool.Temporary t -> {
                int attempt = c.attempts() + 1;
                if (attempt >= maxAttempts) {
                    store.attempted(c.workspace(), c.id(), "failed", t.relay(),
                            t.answer() + " (gave up after " + attempt + " attempts)", null, now, built);
                } else {
                    Duration wait = retryBase.multipliedBy(1L << Math.min(attempt - 1, 10));
                    store.attempted(c.workspace(), c.id(), "deferred", t.relay(), t.answer(), now.plus(wait), now, built);
                }
            }
            case RelayPool.NotNow n -> store.settle(c.workspace(), c.id(), "queued", null,
                    n.retryAt() == null ? now.plus(poll) : n.retryAt(), now, built);
        }
    }
}
