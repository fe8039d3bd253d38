package io.orbita.audience;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackInputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.dhatim.fastexcel.reader.Cell;
import org.dhatim.fastexcel.reader.CellType;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.ReadingOptions;
import org.dhatim.fastexcel.reader.Row;

/**
 * Reads CSV and XLSX files row by row, as B2B users produce them: UTF-8 with or without BOM or Windows-1251 (Russian
 * Excel), separated by {@code ;}, {@code ,} or tab. Streams: memory does not grow with the file.
 */
final class TableReader implements Iterator<List<String>>, AutoCloseable {

    /** What was detected about a file, shown on the mapping step and kept with the import. */
    record Format(String format, String encoding, String delimiter) {
    }

    private static final Charset WINDOWS_1251 = Charset.forName("windows-1251");
    private static final int SNIFF = 64 * 1024;

    private final Iterator<List<String>> rows;
    private final AutoCloseable resource;

    private TableReader(Iterator<List<String>> rows, AutoCloseable resource) {
        this.rows = rows;
        this.resource = resource;
    }

    /** Guesses the format from the first bytes (an XLSX is a ZIP) and, for CSV, the encoding and the separator. */
    static Format detect(byte[] head, String fileName) {
        if (ReadableWorkbook.isOOXMLZipHeader(head)) {
            return new Format("xlsx", null, null);
        }
        if (ReadableWorkbook.isOLE2Header(head)) {
            throw new IllegalArgumentException("old Excel .xls files are not supported; save the file as .xlsx or CSV");
        }
        String encoding = encoding(head);
        String text = new String(head, Charset.forName(encoding));
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        return new Format("csv", encoding, String.valueOf(delimiter(text)));
    }

    static TableReader open(InputStream in, Format format) throws IOException {
        if (format.format().equals("xlsx")) {
            ReadableWorkbook book = new ReadableWorkbook(in, new ReadingOptions(true, false));
            Stream<Row> sheet = book.getFirstSheet().openStream();
            Iterator<Row> it = sheet.iterator();
            return new TableReader(new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public List<String> next() {
                    return cells(it.next());
                }
            }, () -> {
                sheet.close();
                book.close();
            });
        }
        PushbackInputStream pushback = new PushbackInputStream(in, 3);
        byte[] bom = pushback.readNBytes(3);
        if (!(bom.length == 3 && (bom[0] & 0xFF) == 0xEF && (bom[1] & 0xFF) == 0xBB && (bom[2] & 0xFF) == 0xBF)) {
            pushback.unread(bom);
        }
        Reader reader = new InputStreamReader(pushback, Charset.forName(format.encoding()));
        CSVFormat csv = CSVFormat.DEFAULT.builder().setDelimiter(format.delimiter().charAt(0))
                .setIgnoreEmptyLines(true).setTrim(false).get();
        Iterator<CSVRecord> it = csv.parse(reader).iterator();
        return new TableReader(new Iterator<>() {
            @Override
            public boolean hasNext() {
                try {
                    return it.hasNext();
                } catch (UncheckedIOException | IllegalStateException e) {
                    throw new IllegalArgumentException("the file cannot be read as CSV: " + e.getMessage(), e);
                }
            }

            @Override
            public List<String> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                // The record's own array, not copied (a CSVRecord iterates through a stream it builds per row); every
                // record has its own, and nothing else keeps it.
                return java.util.Arrays.asList(it.next().values());
            }
        }, reader);
    }

    @Override
    public boolean hasNext() {
        return rows.hasNext();
    }

    @Override
    public List<String> next() {
        return rows.next();
    }

    @Override
    public void close() throws Exception {
        resource.close();
    }

    /** UTF-8 when the bytes decode as UTF-8 (or carry its BOM), otherwise Windows-1251, the Russian Excel default. */
    static String encoding(byte[] head) {
        if (head.length >= 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF) {
            return "UTF-8";
        }
        int len = Math.min(head.length, SNIFF);
        // Do not let a multi-byte character cut at the end of the sample count as an error.
        while (len > 0 && len < head.length && (head[len] & 0xC0) == 0x80) {
            len--;
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(head, 0, len));
            return "UTF-8";
        } catch (CharacterCodingException e) {
            return WINDOWS_1251.name();
        }
    }

    /** The separator that splits the first lines into the same, largest number of columns. */
    static char delimiter(String sample) {
        String[] lines = sample.split("\r?\n", 6);
        char best = ',';
        int bestScore = -1;
        for (char d : new char[] {';', ',', '\t'}) {
            int first = count(lines[0], d);
            if (first == 0) {
                continue;
            }
            int consistent = 0;
            for (int i = 1; i < Math.min(lines.length, 5); i++) {
                if (count(lines[i], d) == first) {
                    consistent++;
                }
            }
            int score = consistent * 1000 + first;
            if (score > bestScore) {
                bestScore = score;
                best = d;
            }
        }
        return best;
    }

    private static int count(String line, char d) {
        int n = 0;
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (c == d && !quoted) {
                n++;
            }
        }
        return n;
    }

    private static List<String> cells(Row row) {
        int n = row.getCellCount();
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Cell c = row.getCell(i);
            out.add(c == null ? "" : text(c));
        }
        return out;
    }

    /** Numbers without spurious ".0", dates (by their cell format) as ISO dates. */
    private static String text(Cell c) {
        if (c.getType() == CellType.NUMBER) {
            String fmt = c.getDataFormatString();
            if (fmt != null && fmt.matches("(?i).*[dmy].*") && !fmt.matches("(?i).*0.*")) {
                var dt = c.asDate();
                return dt.getHour() == 0 && dt.getMinute() == 0 ? dt.toLocalDate().toString() : dt.toString();
            }
            BigDecimal v = c.asNumber();
            return v.stripTrailingZeros().toPlainString();
        }
        String t = c.getText();
        return t == null ? "" : t;
    }
}
