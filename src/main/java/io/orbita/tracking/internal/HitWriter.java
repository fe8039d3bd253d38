package io.orbita.tracking.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import io.orbita.platform.Chunks;
import io.orbita.platform.WorkspaceId;
import io.orbita.tracking.EngagementRecorded;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes hits in batches: a request only puts its hit into a bounded in-memory queue and answers; one writer thread
 * stores whatever has gathered every {@value #FLUSH_MILLIS} ms or {@value #BATCH} hits, in one statement. When the
 * queue is full the request writes its own hit at once (slower, never lost). On a normal shutdown {@link #stop()} runs
 * after the web server has stopped taking requests and stores what is left, so a hit that got its answer is kept.
 * Contacts with human hits are announced to segments as {@link EngagementRecorded}, one per workspace, each contact
 * once, at most once per {@code orbita.tracking.announce-every} (1 s) and in the transaction of the batch that
 * announces them, so listeners run after the hits are committed. Hits a request stored itself never publish on their
 * own: that happens when the writer is behind, and an event per hit would pile the segment listeners' work onto a
 * database that is already the bottleneck. Their contacts, and those of clicks later found to be a scanner's, wait in
 * {@link PendingEngagement} for the next announcement (or for the queue to be idle). Repeats of a letter's open or
 * click within hours are not announced at all ({@link RecentlyAnnounced}).
 */
@Component
public class HitWriter implements SmartLifecycle {

    static final int BATCH = 500;
    static final long FLUSH_MILLIS = 200;
    private static final Logger log = LoggerFactory.getLogger(HitWriter.class);

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate tx;
    private final BlockingQueue<Hit> queue;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong direct = new AtomicLong();
    private volatile boolean running;
    private Thread thread;

    private final AtomicLong lost = new AtomicLong();

    /** At most this many contacts per event: an idle-then-busy minute must not make one huge publication. */
    static final int EVENT_CONTACTS = 5000;

    private final PendingEngagement pending;
    private final RecentlyAnnounced recent = new RecentlyAnnounced(200_000);

    HitWriter(JdbcClient jdbc, ApplicationEventPublisher events, PlatformTransactionManager transactions,
              @Value("${orbita.tracking.queue-capacity:20000}") int capacity,
              @Value("${orbita.tracking.announce-every:PT1S}") java.time.Duration announceEvery, ObjectProvider<MeterRegistry> meters) {
        this.pending = new PendingEngagement(announceEvery);
        this.jdbc = jdbc;
        this.events = events;
        this.tx = new TransactionTemplate(transactions);
        this.queue = new ArrayBlockingQueue<>(capacity);
        meters.ifAvailable(m -> {
            Gauge.builder("orbita.tracking.queue", queue, java.util.Collection::size)
                    .description("tracking hits waiting to be stored").register(m);
            FunctionCounter.builder("orbita.tracking.hits.stored", written, AtomicLong::get)
                    .description("tracking hits stored").register(m);
            FunctionCounter.builder("orbita.tracking.hits.direct", direct, AtomicLong::get)
                    .description("tracking hits a request stored itself because the queue was full").register(m);
            FunctionCounter.builder("orbita.tracking.hits.lost", lost, AtomicLong::get)
                    .description("tracking hits that could not be stored (database unavailable)").register(m);
        });
    }

    /**
     * Queues the hit; writes it at once when the queue is full or the writer is not running. A database failure then
     * is logged and counted, not thrown: the recipient's pixel or redirect matters more than the statistic.
     */
    public void record(Hit hit) {
        if (!running || !queue.offer(hit)) {
            direct.incrementAndGet();
            try {
                store(List.of(hit), false);
            } catch (RuntimeException e) {
                lost.incrementAndGet();
                log.warn("could not store a tracking hit: {}", e.getMessage());
            }
        }
    }

    /** Hits stored so far by this node (for metrics and tests). */
    public long written() {
        return written.get();
    }

    /** Hits a request had to store itself because the queue was full or the writer stopped. */
    public long writtenDirectly() {
        return direct.get();
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = Thread.ofPlatform().name("tracking-writer").daemon(true).start(this::loop);
    }

    @Override
    public void stop() {
        Thread t;
        synchronized (this) {
            if (!running) {
                return;
            }
            running = false;
            t = thread;
        }
        try {
            t.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        drain(); // whatever arrived while the thread was finishing
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops after the web server (which stops at {@code DEFAULT_PHASE - 1024} and {@code - 2048}) and before the pool. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

    private void loop() {
        List<Hit> batch = new ArrayList<>(BATCH);
        while (running) {
            try {
                Hit first = queue.poll(FLUSH_MILLIS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    announcePending();
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FLUSH_MILLIS);
                while (batch.size() < BATCH && running) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    queue.drainTo(batch, BATCH - batch.size());
                    if (batch.size() < BATCH) {
                        Hit next = queue.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(20)), TimeUnit.NANOSECONDS);
                        if (next != null) {
                            batch.add(next);
                        }
                    }
                }
                storeWithRetry(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                batch.clear();
            }
        }
        drain();
    }

    private synchronized void drain() {
        List<Hit> rest = new ArrayList<>();
        while (queue.drainTo(rest, BATCH) > 0) {
            try {
                store(rest, true);
            } catch (RuntimeException e) {
                lost.addAndGet(rest.size());
                log.error("could not store {} tracking hits at shutdown", rest.size(), e);
            }
            rest.clear();
        }
        announcePending();
    }

    /** A database restart or failover should not cost the hits of that moment: a few tries, a second apart. */
    private void storeWithRetry(List<Hit> batch) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                store(batch, true);
                return;
            } catch (RuntimeException e) {
                if (attempt == 3 || !running) {
                    lost.addAndGet(batch.size());
                    log.error("could not store {} tracking hits", batch.size(), e);
                    return;
                }
                log.warn("could not store {} tracking hits, trying again: {}", batch.size(), e.getMessage());
                TimeUnit.SECONDS.sleep(1);
            }
        }
    }

    /** Hits that could not be stored at all. */
    public long lost() {
        return lost.get();
    }

    /** Stores the hits; with {@code announce} in one transaction with their event, otherwise leaving it to the writer. */
    private void store(List<Hit> hits, boolean announce) {
        if (hits.isEmpty()) {
            return;
        }
        int n = hits.size();
        Long[] ws = new Long[n], message = new Long[n], contact = new Long[n];
        String[] kind = new String[n], url = new String[n], at = new String[n], ua = new String[n], ip = new String[n],
                reason = new String[n], via = new String[n];
        Boolean[] machine = new Boolean[n];
        Map<Long, Set<Long>> clickedMessages = new HashMap<>();
        // Contacts with human hits, per workspace, each once: the engagement conditions count nothing else.
        Map<Long, Set<Long>> engaged = new HashMap<>();
        java.time.Instant earliestClick = null;
        for (int i = 0; i < n; i++) {
            Hit h = hits.get(i);
            ws[i] = h.workspace().value();
            message[i] = h.messageId();
            contact[i] = h.contactId();
            kind[i] = h.kind();
            url[i] = h.url();
            at[i] = h.at().toString();
            ua[i] = h.userAgent();
            ip[i] = h.ipNetwork();
            machine[i] = h.machine();
            reason[i] = h.machineReason();
            via[i] = h.via();
            if (!h.machine() && h.contactId() != null && recent.isNews(h)) {
                engaged.computeIfAbsent(ws[i], k -> new java.util.LinkedHashSet<>()).add(h.contactId());
            }
            if (Hit.CLICK.equals(h.kind())) {
                clickedMessages.computeIfAbsent(ws[i], k -> new HashSet<>()).add(h.messageId());
                earliestClick = earliestClick == null || h.at().isBefore(earliestClick) ? h.at() : earliestClick;
            }
        }
        Runnable insert = () -> jdbc.sql("""
                        insert into tracking_event (workspace_id, message_id, contact_id, kind, url, at, user_agent, ip_network,
                            machine, machine_reason, via)
                        select * from unnest(cast(? as bigint[]), cast(? as bigint[]), cast(? as bigint[]), cast(? as text[]),
                            cast(? as text[]), cast(cast(? as text[]) as timestamptz[]), cast(? as text[]), cast(? as text[]),
                            cast(? as boolean[]), cast(? as text[]), cast(? as text[]))""")
                .params(ws, message, contact, kind, url, at, ua, ip, machine, reason, via)
                .update();
        pending.addAll(engaged);
        Map<Long, Set<Long>> due = announce ? pending.take(false) : Map.of();
        if (due.isEmpty()) {
            insert.run();
        } else {
            try {
                tx.executeWithoutResult(status -> {
                    insert.run();
                    publish(due);
                });
            } catch (RuntimeException e) {
                pending.addAll(due); // for the retry, or the next announcement
                throw e;
            }
        }
        written.addAndGet(n);
        if (earliestClick != null) {
            try {
                // Contacts whose clicks turned out to be a scanner's may leave "clicked" segments: re-evaluated too.
                pending.addAll(flagBursts(clickedMessages, earliestClick));
            } catch (RuntimeException e) {
                // The hits are stored; only the burst flag is missing, which the next batch's check of these messages repairs.
                log.warn("could not flag click bursts: {}", e.getMessage());
            }
        }
    }

    /** Per workspace one event (or one per {@value #EVENT_CONTACTS} contacts), published in the caller's transaction. */
    private void publish(Map<Long, Set<Long>> engaged) {
        engaged.forEach((ws, contacts) -> Chunks.of(contacts, EVENT_CONTACTS)
                .forEach(ids -> events.publishEvent(new EngagementRecorded(WorkspaceId.of(ws), ids))));
    }

    /**
     * Announces whatever is pending, due or not: when the queue is idle and at shutdown. A failure is logged: those
     * contacts then wait for the periodic segment refresh.
     */
    private void announcePending() {
        Map<Long, Set<Long>> due = pending.take(true);
        if (due.isEmpty()) {
            return;
        }
        try {
            tx.executeWithoutResult(status -> publish(due));
        } catch (RuntimeException e) {
            log.warn("could not announce the engagement of {} contacts: {}", due.values().stream().mapToInt(Set::size).sum(), e.getMessage());
        }
    }

    /**
     * Clicks on different links of one message less than a second apart are a scanner following every link. Done in
     * the database so clicks stored by other nodes or earlier batches count too. Returns the contacts of the clicks
     * it flagged, per workspace; a human click on those letters is news to segments again.
     */
    private Map<Long, List<Long>> flagBursts(Map<Long, Set<Long>> messagesByWorkspace, java.time.Instant earliest) {
        java.sql.Timestamp from = java.sql.Timestamp.from(earliest.minusSeconds(1));
        Map<Long, List<Long>> flaggedContacts = new HashMap<>();
        messagesByWorkspace.forEach((ws, messages) -> {
            Set<Long> contacts = new java.util.LinkedHashSet<>();
            Set<Long> letters = new HashSet<>();
            jdbc.sql("""
                        update tracking_event t set machine = true, machine_reason = ?
                        where t.workspace_id = ? and t.kind = 'click' and not t.machine and t.at >= ?
                          and t.message_id = any(cast(? as bigint[]))
                          and exists (select 1 from tracking_event o
                                      where o.workspace_id = t.workspace_id and o.message_id = t.message_id
                                        and o.kind = 'click' and o.url <> t.url
                                        and o.at > t.at - interval '1 second' and o.at < t.at + interval '1 second')
                        returning t.contact_id, t.message_id""")
                    .params(MachineRules.BURST, ws, from, messages.toArray(Long[]::new))
                    .query((rs, n) -> {
                        if (rs.getObject(1) != null) {
                            contacts.add(rs.getLong(1));
                        }
                        return letters.add(rs.getLong(2));
                    }).list();
            recent.forgetClicks(ws, letters);
            flaggedContacts.put(ws, List.copyOf(contacts));
        });
        return flaggedContacts;
    }
}
