package io.orbita.content.internal;

import io.orbita.content.LetterData;
import io.orbita.content.RenderedLetter;
import io.orbita.platform.WorkspaceId;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

/**
 * Messages per second for rendering alone (no database): a typical personalized library letter (the post-sale letter
 * with orders, recommendations and the manager block in a responsive frame) through Liquid, CSS inlining and the text
 * part, one thread, as a sending worker does. Run with {@code bench/render_bench.sh}; not a unit test.
 */
public final class RenderBench {

    public static void main(String[] args) throws IOException {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        String code = args.length > 1 ? args[1] : "post_sale";
        String frame = resource("/content/library/_frame.ru.html");
        String body = resource("/content/library/" + code + ".ru.html");
        Map<String, String> meta = new java.util.LinkedHashMap<>();
        String head = body.substring(4, body.indexOf("-->"));
        for (String line : head.split("\n")) {
            int c = line.indexOf(':');
            if (c > 0) {
                meta.put(line.substring(0, c).strip(), line.substring(c + 1).strip());
            }
        }
        String html = frame.replace("{{ content }}", body.substring(body.indexOf("-->") + 3));
        LiquidLetters letters = new LiquidLetters(null, new LetterModel(null, null, null, null, null, Clock.systemUTC()));
        LiquidLetters.Compiled compiled = letters.compile(WorkspaceId.of(1), new LiquidLetters.Source(null, null,
                meta.get("subject"), meta.get("preheader"), html, null, null), null, Map.of());
        @SuppressWarnings("unchecked")
        Map<String, Object> extra = meta.containsKey("data") && !meta.get("data").isBlank()
                ? tools.jackson.databind.json.JsonMapper.builder().build().readValue(meta.get("data"), Map.class) : Map.of();
        LetterData data = new LetterData(null, "ivan.petrov@example.ru", extra, new LetterData.LetterLinks(
                "https://orbita.example/u/abc", "https://orbita.example/p/abc", "https://orbita.example/w/abc"));
        RenderedLetter sample = letters.renderSample(compiled, data);
        if (!sample.warnings().isEmpty()) {
            throw new IllegalStateException("warnings: " + sample.warnings());
        }
        if (args.length > 2 && args[2].equals("print")) {
            System.out.println("SUBJECT: " + sample.subject() + "\nPREHEADER: " + sample.preheader() + "\n\n" + sample.text()
                    + "\n\n" + sample.html());
            return;
        }
        long warmupEnd = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < warmupEnd) {
            letters.renderSample(compiled, data);
        }
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        long n = 0;
        long bytes = 0;
        while (System.nanoTime() < end) {
            RenderedLetter r = letters.renderSample(compiled, data);
            bytes += r.html().length() + r.text().length();
            n++;
        }
        double secs = (System.nanoTime() - start) / 1e9;
        double cpu = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
        // Per CPU-second too: on a shared machine the wall-clock rate depends on what else runs.
        System.out.printf("RENDER-BENCH letter=%s messages=%d seconds=%.1f rate=%.0f msg/s cpu_seconds=%.1f rate_per_cpu_second=%.0f msg/s avg_chars=%d%n",
                code, n, secs, n / secs, cpu, n / cpu, bytes / Math.max(1, n));
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = RenderBench.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
