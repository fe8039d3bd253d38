package io.orbita.delivery.web;

import io.orbita.delivery.Suppressions;
import io.orbita.platform.WorkspaceId;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** CSV in and out of the suppression list: shared by the API and the page. */
final class SuppressionCsv {

    private static final Pattern CELL_SPLIT = Pattern.compile("[,;\\t]");

    private SuppressionCsv() {
    }

    /**
     * Addresses from a CSV or plain list: per line, the first cell that contains an @ (so a header line, extra columns
     * and any of the separators , ; tab work). UTF-8, with or without BOM.
     */
    static List<String> read(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<String> out = new ArrayList<>();
        for (String line : text.split("\r?\n")) {
            for (String cell : CELL_SPLIT.split(line)) {
                String c = cell.strip();
                if (c.startsWith("\"") && c.endsWith("\"") && c.length() >= 2) {
                    c = c.substring(1, c.length() - 1).strip();
                }
                if (c.contains("@")) {
                    out.add(c);
                    break;
                }
            }
        }
        return out;
    }

    static void write(Suppressions suppressions, WorkspaceId ws, OutputStream out) throws IOException {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        w.write('\uFEFF');
        try (CSVPrinter csv = new CSVPrinter(w, CSVFormat.DEFAULT.builder()
                .setHeader("address", "reason", "created_at", "source_message_id", "note").get())) {
            suppressions.forEach(ws, e -> {
                try {
                    csv.printRecord(e.address(), e.reason().code(), e.createdAt().toString(),
                            e.sourceMessageId() == null ? "" : e.sourceMessageId().toString(), safe(e.note()));
                } catch (IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
            });
        }
    }

    /** Spreadsheet programs run cells that start with = + - @ as formulas. */
    private static String safe(String s) {
        if (s == null) {
            return "";
        }
        return !s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0 ? "'" + s : s;
    }
}
