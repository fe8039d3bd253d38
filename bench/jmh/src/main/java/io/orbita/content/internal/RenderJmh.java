package io.orbita.content.internal;

import io.orbita.content.LetterData;
import io.orbita.content.RenderedLetter;
import io.orbita.platform.WorkspaceId;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Template rendering alone, as a sending lane does it per message: a letter parsed once, then rendered per recipient
 * through Liquid (subject, preheader, HTML with the personal-manager block, orders and recommendations), CSS inlining
 * and the plain-text part; no database (the model's sample client). Messages per second per thread.
 *
 * <ul>
 *   <li>{@code library}: a library letter in its responsive frame (stylesheet to inline), {@code letter} picks it;</li>
 *   <li>{@code sendBench}: the letter of {@code bench/send_bench.sh} (inline Liquid, no stylesheet).</li>
 * </ul>
 * Run with {@code bench/render_jmh.sh}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m"})
@State(Scope.Thread)
public class RenderJmh {

    @Param({"post_sale"})
    public String letter;

    private LiquidLetters letters;
    private LiquidLetters.Compiled library;
    private LiquidLetters.Compiled sendBench;
    private LetterData data;

    @Setup(Level.Trial)
    public void prepare() throws IOException {
        letters = new LiquidLetters(null, new LetterModel(null, null, null, null, null, Clock.systemUTC()));
        String frame = resource("/content/library/_frame.ru.html");
        String body = resource("/content/library/" + letter + ".ru.html");
        Map<String, String> meta = new LinkedHashMap<>();
        for (String line : body.substring(4, body.indexOf("-->")).split("\n")) {
            int c = line.indexOf(':');
            if (c > 0) {
                meta.put(line.substring(0, c).strip(), line.substring(c + 1).strip());
            }
        }
        String html = frame.replace("{{ content }}", body.substring(body.indexOf("-->") + 3));
        library = letters.compile(WorkspaceId.of(1), new LiquidLetters.Source(null, null, meta.get("subject"),
                meta.get("preheader"), html, null, null), null, Map.of());
        String benchHtml = "<html><body><h1>Здравствуйте, {{ contact.first_name }}!</h1>"
                + "<p>Для вашей компании мы подготовили подборку новинок декабря. " + "Подробности по ссылке ниже. ".repeat(20) + "</p>"
                + "<p><a href=\"https://shop.example/offer?c={{ contact.id }}\">Посмотреть предложение</a></p>"
                + "<p>Ваш персональный менеджер, Анна Смирнова</p></body></html>";
        sendBench = letters.compile(WorkspaceId.of(1), new LiquidLetters.Source(null, null,
                "{{ contact.first_name }}, новинки декабря", null, benchHtml, null, null), null, Map.of());
        @SuppressWarnings("unchecked")
        Map<String, Object> extra = meta.containsKey("data") && !meta.get("data").isBlank()
                ? tools.jackson.databind.json.JsonMapper.builder().build().readValue(meta.get("data"), Map.class) : Map.of();
        data = new LetterData(null, "ivan.petrov@example.ru", extra, new LetterData.LetterLinks(
                "https://orbita.example/u/abc", "https://orbita.example/p/abc", "https://orbita.example/w/abc"));
        RenderedLetter sample = letters.renderSample(library, data);
        if (!sample.warnings().isEmpty()) {
            throw new IllegalStateException("the letter renders with warnings: " + sample.warnings());
        }
    }

    @Benchmark
    public RenderedLetter library() {
        return letters.renderSample(library, data);
    }

    @Benchmark
    public RenderedLetter sendBench() {
        return letters.renderSample(sendBench, data);
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = RenderJmh.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("no resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
