package io.orbita.platform.db;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.support.SQLErrorCodeSQLExceptionTranslator;

/**
 * Rows streamed into one table with PostgreSQL's {@code COPY ... FROM STDIN}: the fastest way in, and it lets the
 * database insert on one core while Java generates the next rows on the other. PostgreSQL writes a COPY's rows to the
 * table a page at a time, which is a fifth cheaper than INSERT ... SELECT FROM unnest(...) of the same rows (measured
 * for contacts: 0.71–0.76 against 0.94–0.96 s of backend CPU per 100,000 rows). Identity columns take the values given,
 * so a caller that needs the ids reserves them first ({@link #nextIds}). Use it inside the caller's transaction: the
 * connection is the transaction's own.
 *
 * <p>Two formats. {@link #text} format takes any column type as its text ({@link #raw} for booleans, numerics and
 * the like). {@link #binary} format sends values as PostgreSQL stores them, which spares the database parsing them: a
 * timestamp's text costs it about as much as copying the whole row of a narrow table (0.85–0.87 against 0.68–0.73 s of
 * backend CPU for 100,000 contacts, psql). In binary format a column's values must match its type exactly:
 * {@link #number} is for bigint columns, {@link #text} and {@link #raw} for text, and {@link #money} and {@link #time} are
 * not offered.
 */
public final class CopyRows implements AutoCloseable {

    /** Bytes handed to the driver at a time: PostgreSQL parses one part while the next rows are written here. */
    private static final int BUFFER = 1 << 16;
    /**
     * Binary format's integers are big-endian; written through these views each is one store with one bounds check
     * instead of four, which also keeps the compiled row loops (every column is inlined into them) small.
     */
    private static final VarHandle INT16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    /** The most bytes one char (or surrogate pair) takes, escaped or encoded. */
    private static final int WIDEST = 4;
    private static final int REMEMBERED_COLUMNS = 32;
    /** Longer values are not remembered: they rarely repeat, and the copy would cost more than it saves. */
    private static final int REMEMBERED_BYTES = 256;
    /**
     * A column is compared with its last value for this many values; if fewer than a quarter repeated, it is not compared
     * any more (emails, phones, names): the comparison was a tenth of an import's Java time and almost never paid.
     */
    private static final int PROBED_VALUES = 64;
    /** PostgreSQL's epoch (2000-01-01) in days and seconds since 1970-01-01. */
    private static final long PG_EPOCH_DAY = 10_957;
    private static final long PG_EPOCH_SECOND = PG_EPOCH_DAY * 86_400;
    private static final int TEXT_OID = 25;
    private static final byte[] BINARY_SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};

    private final CopyIn in;
    private final boolean binary;
    /** The number of values every row must have (in binary format it leads each row). */
    private final int columns;
    /**
     * The rows go straight into bytes here, escaped as the format wants: no StringBuilder to copy and encode again (one
     * of the import's largest costs in Java when it did).
     */
    private final byte[] buf = new byte[BUFFER];
    private int n;
    private boolean lineStart = true;
    /** The column the last value went to (0 for the first of a row). */
    private int column;
    private long rows;
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
    /** Per column: values compared so far (-1: the column is not compared any more), and how many repeated. */
    private final int[] compared = new int[REMEMBERED_COLUMNS];
    private final int[] repeated = new int[REMEMBERED_COLUMNS];
    private long cachedDay = Long.MIN_VALUE;
    private String cachedDate;

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx")
            .withZone(ZoneOffset.UTC);

    /** COPY in text format (any column type, as text). */
    public CopyRows(Connection connection, String table, String columns) throws SQLException {
        this(connection, table, columns, false);
    }

    private CopyRows(Connection connection, String table, String columns, boolean binary) throws SQLException {
        this.in = connection.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("copy " + table + " (" + columns + ") from stdin" + (binary ? " with (format binary)" : ""));
        this.binary = binary;
        this.columns = columns.split(",").length;
        if (binary) {
            System.arraycopy(BINARY_SIGNATURE, 0, buf, 0, BINARY_SIGNATURE.length);
            n = BINARY_SIGNATURE.length;
            int32(0); // flags
            int32(0); // header extension length
        }
    }

    /** COPY in binary format: bigint, text, text[], jsonb, date and timestamptz columns (see the class comment). */
    public static CopyRows binary(Connection connection, String table, String columns) throws SQLException {
        return new CopyRows(connection, table, columns, true);
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
                // which cost ten times the nextval itself). The ids come back as one text value: thousands of one-number
                // rows cost both sides more than the numbers themselves. The values are aggregated in the order nextval
                // made them, so increasing.
                "select string_agg(nextval(q.s)::text, ',') from (select cast(pg_get_serial_sequence(?, ?) as regclass) as s offset 0) q,"
                        + " generate_series(1, ?)")) {
            st.setString(1, table);
            st.setString(2, column);
            st.setInt(3, n);
            try (var rs = st.executeQuery()) {
                String list = rs.next() ? rs.getString(1) : null;
                int at = 0;
                for (int i = 0; i < n; i++) {
                    long v = 0;
                    for (char c; at < list.length() && (c = list.charAt(at)) != ','; at++) {
                        v = v * 10 + (c - '0');
                    }
                    at++;
                    ids[i] = v;
                }
            }
        }
        return ids;
    }

    public CopyRows text(String v) throws SQLException {
        return text(v, true);
    }

    /** A bigint (in text format any integer column). */
    public CopyRows number(long v) throws SQLException {
        sep();
        if (binary) {
            int64Value(v);
        } else {
            digits(v);
        }
        return this;
    }

    public CopyRows nullable(Long v) throws SQLException {
        return v == null ? text(null) : number(v);
    }

    /** An amount in kopecks as numeric(14, 2) (text format only). */
    public CopyRows money(long kopecks) throws SQLException {
        textFormatOnly("money");
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

    /** A timestamptz from epoch seconds, written in UTC (text format only; {@link #instant} in both). */
    public CopyRows time(long epochSecond) throws SQLException {
        textFormatOnly("time");
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

    /** A timestamptz to the microsecond, as PostgreSQL stores it. */
    public CopyRows instant(Instant at) throws SQLException {
        if (at == null) {
            return text(null);
        }
        if (!binary) {
            return raw(timestamp(at));
        }
        sep();
        int64Value(Math.multiplyExact(at.getEpochSecond() - PG_EPOCH_SECOND, 1_000_000L) + at.getNano() / 1_000);
        return this;
    }

    public CopyRows date(LocalDate d) throws SQLException {
        if (d == null) {
            return text(null);
        }
        if (!binary) {
            return raw(d.toString());
        }
        sep();
        int32(4);
        int32(Math.toIntExact(d.toEpochDay() - PG_EPOCH_DAY));
        return this;
    }

    /** A jsonb value from its text. */
    public CopyRows jsonb(String json) throws SQLException {
        if (json == null || !binary) {
            return text(json);
        }
        byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
        sep();
        int32(utf8.length + 1);
        ensure(1);
        buf[n++] = 1; // jsonb's binary format version
        bytes(utf8);
        return this;
    }

    /** A text[] value: every element quoted, so commas, braces, quotes and the word NULL stay what they are. */
    public CopyRows textArray(Collection<String> values) throws SQLException {
        if (values == null) {
            return text(null);
        }
        int next = lineStart ? 0 : column + 1;
        // In text format the array was remembered as its text, which a column no longer compared does not keep.
        if (next < REMEMBERED_COLUMNS && values.equals(lastArray[next]) && (binary || lastText[next] != null)) {
            if (binary) {
                sep();
                bytes(lastBytes[next]);
                return this;
            }
            return text(lastText[next]);
        }
        if (binary) {
            byte[] array = binaryArray(values);
            sep();
            bytes(array);
            if (next < REMEMBERED_COLUMNS) {
                lastText[next] = null;
                lastBytes[next] = array;
                lastArray[next] = new ArrayList<>(values);
            }
            return this;
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
            lastArray[next] = new ArrayList<>(values);
        }
        return this;
    }

    /** A one-dimensional text[] in PostgreSQL's binary array format, with its length in front. */
    private static byte[] binaryArray(Collection<String> values) {
        List<byte[]> elements = new ArrayList<>(values.size());
        boolean hasNull = false;
        int length = values.isEmpty() ? 12 : 20;
        for (String v : values) {
            byte[] e = v == null ? null : v.getBytes(StandardCharsets.UTF_8);
            hasNull |= e == null;
            elements.add(e);
            length += 4 + (e == null ? 0 : e.length);
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 + length);
        b.putInt(length).putInt(values.isEmpty() ? 0 : 1).putInt(hasNull ? 1 : 0).putInt(TEXT_OID);
        if (!values.isEmpty()) {
            b.putInt(values.size()).putInt(1);
        }
        for (byte[] e : elements) {
            if (e == null) {
                b.putInt(-1);
            } else {
                b.putInt(e.length).put(e);
            }
        }
        return b.array();
    }

    /**
     * A timestamptz to the microsecond, as PostgreSQL stores it. Rows of one batch usually share their time: format it
     * once with this and write it with {@link #raw} (text format; {@link #instant} does it in both).
     */
    public static String timestamp(Instant at) {
        return TIMESTAMP.format(at);
    }

    /** A value known to need no escaping (no backslash, tab or line break); in binary format, of a text column. */
    public CopyRows raw(String v) throws SQLException {
        return text(v, false);
    }

    private CopyRows text(String v, boolean escape) throws SQLException {
        sep();
        if (v == null) {
            nullValue();
        } else {
            value(v, escape);
        }
        return this;
    }

    public void endRow() throws SQLException {
        if (column + 1 != columns) {
            throw new IllegalStateException("a row of " + (column + 1) + " values for " + columns + " columns");
        }
        if (!binary) {
            put('\n');
        }
        lineStart = true;
        rows++;
    }

    public long rows() {
        return rows;
    }

    /**
     * Ends the COPY. Closed in the middle of a row (the caller failed while writing it), the COPY is cancelled instead,
     * so nothing of it is stored and the connection stays usable for the caller's rollback.
     */
    @Override
    public void close() throws SQLException {
        if (!in.isActive()) {
            return;
        }
        if (!lineStart) {
            in.cancelCopy();
            return;
        }
        if (binary) {
            ensure(2);
            buf[n++] = (byte) 0xFF; // the trailer: a field count of -1
            buf[n++] = (byte) 0xFF;
        }
        send();
        in.endCopy();
    }

    /** Writes a text value, as the bytes remembered for its column when it is the column's last value again. */
    private void value(String v, boolean escape) throws SQLException {
        int c = column;
        if (c < REMEMBERED_COLUMNS && compared[c] >= 0) {
            compared[c]++;
            String last = lastText[c];
            if (last != null && last.equals(v)) {
                repeated[c]++;
                byte[] known = lastBytes[c];
                if (known != null) {
                    bytes(known);
                    return;
                }
                int start = n;
                long sendsBefore = sends;
                encode(v, escape);
                if (sends == sendsBefore && n - start <= REMEMBERED_BYTES) {
                    lastBytes[c] = Arrays.copyOfRange(buf, start, n);
                }
                return;
            }
            boolean worthIt = compared[c] < PROBED_VALUES || repeated[c] * 4 >= compared[c];
            if (!worthIt) {
                compared[c] = -1;
            }
            lastText[c] = worthIt ? v : null;
            lastBytes[c] = null;
            lastArray[c] = null;
        }
        encode(v, escape);
    }

    private void encode(String v, boolean escape) throws SQLException {
        if (!binary) {
            utf8(v, escape);
            return;
        }
        // Binary: the length in front, so the value is encoded where it will be sent and its length put before it.
        int most = v.length() * 3; // UTF-8 bytes per UTF-16 char, at most
        if (4 + most > BUFFER) {
            byte[] large = v.getBytes(StandardCharsets.UTF_8);
            int32(large.length);
            bytes(large);
            return;
        }
        ensure(4 + most);
        int lengthAt = n;
        n += 4;
        utf8(v, false);
        int length = n - lengthAt - 4;
        INT32.set(buf, lengthAt, length);
    }

    private void bytes(byte[] b) throws SQLException {
        if (n > BUFFER - b.length) {
            send();
            if (b.length > BUFFER) {
                in.writeToCopy(b, 0, b.length);
                sends++;
                return;
            }
        }
        System.arraycopy(b, 0, buf, n, b.length);
        n += b.length;
    }

    /**
     * Encodes a string to UTF-8 into the buffer, escaping what the text format reads specially if asked. An unpaired
     * surrogate cannot be UTF-8: it becomes "?", as String.getBytes would send it. In binary format the caller has made
     * room for the whole value ({@link #encode}), so the buffer is never sent in the middle of it.
     */
    private void utf8(String v, boolean escape) throws SQLException {
        byte[] b = buf;
        boolean mayFlush = !binary;
        for (int i = 0, length = v.length(); i < length; i++) {
            if (mayFlush && n > BUFFER - WIDEST) {
                send();
            }
            char c = v.charAt(i);
            if (c < 0x80) {
                if (escape && mayFlush && (c == '\\' || c == '\t' || c == '\n' || c == '\r')) {
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

    private void nullValue() throws SQLException {
        if (binary) {
            int32(-1);
        } else {
            ascii("\\N");
        }
    }

    private void textFormatOnly(String what) {
        if (binary) {
            throw new IllegalStateException(what + " values are written in COPY's text format only");
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
        ensure(20);
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

    private void int32(int v) throws SQLException {
        ensure(4);
        INT32.set(buf, n, v);
        n += 4;
    }

    /** A binary eight-byte value with its length in front (bigint, timestamptz). */
    private void int64Value(long v) throws SQLException {
        ensure(12);
        INT32.set(buf, n, 8);
        INT64.set(buf, n + 4, v);
        n += 12;
    }

    private void put(char ascii) throws SQLException {
        ensure(1);
        buf[n++] = (byte) ascii;
    }

    /** Makes room for that many bytes (at most the buffer's size). */
    private void ensure(int bytes) throws SQLException {
        if (n > BUFFER - bytes) {
            send();
        }
    }

    private void send() throws SQLException {
        if (n > 0) {
            in.writeToCopy(buf, 0, n);
            n = 0;
            sends++;
        }
    }

    /** Starts the next value: a tab between values in text format, the column count before a row in binary. */
    private void sep() throws SQLException {
        if (lineStart) {
            column = 0;
            if (binary) {
                ensure(2);
                INT16.set(buf, n, (short) columns);
                n += 2;
            }
        } else {
            if (!binary) {
                put('\t');
            }
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
