package io.orbita.platform.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.List;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.support.SQLErrorCodeSQLExceptionTranslator;

/**
 * Rows streamed into one table with PostgreSQL's {@code COPY ... FROM STDIN} (text format): the fastest way in, and
 * it lets the database insert on one core while Java generates the next rows on the other. PostgreSQL writes a COPY's
 * rows to the table a page at a time, which is a fifth cheaper than INSERT ... SELECT FROM unnest(...) of the same rows
 * (measured for contacts: 0.71–0.76 against 0.94–0.96 s of backend CPU per 100,000 rows). Identity columns take the values given,
 * so a caller that needs the ids reserves them first ({@link #nextIds}). Use it inside the caller's transaction: the
 * connection is the transaction's own.
 */
public final class CopyRows implements AutoCloseable {

    /** Bytes handed to the driver at a time: PostgreSQL parses one part while the next rows are written here. */
    private static final int BUFFER = 1 << 16;
    /** The most bytes one char (or surrogate pair) takes, escaped or encoded. */
    private static final int WIDEST = 4;
    private static final int REMEMBERED_COLUMNS = 32;
    /** Longer values are not remembered: they rarely repeat, and the copy would cost more than it saves. */
    private static final int REMEMBERED_BYTES = 256;

    private final CopyIn in;
    /**
     * The rows go straight into UTF-8 here, escaped as COPY's text format wants: no StringBuilder to copy and encode again
     * (one of the import's largest costs in Java when it did).
     */
    private final byte[] buf = new byte[BUFFER];
    private int n;
    private boolean lineStart = true;
    /** The column the last value went to (0 for the first of a row). */
    private int column;
    /** How many times the buffer was handed over, to know whether a value's bytes are still all in it. */
    private long sends;
    /**
     * Per column, the last text written and, once it came again, its bytes: imports repeat a value down a column (the
     * batch's time, the source, the tags, often a position or a city), and copying bytes is much cheaper than encoding
     * and escaping the text again.
     */
    private final String[] lastText = new String[REMEMBERED_COLUMNS];
    private final byte[][] lastBytes = new byte[REMEMBERED_COLUMNS][];
    private final List<?>[] lastArray = new List<?>[REMEMBERED_COLUMNS];
    private long rows;
    private long cachedDay = Long.MIN_VALUE;
    private String cachedDate;

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx")
            .withZone(ZoneOffset.UTC);

    public CopyRows(Connection connection, String table, String columns) throws SQLException {
        this.in = connection.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("copy " + table + " (" + columns + ") from stdin");
    }

    /** Work with the connection of the caller's transaction. */
    @FunctionalInterface
    public interface ConnectionWork {
        void run(Connection connection) throws SQLException;
    }

    /**
     * Runs work on the connection of the caller's transaction (COPY needs the driver's own connection, not a
     * JdbcTemplate statement), with SQL errors translated as JdbcTemplate translates them: a unique violation is a
     * {@link org.springframework.dao.DuplicateKeyException}.
     */
    public static void onTransactionConnection(DataSource dataSource, String task, ConnectionWork work) {
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            work.run(connection);
        } catch (SQLException e) {
            throw new SQLErrorCodeSQLExceptionTranslator(dataSource).translate(task, null, e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }

    /**
     * Reserves n values of the identity (or serial) column of a table, in one round trip. They are increasing but not
     * necessarily consecutive: other writers draw from the same sequence at the same time.
     */
    public static long[] nextIds(Connection connection, String table, String column, int n) throws SQLException {
        long[] ids = new long[n];
        try (var st = connection.prepareStatement(
                // The sequence is looked up once ("offset 0" keeps the subquery from being flattened into a lookup per row,
                // which cost ten times the nextval itself).
                "select nextval(q.s) from (select cast(pg_get_serial_sequence(?, ?) as regclass) as s offset 0) q, generate_series(1, ?)")) {
            st.setString(1, table);
            st.setString(2, column);
            st.setInt(3, n);
            try (var rs = st.executeQuery()) {
                for (int i = 0; i < n && rs.next(); i++) {
                    ids[i] = rs.getLong(1);
                }
            }
        }
        return ids;
    }

    public CopyRows text(String v) throws SQLException {
        sep();
        if (v == null) {
            ascii("\\N");
            return this;
        }
        value(v, true);
        return this;
    }

    public CopyRows number(long v) throws SQLException {
        sep();
        digits(v);
        return this;
    }

    public CopyRows nullable(Long v) throws SQLException {
        return v == null ? text(null) : number(v);
    }

    /** An amount in kopecks as numeric(14, 2). */
    public CopyRows money(long kopecks) throws SQLException {
        sep();
        if (kopecks < 0) {
            put('-');
            kopecks = -kopecks;
        }
        digits(kopecks / 100);
        put('.');
        put((char) ('0' + kopecks % 100 / 10));
        put((char) ('0' + kopecks % 10));
        return this;
    }

    /** A timestamptz from epoch seconds, written in UTC. */
    public CopyRows time(long epochSecond) throws SQLException {
        sep();
        long day = Math.floorDiv(epochSecond, 86_400L);
        if (day != cachedDay) {
            cachedDay = day;
            cachedDate = LocalDate.ofEpochDay(day).toString();
        }
        int s = (int) Math.floorMod(epochSecond, 86_400L);
        ascii(cachedDate);
        put(' ');
        two(s / 3600);
        put(':');
        two(s / 60 % 60);
        put(':');
        two(s % 60);
        ascii("+00");
        return this;
    }

    public CopyRows date(LocalDate d) throws SQLException {
        return d == null ? text(null) : raw(d.toString());
    }

    /** A text[] value: every element quoted, so commas, braces, quotes and the word NULL stay what they are. */
    public CopyRows textArray(Collection<String> values) throws SQLException {
        if (values == null) {
            return text(null);
        }
        int next = lineStart ? 0 : column + 1;
        if (next < REMEMBERED_COLUMNS && values.equals(lastArray[next])) {
            return text(lastText[next]);
        }
        StringBuilder a = new StringBuilder(values.size() * 16 + 2).append('{');
        for (String v : values) {
            if (a.length() > 1) {
                a.append(',');
            }
            a.append('"');
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c == '"' || c == '\\') {
                    a.append('\\');
                }
                a.append(c);
            }
            a.append('"');
        }
        text(a.append('}').toString());
        if (next < REMEMBERED_COLUMNS) {
            lastArray[next] = new java.util.ArrayList<>(values);
        }
        return this;
    }

    /**
     * A timestamptz to the microsecond, as PostgreSQL stores it. Rows of one batch usually share their time: format it
     * once with this and write it with {@link #raw}.
     */
    public static String timestamp(Instant at) {
        return TIMESTAMP.format(at);
    }

    /** A value known to need no escaping (no backslash, tab or line break). */
    public CopyRows raw(String v) throws SQLException {
        sep();
        value(v, false);
        return this;
    }

    public void endRow() throws SQLException {
        put('\n');
        lineStart = true;
        rows++;
    }

    public long rows() {
        return rows;
    }

    @Override
    public void close() throws SQLException {
        if (!in.isActive()) {
            return;
        }
        send();
        in.endCopy();
    }

    /** Writes a text value, as the bytes remembered for its column when it is the column's last value again. */
    private void value(String v, boolean escape) throws SQLException {
        int c = column;
        if (c < REMEMBERED_COLUMNS) {
            String last = lastText[c];
            if (last != null && last.equals(v)) {
                byte[] known = lastBytes[c];
                if (known != null) {
                    bytes(known);
                    return;
                }
                int start = n;
                long sendsBefore = sends;
                utf8(v, escape);
                if (sends == sendsBefore && n - start <= REMEMBERED_BYTES) {
                    lastBytes[c] = java.util.Arrays.copyOfRange(buf, start, n);
                }
                return;
            }
            lastText[c] = v;
            lastBytes[c] = null;
            lastArray[c] = null;
        }
        utf8(v, escape);
    }

    private void bytes(byte[] b) throws SQLException {
        if (n > BUFFER - b.length) {
            send();
        }
        System.arraycopy(b, 0, buf, n, b.length);
        n += b.length;
    }

    /**
     * Encodes a string to UTF-8 into the buffer, escaping what COPY's text format reads specially if asked. An unpaired
     * surrogate cannot be UTF-8: it becomes "?", as String.getBytes would send it.
     */
    private void utf8(String v, boolean escape) throws SQLException {
        byte[] b = buf;
        for (int i = 0, length = v.length(); i < length; i++) {
            if (n > BUFFER - WIDEST) {
                send();
            }
            char c = v.charAt(i);
            if (c < 0x80) {
                if (escape && (c == '\\' || c == '\t' || c == '\n' || c == '\r')) {
                    b[n++] = '\\';
                    b[n++] = (byte) (c == '\\' ? '\\' : c == '\t' ? 't' : c == '\n' ? 'n' : 'r');
                } else {
                    b[n++] = (byte) c;
                }
            } else if (c < 0x800) {
                b[n++] = (byte) (0xC0 | c >> 6);
                b[n++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isSurrogate(c)) {
                int cp = Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(v.charAt(i + 1))
                        ? Character.toCodePoint(c, v.charAt(++i)) : -1;
                if (cp < 0) {
                    b[n++] = '?';
                } else {
                    b[n++] = (byte) (0xF0 | cp >> 18);
                    b[n++] = (byte) (0x80 | cp >> 12 & 0x3F);
                    b[n++] = (byte) (0x80 | cp >> 6 & 0x3F);
                    b[n++] = (byte) (0x80 | cp & 0x3F);
                }
            } else {
                b[n++] = (byte) (0xE0 | c >> 12);
                b[n++] = (byte) (0x80 | c >> 6 & 0x3F);
                b[n++] = (byte) (0x80 | c & 0x3F);
            }
        }
    }

    /** Text known to be ASCII and to need no escaping. */
    private void ascii(String v) throws SQLException {
        for (int i = 0; i < v.length(); i++) {
            put(v.charAt(i));
        }
    }

    private void digits(long v) throws SQLException {
        if (v < 0) {
            if (v == Long.MIN_VALUE) {
                ascii(Long.toString(v));
                return;
            }
            put('-');
            v = -v;
        }
        if (n > BUFFER - 20) {
            send();
        }
        int len = 1;
        for (long t = v; t >= 10; t /= 10) {
            len++;
        }
        int end = n + len;
        for (int i = end - 1; i >= n; i--) {
            buf[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        n = end;
    }

    private void put(char ascii) throws SQLException {
        if (n == BUFFER) {
            send();
        }
        buf[n++] = (byte) ascii;
    }

    private void send() throws SQLException {
        if (n > 0) {
            in.writeToCopy(buf, 0, n);
            n = 0;
            sends++;
        }
    }

    private void sep() throws SQLException {
        if (lineStart) {
            column = 0;
        } else {
            put('\t');
            column++;
        }
        lineStart = false;
    }

    private void two(int v) throws SQLException {
        put((char) ('0' + v / 10));
        put((char) ('0' + v % 10));
    }

    public static void appendMoney(StringBuilder b, long kopecks) {
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
