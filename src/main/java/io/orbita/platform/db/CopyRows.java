package io.orbita.demo;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Rows streamed into one table with PostgreSQL's {@code COPY ... FROM STDIN} (text format): the fastest way in, and
 * it lets the database insert on one core while Java generates the next rows on the other.
 */
final class CopyRows implements AutoCloseable {

    private static final int FLUSH_AT = 1 << 17;

    private final CopyIn in;
    private final StringBuilder b = new StringBuilder(FLUSH_AT + 4096);
    private boolean lineStart = true;
    private long rows;
    private long cachedDay = Long.MIN_VALUE;
    private String cachedDate;

    CopyRows(Connection connection, String table, String columns) throws SQLException {
        this.in = connection.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("copy " + table + " (" + columns + ") from stdin");
    }

    CopyRows text(String v) {
        sep();
        if (v == null) {
            b.append("\\N");
            return this;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                default -> b.append(c);
            }
        }
        return this;
    }

    CopyRows number(long v) {
        sep();
        b.append(v);
        return this;
    }

    CopyRows nullable(Long v) {
        return v == null ? text(null) : number(v);
    }

    /** An amount in kopecks as numeric(14, 2). */
    CopyRows money(long kopecks) {
        sep();
        appendMoney(b, kopecks);
        return this;
    }

    /** A timestamptz from epoch seconds, written in UTC. */
    CopyRows time(long epochSecond) {
        sep();
        long day = Math.floorDiv(epochSecond, 86_400L);
        if (day != cachedDay) {
            cachedDay = day;
            cachedDate = LocalDate.ofEpochDay(day).toString();
        }
        int s = (int) Math.floorMod(epochSecond, 86_400L);
        b.append(cachedDate).append(' ');
        two(s / 3600);
        b.append(':');
        two(s / 60 % 60);
        b.append(':');
        two(s % 60);
        b.append("+00");
        return this;
    }

    CopyRows date(LocalDate d) {
        return d == null ? text(null) : raw(d.toString());
    }

    /** A value known to need no escaping. */
    CopyRows raw(String v) {
        sep();
        b.append(v);
        return this;
    }

    void endRow() throws SQLException {
        b.append('\n');
        lineStart = true;
        rows++;
        if (b.length() >= FLUSH_AT) {
            flush();
        }
    }

    long rows() {
        return rows;
    }

    private void flush() throws SQLException {
        if (b.isEmpty()) {
            return;
        }
        byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
        in.writeToCopy(bytes, 0, bytes.length);
        b.setLength(0);
    }

    @Override
    public void close() throws SQLException {
        if (!in.isActive()) {
            return;
        }
        flush();
        in.endCopy();
    }

    private void sep() {
        if (!lineStart) {
            b.append('\t');
        }
        lineStart = false;
    }

    private void two(int v) {
        if (v < 10) {
            b.append('0');
        }
        b.append(v);
    }

    static void appendMoney(StringBuilder b, long kopecks) {
        if (kopecks < 0) {
            b.append('-');
            kopecks = -kopecks;
        }
        b.append(kopecks / 100).append('.');
        long k = kopecks % 100;
        if (k < 10) {
            b.append('0');
        }
        b.append(k);
    }
}
