package io.orbita.platform.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.orbita.OrbitaIT;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** What goes through COPY comes back from the table exactly: text of any script, arrays, times, ids reserved ahead. */
class CopyRowsIT extends OrbitaIT {

    @Autowired
    DataSource dataSource;

    @Test
    void everyValueArrivesAsWritten() throws Exception {
        // Longer than the byte buffer (64 KB), so the UTF-8 encoding and the escapes cross the borders where it is sent.
        String long2 = "Ж".repeat(70_000) + "🎄" + "x".repeat(70_000) + "\\\t".repeat(40_000);
        List<String> texts = List.of("Иван Петров", "tab\there", "line\nbreak\r\n", "back\\slash", "emoji 🎄 and Ё",
                "\\N", "", long2, "unpaired " + '\uDC00' + " surrogate");
        Instant at = Instant.parse("2026-11-23T21:04:05.123456Z");
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.createStatement().execute("create temp table copy_probe (id bigint generated always as identity, t text, "
                    + "tags text[], at timestamptz, d date, n bigint, m numeric(14, 2)) on commit drop");
            long[] ids = CopyRows.nextIds(c, "copy_probe", "id", texts.size());
            assertThat(ids).doesNotHaveDuplicates().hasSize(texts.size());
            try (CopyRows out = new CopyRows(c, "copy_probe", "id, t, tags, at, d, n, m")) {
                for (int i = 0; i < texts.size(); i++) {
                    out.number(ids[i]).text(texts.get(i)).textArray(List.of("{a,b}", "\"q\"", "NULL", texts.get(i)))
                            .raw(CopyRows.timestamp(at)).date(LocalDate.of(1992, 2, 29)).nullable(i == 0 ? null : (long) -i)
                            .money(-12_345L);
                    out.endRow();
                }
                out.number(ids[0] + 1_000_000).text(null).textArray(null).text(null).date(null).nullable(null).text(null);
                out.endRow();
            }
            List<String> back = new ArrayList<>();
            try (ResultSet rs = c.createStatement().executeQuery("select id, t, tags, at, d, n, m from copy_probe order by id")) {
                int i = 0;
                while (rs.next()) {
                    if (i == texts.size()) {
                        assertThat(rs.getString(2)).isNull();
                        assertThat(rs.getArray(3)).isNull();
                        break;
                    }
                    assertThat(rs.getLong(1)).isEqualTo(ids[i]);
                    back.add(rs.getString(2));
                    assertThat((String[]) rs.getArray(3).getArray()).containsExactly("{a,b}", "\"q\"", "NULL", texts.get(i)
                            .replace('\uDC00', '?'));
                    assertThat(rs.getTimestamp(4).toInstant()).isEqualTo(at);
                    assertThat(rs.getDate(5).toLocalDate()).isEqualTo(LocalDate.of(1992, 2, 29));
                    assertThat(rs.getObject(6)).isEqualTo(i == 0 ? null : (long) -i);
                    assertThat(rs.getBigDecimal(7)).isEqualByComparingTo("-123.45");
                    i++;
                }
                assertThat(i).isEqualTo(texts.size());
            }
            // An unpaired surrogate cannot be UTF-8: it arrives as "?", as String.getBytes would have sent it.
            assertThat(back).containsExactlyElementsOf(texts.stream().map(t -> t.replace('\uDC00', '?')).toList());
            c.rollback();
        }
    }

    @Test
    void numbersMoneyAndTimesArriveExactly() throws Exception {
        long[] numbers = {0, 7, 10, 99, 100, 123_456_789_012L, Long.MAX_VALUE, -1, -10, Long.MIN_VALUE};
        long[] kopecks = {0, 5, 100, 12_345, -1, -99_999_999_999L};
        long[] seconds = {0, 86_399, 1_795_000_000L, -1};
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.createStatement().execute("create temp table copy_numbers (i int, n bigint, m numeric(14, 2), at timestamptz) on commit drop");
            int rows = Math.max(numbers.length, Math.max(kopecks.length, seconds.length));
            try (CopyRows out = new CopyRows(c, "copy_numbers", "i, n, m, at")) {
                for (int i = 0; i < rows; i++) {
                    out.number(i).number(numbers[i % numbers.length]).money(kopecks[i % kopecks.length]).time(seconds[i % seconds.length]);
                    out.endRow();
                }
            }
            try (ResultSet rs = c.createStatement().executeQuery("select i, n, m, at from copy_numbers order by i")) {
                int i = 0;
                while (rs.next()) {
                    assertThat(rs.getInt(1)).isEqualTo(i);
                    assertThat(rs.getLong(2)).isEqualTo(numbers[i % numbers.length]);
                    assertThat(rs.getBigDecimal(3)).isEqualByComparingTo(java.math.BigDecimal.valueOf(kopecks[i % kopecks.length], 2));
                    assertThat(rs.getTimestamp(4).toInstant()).isEqualTo(Instant.ofEpochSecond(seconds[i % seconds.length]));
                    i++;
                }
                assertThat(i).isEqualTo(rows);
            }
            c.rollback();
        }
    }

    /** Values repeated down a column are copied as the bytes written before; what arrives must not change by it. */
    @Test
    void valuesRepeatedDownAColumnArriveAsWritten() throws Exception {
        int rows = 30_000; // several times the 64 KB buffer, so remembered values land on every border
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.createStatement().execute("create temp table copy_repeats (i int, same text, changing text, tags text[], "
                    + "long_text text, raw_text text) on commit drop");
            try (CopyRows out = new CopyRows(c, "copy_repeats", "i, same, changing, tags, long_text, raw_text")) {
                for (int i = 0; i < rows; i++) {
                    out.number(i).text(new String("Менеджер\tпо закупкам")).text(expectedChanging(i))
                            .textArray(expectedTags(i)).text(expectedLong(i)).raw(i % 5 == 0 ? null + "" : "2026-11-24");
                    out.endRow();
                }
            }
            try (ResultSet rs = c.createStatement().executeQuery("select i, same, changing, tags, long_text, raw_text from copy_repeats order by i")) {
                int i = 0;
                while (rs.next()) {
                    assertThat(rs.getInt(1)).isEqualTo(i);
                    assertThat(rs.getString(2)).isEqualTo("Менеджер\tпо закупкам");
                    assertThat(rs.getString(3)).isEqualTo(expectedChanging(i));
                    assertThat((String[]) rs.getArray(4).getArray()).containsExactlyElementsOf(expectedTags(i));
                    assertThat(rs.getString(5)).isEqualTo(expectedLong(i));
                    assertThat(rs.getString(6)).isEqualTo(i % 5 == 0 ? "null" : "2026-11-24");
                    i++;
                }
                assertThat(i).isEqualTo(rows);
            }
            c.rollback();
        }
    }

    private static String expectedChanging(int i) {
        return i % 7 < 3 ? "Ёлка 🎄" : "row " + i / 3;
    }

    private static List<String> expectedTags(int i) {
        return i % 4 == 3 ? List.of("vip", "b\\2b") : List.of("bench");
    }

    private static String expectedLong(int i) {
        return ("Ж" + i / 10).repeat(100);
    }
}
