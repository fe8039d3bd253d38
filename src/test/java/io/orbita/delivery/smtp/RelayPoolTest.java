package io.orbita.delivery.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RelayPoolTest {

    private static SmtpProperties props(Map<String, Double> domainRates) {
        return new SmtpProperties(null, null, null, null, null, null, null, List.of(), domainRates, 0.0, 2,
                Duration.ofMinutes(5), Duration.ofSeconds(5));
    }

    @Test
    void rateLimitGivesABurstOfOneSecondThenAsksToWait() {
        RateLimit limit = new RateLimit(5);
        for (int i = 0; i < 5; i++) {
            assertThat(limit.tryTake()).isZero();
        }
        assertThat(limit.tryTake()).isPositive().isLessThanOrEqualTo(Duration.ofMillis(210).toNanos());
        assertThat(new RateLimit(0).tryTake()).isZero();
    }

    @Test
    void recipientDomainAtItsRateIsNotAttempted() throws IOException {
        try (SmtpListener sink = new SmtpListener(0, (from, rcpts, data) -> SmtpListener.Reply.OK);
             RelayPool pool = new RelayPool(Clock.systemUTC(), props(Map.of("mail.example", 1.0)), "test.example",
                     List.of(new RelaySettings("sink", "127.0.0.1", sink.port(), "none", null, null, 1, 0)))) {
            byte[] msg = "Subject: x\r\n\r\nhi\r\n".getBytes();
            assertThat(pool.send(msg, "b@test.example", "a@mail.example", false)).isInstanceOf(RelayPool.Sent.class);
            assertThat(pool.send(msg, "b@test.example", "c@mail.example", false)).isInstanceOf(RelayPool.NotNow.class);
            // Other domains are not held back.
            assertThat(pool.send(msg, "b@test.example", "a@other.example", false)).isInstanceOf(RelayPool.Sent.class);
        }
    }

    @Test
    void relayThatKeepsFailingIsPausedThenTriedAgainWhenThePauseEnds() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        MovableClock clock = new MovableClock(Instant.parse("2026-11-23T10:00:00Z"));
        try (RelayPool pool = new RelayPool(clock, props(Map.of()), "test.example",
                List.of(new RelaySettings("down", "127.0.0.1", port, "none", null, null, 1, 0)))) {
            byte[] msg = "Subject: x\r\n\r\nhi\r\n".getBytes();
            assertThat(pool.send(msg, "b@test.example", "a@x.example", false)).isInstanceOf(RelayPool.Temporary.class);
            assertThat(pool.send(msg, "b@test.example", "a@x.example", false)).isInstanceOf(RelayPool.Temporary.class);
            assertThat(pool.health().getFirst().paused()).isTrue();
            assertThat(pool.health().getFirst().breaker()).isEqualTo("open");
            assertThat(pool.health().getFirst().lastErrorAt()).isEqualTo(clock.instant());
            assertThat(pool.health().getFirst().lastSuccessAt()).isNull();
            RelayPool.Outcome paused = pool.send(msg, "b@test.example", "a@x.example", false);
            assertThat(paused).isInstanceOf(RelayPool.NotNow.class);
            assertThat(((RelayPool.NotNow) paused).retryAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));
            clock.now = clock.now.plus(Duration.ofMinutes(6));
            assertThat(pool.health().getFirst().breaker()).isEqualTo("half-open");
            try (SmtpListener back = new SmtpListener(port, (from, rcpts, data) -> SmtpListener.Reply.OK)) {
                assertThat(pool.send(msg, "b@test.example", "a@x.example", false)).isInstanceOf(RelayPool.Sent.class);
                assertThat(pool.health().getFirst().consecutiveFailures()).isZero();
                assertThat(pool.health().getFirst().breaker()).isEqualTo("closed");
                assertThat(pool.health().getFirst().lastSuccessAt()).isEqualTo(clock.instant());
            }
        }
    }

    static final class MovableClock extends Clock {
        Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
