package io.orbita.workspace.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Slows down password guessing: after {@value #MAX_PER_EMAIL} failed logins for one email, or {@value #MAX_PER_IP}
 * from one address, within {@link #WINDOW}, further attempts are refused until the window passes. Failures live in
 * PostgreSQL so every node sees the same count.
 */
@Component
public class LoginThrottle {

    static final int MAX_PER_EMAIL = 5;
    static final int MAX_PER_IP = 30;
    static final Duration WINDOW = Duration.ofMinutes(15);

    private final JdbcClient jdbc;
    private final Clock clock;

    LoginThrottle(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public boolean isLocked(String email, String ip) {
        Timestamp since = Timestamp.from(clock.instant().minus(WINDOW));
        return jdbc.sql("""
                        select (select count(*) from login_failure where lower(email) = lower(?) and failed_at > ?) >= ?
                            or (select count(*) from login_failure where ip = ? and failed_at > ?) >= ?""")
                .params(email, since, MAX_PER_EMAIL, ip, since, MAX_PER_IP)
                .query(Boolean.class).single();
    }

    public void recordFailure(String email, String ip) {
        Instant now = clock.instant();
        jdbc.sql("insert into login_failure (email, ip, failed_at) values (?, ?, ?)")
                .params(email == null ? "" : email, ip, Timestamp.from(now)).update();
        // Keep the table small: anything older than the window no longer counts.
        jdbc.sql("delete from login_failure where failed_at < ?").param(Timestamp.from(now.minus(WINDOW))).update();
    }

    public void reset(String email) {
        jdbc.sql("delete from login_failure where lower(email) = lower(?)").param(email).update();
    }
}
