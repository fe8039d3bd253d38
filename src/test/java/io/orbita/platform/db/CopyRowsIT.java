package io.orbita.platform.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orbita.OrbitaIT;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * What goes through COPY, in text and in binary format, comes back from the table exactly: text of any script, arrays,
 * json, dates and times, numbers, ids reserved ahead.
 */
class CopyRowsIT extends OrbitaIT {

    @Autowired
    DataSource dataSource;

    private static CopyRows open(Connection c, boolean binary, String table, String columns) throws SQLException {
        return binary ? CopyRows.binary(c, table, columns) : new CopyRows(c, table, columns);
    }

    @ParameterizedTest(name = "binary: {0}")
    @ValueSource(booleans = {false, true})
    void everyValueArrivesAsWritten(boolean binary) throws Exception {
        // Longer than the byte buffer (64 KB), so the UTF-8 encoding and the escapes cross the borders where it is sent.
        String long2 = "Ж".repeat(70_000) + "🎄" + "x".repeat(70_000) + "\\\t".repeat(40_000);
        List<String> texts = List.of("Иван Петров", "tab\there", "line\nbreak\r\n", "back\\slash", "emoji 🎄 and Ё",
                "\\N", "", long2, "unpaired " + '\uDC00' + " surrogate");
        Instant at = Instant.parse("2026-11-23T21:04:05.123456Z");
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.createStatement().execute("create temp table copy_probe (id bigint generated always as identity, t text, "
                    + "tags text[], at timestamptz, d date, n bigint, j jsonb, m numeric(14, 2)) on commit drop");
            long[] ids = CopyRows.nextIds(c, "copy_probe", "id", texts.size());
            assertThat(ids).doesNotHaveDuplicates().hasSize(texts.size()).isSorted();
            assertThat(ids[0]).isPositive();
            // Reserved ids are the sequence's own: the next value drawn comes after all of them.
            try (ResultSet rs = c.createStatement().executeQuery("select nextval(pg_get_serial_sequence('copy_probe', 'id'))")) {
                rs.next();
                assertThat(rs.getLong(1)).isGreaterThan(ids[ids.length - 1]);
            }
            assertThat(CopyRows.nextIds(c, "copy_probe", "id", 0)).isEmpty();
            // Money is written in text format only.
            try (CopyRows out = open(c, binary, "copy_probe", "id, t, tags, at, d, n, j" + (binary ? "" : ", m"))) {
                for (int i = 0; i < texts.size(); i++) {
                    out.number(ids[i]).text(texts.get(i)).textArray(List.of("{a,b}", "\"q\"", "NULL", texts.get(i)))
                            .instant(at).date(LocalDate.of(1992, 2, 29)).nullable(i == 0 ? null : (long) -i)
                            .jsonb("{\"name\": \"Ёлка " + i + "\", \"tab\": \"\\t\"}");
                    if (!binary) {
                        out.money(-12_345L);
                    }
                    out.endRow();
                }
                out.number(ids[0] + 1_000_000).text(null).textArray(null).instant(null).date(null).nullable(null).jsonb(null);
                if (!binary) {
                    out.text(null);
                }
                out.endRow();
            }
            List<String> back = new ArrayList<>();
            try (ResultSet rs = c.createStatement().executeQuery("select id, t, tags, at, d, n, j ->> 'name', j ->> 'tab', m "
                    + "from copy_probe order by id")) {
                int i = 0;
                while (rs.next()) {
                    if (i == texts.size()) {
                        for (int column = 2; column <= 9; column++) {
                            assertThat(rs.getObject(column)).as("column %d of the row of nulls", column).isNull();
                        }
                        break;
                    }
                    assertThat(rs.getLong(1)).isEqualTo(ids[i]);
                    back.add(rs.getString(2));
                    assertThat((String[]) rs.getArray(3).getArray()).containsExactly("{a,b}", "\"q\"", "NULL", texts.get(i)
                            .replace('\uDC00', '?'));
                    assertThat(rs.getTimestamp(4).toInstant()).isEqualTo(at);
                    assertThat(rs.getDate(5).toLocalDate()).isEqualTo(LocalDate.of(1992, 2, 29));
                    assertThat(rs.getObject(6)).isEqualTo(i == 0 ? null : (long) -i);
                    assertThat(rs.getString(7)).isEqualTo("Ёлка " + i);
                    assertThat(rs.getString(8)).isEqualTo("\t");
                    if (!binary) {
                        assertThat(rs.getBigDecimal(9)).isEqualByComparingTo("-123.45");
                    }
                    i++;
                }
                assertThat(i).isEqualTo(texts.size());
            }
            // An unpaired surrogate cannot be UTF-8: it arrives as "?", as String.getBytes would have sent it.
            assertThat(back).containsExactlyElementsOf(texts.stream().map(t -> t.replace('\uDC00', '?')).toList());
            c.rollback();
        }
    }

    @ParameterizedTest(name = "binary: {0}")
    @ValueSource(booleans = {false, true})
    void numbersMoneyAndTimesArriveExactly(boolean binary) throws Exception {
        long[] numbers = {0, 7, 10, 99, 100, 123_456_789_012L, Long.MAX_VALUE, -1, -10, Long.MIN_VALUE};
        long[] kopecks = {0, 5, 100, 12_345, -1, -99_999_999_999L};
        long[] seconds = {0, 86_399, 1_795_000_000L, -1, -1_000_000_000L};
        LocalDate[] dates = {LocalDate.of(2000, 1, 1), LocalDate.of(1999, 12, 31), LocalDate.of(1900, 3, 1), LocalDate.of(2100, 2, 28)};
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.createStatement().execute("create temp table copy_numbers (i bigint, n bigint, m numeric(14, 2), at timestamptz, "
                    + "exact timestamptz, d date) on commit drop");
            int rows = 12;
            try (CopyRows out = open(c, binary, "copy_numbers", binary ? "i, n, exact, d" : "i, n, m, at, exact, d")) {
                for (int i = 0; i < rows; i++) {
                    out.number(i).number(numbers[i % numbers.length]);
                    if (!binary) {
                        out.money(kopecks[i % kopecks.length]).time(seconds[i % seconds.length]);
                    }
                    out.instant(Instant.ofEpochSecond(seconds[i % seconds.length], 123_456_000)).date(dates[i % dates.length]);
                    out.endRow();
                }
            }
            try (ResultSet rs = c.createStatement().executeQuery("select i, n, m, at, exact, d from copy_numbers order by i")) {
                int i = 0;
                while (rs.next()) {
                    assertThat(rs.getInt(1)).isEqualTo(i);
                    assertThat(rs.getLong(2)).isEqualTo(numbers[i % numbers.length]);
                    if (!binary) {
                        assertThat(rs.getBigDecimal(3)).isEqualByComparingTo(java.math.BigDecimal.valueOf(kopecks[i % kopecks.length], 2));
                        assertThat(rs.getTimestamp(4).toInstant()).isEqualTo(Instant.ofEpochSecond(seconds[i % seconds.length]));
                    }
                    assertThat(rs.getTimestamp(5).toInstant()).isEqualTo(Instant.ofEpochSecond(seconds[i % seconds.length], 123_456_000));
                    assertThat(rs.getDate(6).toLocalDate()).isEqualTo(dates[i % dates.length]);
                    i++;
                }
                assertThat(i).isEqualTo(rows);
            }
            c.rollback();
        }
    }

    /**
     * Values repeated down a column are copied as the bytes written before; what arrives must not change by it, also in
     * columns that stop being compared because their first values all differed.
     */
    @ParameterizedTest(name = "binary: {0}")
    @ValueSource(booleans = {false, true})
    void valuesRepeatedDownAColumnArriveAsWritten(boolean binary) throws Exception {
        int rows = 30_000; // several times the 64 KB buffer, so remembered values land on every border
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.createStatement().execute("create temp table copy_repeats (i bigint, same text, changing text, tags text[], "
                    + "long_text text, raw_text text, settling text, settling_tags text[]) on commit drop");
            try (CopyRows out = open(c, binary, "copy_repeats", "i, same, changing, tags, long_text, raw_text, settling, settling_tags")) {
                for (int i = 0; i < rows; i++) {
                    out.number(i).text(new String("Менеджер\tпо закупкам")).text(expectedChanging(i))
                            .textArray(expectedTags(i)).text(expectedLong(i)).raw(i % 5 == 0 ? null : "2026-11-24")
                            .text(expectedSettling(i)).textArray(expectedSettlingTags(i));
                    out.endRow();
                }
            }
            try (ResultSet rs = c.createStatement().executeQuery("select i, same, changing, tags, long_text, raw_text, settling, settling_tags from copy_repeats order by i")) {
                int i = 0;
                while (rs.next()) {
                    assertThat(rs.getInt(1)).isEqualTo(i);
                    assertThat(rs.getString(2)).isEqualTo("Менеджер\tпо закупкам");
                    assertThat(rs.getString(3)).isEqualTo(expectedChanging(i));
                    assertThat((String[]) rs.getArray(4).getArray()).containsExactlyElementsOf(expectedTags(i));
                    assertThat(rs.getString(5)).isEqualTo(expectedLong(i));
                    assertThat(rs.getString(6)).isEqualTo(i % 5 == 0 ? null : "2026-11-24");
                    assertThat(rs.getString(7)).isEqualTo(expectedSettling(i));
                    assertThat((String[]) rs.getArray(8).getArray()).containsExactlyElementsOf(expectedSettlingTags(i));
                    i++;
                }
                assertThat(i).isEqualTo(rows);
            }
            c.rollback();
        }
    }

    /**
     * Binary format cannot take a value it has no encoding for, nor a row with a value too few: refused at once. A COPY
     * closed in the middle of a row is cancelled, and the connection goes on.
     */
    @Test
    void binaryFormatRefusesWhatItCannotSend() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.createStatement().execute("create temp table copy_refused (n bigint, m numeric(14, 2))");
            c.commit();
            try (CopyRows out = CopyRows.binary(c, "copy_refused", "n, m")) {
                out.number(1).nullable(null).endRow();
                out.number(2);
                assertThatThrownBy(() -> out.money(100)).isInstanceOf(IllegalStateException.class).hasMessageContaining("text format");
                assertThatThrownBy(out::endRow).isInstanceOf(IllegalStateException.class).hasMessageContaining("1 values for 2 columns");
            } catch (SQLException cancelled) {
                // the cancel may report itself; what matters is what follows
            }
            c.rollback();
            try (ResultSet rs = c.createStatement().executeQuery("select count(*) from copy_refused")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).as("nothing of a cancelled COPY is stored").isZero();
            }
            c.createStatement().execute("drop table copy_refused");
            c.commit();
        }
    }

    private static String expectedChanging(int i) {
        return i % 7 < 3 ? "Ёлка 🎄" : "row " + i / 3;
    }

    private static List<String> expectedTags(int i) {
        return i % 4 == 3 ? List.of("vip", "b\\2b") : i % 4 == 2 ? List.of() : List.of("bench");
    }

    /** Different in every one of the first rows (the column stops being compared), then the same. */
    private static String expectedSettling(int i) {
        return i < 200 ? "только " + i : "дальше одно и то же";
    }

    private static List<String> expectedSettlingTags(int i) {
        return i < 200 ? List.of("t" + i) : List.of("одинаковые", "теги");
    }

    private static String expectedLong(int i) {
        return ("Ж" + i / 10).repeat(100);
    }
}
