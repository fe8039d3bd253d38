package io.orbita.delivery.smtp;

/** A token bucket: {@code perSecond} messages a second with bursts of one second's worth. Thread-safe. */
final class RateLimit {

    private final double perSecond;
    private final double burst;
    private double tokens;
    private long last = System.nanoTime();

    RateLimit(double perSecond) {
        this.perSecond = perSecond;
        this.burst = Math.max(1, perSecond);
        this.tokens = burst;
    }

    /** Takes a token; 0 when one was there, otherwise the nanoseconds until one will be (nothing taken). */
    synchronized long tryTake() {
        if (perSecond <= 0) {
            return 0;
        }
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - last) / 1e9 * perSecond);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return (long) Math.ceil((1 - tokens) / perSecond * 1e9);
    }
}
