package io.orbita.tracking.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The letters (and kind of hit) whose human open or click was announced to segments in the last hours. Another open of
 * the same letter within a day cannot change any engagement condition: their periods are whole days, today included,
 * and one day at least, so the earlier hit already counts wherever the new one would. Reopening a letter is common
 * (mail clients, a second look), and each skipped repeat spares a re-evaluation. Bounded: the oldest entries go first,
 * and a forgotten letter is merely announced again.
 */
final class RecentlyAnnounced {

    /** Well within the day that makes a repeat redundant. */
    static final Duration KEPT = Duration.ofHours(12);

    private final int capacity;
    private final Map<Key, Instant> seen;

    private record Key(long workspace, long message, String kind) {
    }

    RecentlyAnnounced(int capacity) {
        this.capacity = capacity;
        this.seen = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Instant> eldest) {
                return size() > RecentlyAnnounced.this.capacity;
            }
        };
    }

    /** True when this human hit is news to segments (and remembers it as announced). */
    synchronized boolean isNews(Hit hit) {
        Key key = new Key(hit.workspace().value(), hit.messageId(), hit.kind());
        Instant before = seen.get(key);
        if (before != null && before.isAfter(hit.at().minus(KEPT)) && !before.isAfter(hit.at())) {
            return false;
        }
        seen.put(key, hit.at());
        return true;
    }

    /** Clicks of these letters were found to be a scanner's: the next human click on them is news again. */
    synchronized void forgetClicks(long workspace, Collection<Long> messages) {
        messages.forEach(m -> seen.remove(new Key(workspace, m, Hit.CLICK)));
    }
}
