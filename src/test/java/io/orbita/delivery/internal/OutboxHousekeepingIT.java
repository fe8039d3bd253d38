package io.orbita.delivery.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.orbita.OrbitaIT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Finished messages lose their stored bytes after the retention; their rows, and unfinished messages, stay. */
class OutboxHousekeepingIT extends OrbitaIT {

    @Autowired
    JdbcClient jdbc;

    /** A clock the test moves by hand. */
    static final class MovableClock extends Clock {
        Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
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

    private long send(TestWorkspace ws, String to) {
        Api r = post("/api/v1/messages", ws.apiKey(), Map.of("to", to, "fromEmail", "anna@shop.example",
                "subject", "Hello", "html", "<p>Hello</p>"));
        assertThat(r.status()).as(String.valueOf(r.body())).isEqualTo(201);
        long id = r.body().get("id").asLong();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(get("/api/v1/messages/" + id, ws.apiKey()).body().get("status").asString()).isEqualTo("sent"));
        return id;
    }

    private int rawStatus(TestWorkspace ws, long id) throws Exception {
        return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url("/api/v1/messages/" + id + "/raw")))
                        .header("Authorization", "Bearer " + ws.apiKey()).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void bytesOfFinishedMessagesAreDroppedAfterTheRetentionAndTheRowsStay() throws Exception {
        TestWorkspace ws = newWorkspace();
        long sent = send(ws, "old@client.example");
        long deferred = send(ws, "waiting@client.example");
        // One message that is still to be sent again: its bytes are what the next attempt sends.
        jdbc.sql("update outbox_message set state = 'deferred', next_attempt_at = now() + interval '1 day' where workspace_id = ? and id = ?")
                .params(ws.id().value(), deferred).update();
        Instant finished = jdbc.sql("select updated_at from outbox_message where workspace_id = ? and id = ?")
                .params(ws.id().value(), sent).query(java.sql.Timestamp.class).single().toInstant();
        MovableClock clock = new MovableClock(finished.plus(Duration.ofDays(29)));
        OutboxHousekeeping housekeeping = new OutboxHousekeeping(jdbc, clock, Duration.ofDays(30));

        housekeeping.dropOldBodies();
        assertThat(rawStatus(ws, sent)).isEqualTo(200);

        clock.now = finished.plus(Duration.ofDays(30)).plusSeconds(5);
        assertThat(housekeeping.dropOldBodies()).isGreaterThanOrEqualTo(1);
        assertThat(rawStatus(ws, sent)).isEqualTo(404);
        Api status = get("/api/v1/messages/" + sent, ws.apiKey());
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.body().get("status").asString()).isEqualTo("sent");
        assertThat(status.body().get("lastSmtpAnswer").asString()).startsWith("250");
        assertThat(rawStatus(ws, deferred)).isEqualTo(200);

        assertThat(housekeeping.dropOldBodies()).isZero();
    }

    @Test
    void aRetentionOfZeroIsRefused() {
        assertThatThrownBy(() -> new OutboxHousekeeping(jdbc, Clock.systemUTC(), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keep-raw");
    }
}
