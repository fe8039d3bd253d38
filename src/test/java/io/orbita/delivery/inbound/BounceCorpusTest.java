package io.orbita.delivery.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Runs the classifier on every message of the shared corpus of real bounces ({@code ../shared/testdata/bounces}) and
 * compares with what sisimai reports for them. Prints per-reason accuracy; asserts at least 90% on reason and 95% on
 * hard/soft. Skipped when the corpus is not beside the project.
 */
class BounceCorpusTest {

    private static final Path CORPUS = Path.of("../shared/testdata/bounces");

    private record Row(String file, String status, String replyCode, String reason, String hard) {
    }

    @Test
    void classifiesTheCorpus() throws IOException {
        assumeTrue(Files.isRegularFile(CORPUS.resolve("expected.csv")), "bounce corpus not found at " + CORPUS.toAbsolutePath());
        Map<String, List<Row>> expected = new TreeMap<>();
        List<String> lines = Files.readAllLines(CORPUS.resolve("expected.csv"), StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",", -1);
            List<Row> rows = expected.computeIfAbsent(f[0], k -> new ArrayList<>());
            if ("not-a-bounce".equals(f[4]) && !rows.isEmpty()) {
                continue;
            }
            rows.add(new Row(f[0], f[2], f[3], f[4], f[5]));
        }
        MailClassifier classifier = new MailClassifier();
        int rows = 0;
        int reasonOk = 0;
        int hardOk = 0;
        int statusOk = 0;
        int filesOk = 0;
        Map<String, int[]> perReason = new TreeMap<>();
        List<String> misses = new ArrayList<>();
        for (var e : expected.entrySet()) {
            byte[] raw = Files.readAllBytes(CORPUS.resolve("eml").resolve(e.getKey()));
            Classification c;
            try {
                c = classifier.classify(raw);
            } catch (NotMailException ex) {
                c = new Classification(InboundKind.OTHER, null, null, List.of(), List.of(), List.of());
                misses.add(e.getKey() + ": not mail: " + ex.getMessage());
            }
            List<Row> want = e.getValue();
            boolean notBounce = want.size() == 1 && "not-a-bounce".equals(want.get(0).reason());
            if (notBounce) {
                boolean ok = c.kind() == InboundKind.REPLY || c.kind() == InboundKind.OTHER;
                rows++;
                reasonOk += ok ? 1 : 0;
                hardOk += ok ? 1 : 0;
                statusOk++;
                filesOk += ok ? 1 : 0;
                perReason.computeIfAbsent("not-a-bounce", k -> new int[2])[0]++;
                perReason.get("not-a-bounce")[1] += ok ? 1 : 0;
                if (!ok) {
                    misses.add(e.getKey() + ": want not-a-bounce, got " + c.kind());
                }
                continue;
            }
            if (c.recipients().size() == want.size()) {
                filesOk++;
            }
            for (int i = 0; i < want.size(); i++) {
                Row w = want.get(i);
                Classification.Recipient got = i < c.recipients().size() ? c.recipients().get(i) : null;
                rows++;
                int[] pr = perReason.computeIfAbsent(w.reason(), k -> new int[2]);
                pr[0]++;
                boolean reason = got != null && w.reason().equals(got.reason());
                boolean hard = got != null ? Boolean.parseBoolean(w.hard()) == got.hard() : !Boolean.parseBoolean(w.hard());
                if (reason) {
                    reasonOk++;
                    pr[1]++;
                }
                if (hard) {
                    hardOk++;
                }
                if (got != null && w.status().equals(got.status() == null ? "" : got.status())) {
                    statusOk++;
                }
                if (!reason || !hard) {
                    misses.add(e.getKey() + "#" + (i + 1) + ": want " + w.reason() + "/" + w.status() + "/" + w.hard() + ", got "
                            + (got == null ? c.kind() + " (no recipient " + c.recipients().size() + ")"
                            : got.reason() + "/" + got.status() + "/" + got.hard() + " [" + abbreviate(got.diagnostic()) + "]"));
                }
            }
        }
        StringBuilder report = new StringBuilder("\nBounce corpus: ").append(expected.size()).append(" messages, ").append(rows)
                .append(" expected rows\n");
        perReason.forEach((reason, n) -> report.append(String.format("  %-16s %3d/%3d  %5.1f%%%n", reason, n[1], n[0], 100.0 * n[1] / n[0])));
        report.append(String.format("reason %.1f%%, hard/soft %.1f%%, status %.1f%%, recipient count per message %.1f%%%n",
                100.0 * reasonOk / rows, 100.0 * hardOk / rows, 100.0 * statusOk / rows, 100.0 * filesOk / expected.size()));
        misses.forEach(m -> report.append("  miss ").append(m).append('\n'));
        System.out.println(report);
        assertThat(100.0 * reasonOk / rows).as("reason accuracy").isGreaterThanOrEqualTo(90.0);
        assertThat(100.0 * hardOk / rows).as("hard/soft accuracy").isGreaterThanOrEqualTo(95.0);
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 140 ? s.substring(0, 140) + "…" : s;
    }
}
