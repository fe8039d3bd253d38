package io.orbita.content;

import io.orbita.platform.NotFoundException;
import io.orbita.workspace.OrbitaPrincipal;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * Ready letters for the nine retention scenarios and the five kinds of mailing, in Russian and English, kept as
 * classpath resources ({@code content/library/<code>.<lang>.html}, metadata in the leading comment). Using one copies
 * it into the workspace as an ordinary template that the marketer then adapts.
 */
@Service
public class TemplateLibrary {

    /** Scenarios first, in the order of the product brief, then the kinds of mailing. */
    public static final List<String> CODES = List.of("welcome", "post_sale", "loyalty", "congratulations", "abandoned_cart",
            "reactivation", "nps", "renewal", "churn", "service_order", "news_update", "content_digest", "event_invite",
            "promo_offer");
    public static final List<String> LANGS = List.of("ru", "en");

    private final Map<String, LibraryTemplate> byKey = new LinkedHashMap<>();
    private final Templates templates;

    TemplateLibrary(Templates templates, JsonMapper json) {
        this.templates = templates;
        for (String lang : LANGS) {
            String frame = read("content/library/_frame." + lang + ".html");
            for (String code : CODES) {
                byKey.put(code + "." + lang, parse(code, lang, read("content/library/" + code + "." + lang + ".html"), frame, json));
            }
        }
    }

    public List<LibraryTemplate> list(String lang) {
        String l = lang != null && LANGS.contains(lang) ? lang : "ru";
        List<LibraryTemplate> out = new ArrayList<>();
        for (String code : CODES) {
            out.add(byKey.get(code + "." + l));
        }
        return out;
    }

    public LibraryTemplate get(String code, String lang) {
        LibraryTemplate t = byKey.get(code + "." + lang);
        if (t == null) {
            throw new NotFoundException("library template", code + "." + lang);
        }
        return t;
    }

    /** Copies a library letter into the workspace as a new template. */
    public Template use(OrbitaPrincipal by, String code, String lang) {
        LibraryTemplate t = get(code, lang);
        return templates.create(by, new TemplateInput(t.title(), t.kind(), t.scenario(), t.subject(), t.preheader(),
                t.html(), null, null), code);
    }

    private static String read(String path) {
        try (InputStream in = new ClassPathResource(path).getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("library resource missing: " + path, e);
        }
    }

    @SuppressWarnings("unchecked")
    static LibraryTemplate parse(String code, String lang, String source, String frame, JsonMapper json) {
        String s = source.stripLeading();
        if (!s.startsWith("<!--")) {
            throw new IllegalStateException("library template " + code + "." + lang + " has no metadata comment");
        }
        int end = s.indexOf("-->");
        Map<String, String> meta = new LinkedHashMap<>();
        for (String line : s.substring(4, end).split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                meta.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
        }
        String body = s.substring(end + 3).strip();
        String html = frame.replace("{{ content }}", body);
        Map<String, Object> data = meta.containsKey("data") && !meta.get("data").isBlank()
                ? json.readValue(meta.get("data"), Map.class) : Map.of();
        String scenario = meta.getOrDefault("scenario", "");
        return new LibraryTemplate(code, lang, meta.get("title"), meta.get("description"), meta.get("kind"),
                scenario.isBlank() ? null : scenario, meta.get("subject"), meta.get("preheader"), html, data);
    }
}
