package io.orbita.activity.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class TrackerRateLimitTest {

    /** A clock the test moves by hand. */
    static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-11-23T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void allowsABurstThenTheSteadyRatePerKeyAndAddress() {
        MovableClock clock = new MovableClock();
        TrackerRateLimit limit = new TrackerRateLimit(clock);
        for (int i = 0; i < TrackerRateLimit.BURST; i++) {
            assertThat(limit.allow("site_a", "10.0.0.1")).isTrue();
        }
        assertThat(limit.allow("site_a", "10.0.0.1")).isFalse();
        assertThat(limit.allow("site_a", "10.0.0.2")).as("another visitor has its own bucket").isTrue();
        assertThat(limit.allow("site_b", "10.0.0.1")).as("another site key has its own bucket").isTrue();
        clock.now = clock.now.plus(Duration.ofMillis(1000));
        int allowed = 0;
        for (int i = 0; i < 100; i++) {
            if (limit.allow("site_a", "10.0.0.1")) {
                allowed++;
            }
        }
        assertThat(allowed).isEqualTo(TrackerRateLimit.PER_SECOND);
    }
}
