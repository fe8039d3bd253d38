package io.orbita.activity.web;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Keeps one visitor address from flooding a site key: a token bucket per (site key, client address) of
 * {@value #PER_SECOND} requests a second with bursts of {@value #BURST}. Per node and in memory: it protects the node,
 * it is not an accounting limit.
 */
@Component
class TrackerRateLimit {

    static final int PER_SECOND = 10;
    static final int BURST = 40;
    private static final int MAX_BUCKETS = 100_000;

    private final Map<String, double[]> buckets = new ConcurrentHashMap<>();
    private final Clock clock;

    TrackerRateLimit(Clock clock) {
        this.clock = clock;
    }

    boolean allow(String siteKey, String address) {
        if (buckets.size() > MAX_BUCKETS) {
            buckets.clear();
        }
        double now = clock.millis() / 1000.0;
        double[] bucket = buckets.computeIfAbsent(siteKey + "|" + address, k -> new double[] {BURST, now});
        synchronized (bucket) {
            bucket[0] = Math.min(BURST, bucket[0] + (now - bucket[1]) * PER_SECOND);
            bucket[1] = now;
            if (bucket[0] < 1) {
                return false;
            }
            bucket[0] -= 1;
            return true;
        }
    }
}
