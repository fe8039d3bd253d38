package io.orbita.content.internal;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.jsoup.select.Selector;

/**
 * Moves {@code <style>} rules into {@code style=""} attributes, because Gmail, Outlook and Yandex Mail drop or ignore
 * much of a head stylesheet. Only what inlining can express is moved: rules with simple selectors. Media queries,
 * pseudo-classes, {@code @font-face} and anything jsoup cannot select stay in one {@code <style>} block, where the
 * clients that understand them (mobile layouts) still find them. Everything else of the document is kept as it was:
 * HTML without a stylesheet is returned untouched, character for character.
 */
public final class CssInliner {

    private CssInliner() {
    }

    private record Rule(String selector, List<String[]> declarations, int specificity, int order) {
    }

    public static String inline(String html) {
        if (html == null || !containsStyle(html)) {
            return html;
        }
        Document doc = Jsoup.parse(html);
        doc.outputSettings().prettyPrint(false).charset("UTF-8");
        List<Rule> rules = new ArrayList<>();
        StringBuilder kept = new StringBuilder();
        Elements styles = doc.select("style");
        int order = 0;
        for (Element style : styles) {
            String media = style.attr("media").strip().toLowerCase(java.util.Locale.ROOT);
            if (style.hasAttr("data-embed") || style.hasAttr("data-noinline") || !(media.isEmpty() || media.equals("all") || media.equals("screen"))) {
                continue;
            }
            String css = stripComments(style.data());
            int i = 0;
            while (i < css.length()) {
                int brace = css.indexOf('{', i);
                if (brace < 0) {
                    break;
                }
                String head = css.substring(i, brace).strip();
                int end = matchingBrace(css, brace);
                String body = css.substring(brace + 1, end < 0 ? css.length() : end);
                i = end < 0 ? css.length() : end + 1;
                if (head.startsWith("@")) {
                    kept.append(head).append('{').append(body).append("}\n");
                    continue;
                }
                List<String[]> decls = declarations(body);
                List<String> keptSelectors = new ArrayList<>();
                for (String sel : head.split(",")) {
                    String s = sel.strip();
                    if (s.isEmpty()) {
                        continue;
                    }
                    if (s.contains(":") || s.contains("*")) {
                        keptSelectors.add(s);
                    } else {
                        rules.add(new Rule(s, decls, specificity(s), order++));
                    }
                }
                if (!keptSelectors.isEmpty()) {
                    kept.append(String.join(", ", keptSelectors)).append('{').append(body).append("}\n");
                }
            }
            style.remove();
        }
        rules.sort((a, b) -> a.specificity != b.specificity ? Integer.compare(a.specificity, b.specificity) : Integer.compare(a.order, b.order));
        Map<Element, Map<String, String>> computed = new IdentityHashMap<>();
        Map<Element, Map<String, String>> important = new IdentityHashMap<>();
        for (Rule rule : rules) {
            Elements matched;
            try {
                matched = doc.body() == null ? new Elements() : doc.body().select(rule.selector);
                if (rule.selector.equalsIgnoreCase("body") && doc.body() != null) {
                    matched = new Elements(doc.body());
                }
            } catch (Selector.SelectorParseException e) {
                kept.append(rule.selector).append('{').append(join(rule.declarations)).append("}\n");
                continue;
            }
            for (Element el : matched) {
                for (String[] d : rule.declarations) {
                    if (d[1].toLowerCase(java.util.Locale.ROOT).endsWith("!important")) {
                        important.computeIfAbsent(el, k -> new LinkedHashMap<>()).put(d[0], d[1]);
                    } else {
                        computed.computeIfAbsent(el, k -> new LinkedHashMap<>()).put(d[0], d[1]);
                    }
                }
            }
        }
        java.util.Set<Element> touched = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        touched.addAll(computed.keySet());
        touched.addAll(important.keySet());
        for (Element el : touched) {
            Map<String, String> merged = new LinkedHashMap<>(computed.getOrDefault(el, Map.of()));
            for (String[] d : declarations(el.attr("style"))) {
                merged.remove(d[0]);
                merged.put(d[0], d[1]);
            }
            important.getOrDefault(el, Map.of()).forEach((k, v) -> {
                merged.remove(k);
                merged.put(k, v);
            });
            StringBuilder style = new StringBuilder();
            merged.forEach((k, v) -> style.append(style.isEmpty() ? "" : " ").append(k).append(": ").append(v).append(';'));
            el.attr("style", style.toString());
        }
        if (!kept.isEmpty()) {
            Element head = doc.head();
            head.appendElement("style").attr("type", "text/css").appendChild(new org.jsoup.nodes.DataNode(kept.toString()));
        }
        String out = doc.outerHtml();
        String doctype = leadingDoctype(html);
        if (doctype != null && !out.regionMatches(true, 0, "<!doctype", 0, 9)) {
            out = doctype + out;
        }
        return out;
    }

    private static boolean containsStyle(String html) {
        return html.toLowerCase(java.util.Locale.ROOT).contains("<style");
    }

    private static String leadingDoctype(String html) {
        String t = html.stripLeading();
        if (t.regionMatches(true, 0, "<!doctype", 0, 9)) {
            int end = t.indexOf('>');
            return end < 0 ? null : t.substring(0, end + 1) + "\n";
        }
        return null;
    }

    private static String join(List<String[]> decls) {
        StringBuilder s = new StringBuilder();
        for (String[] d : decls) {
            s.append(d[0]).append(": ").append(d[1]).append(';');
        }
        return s.toString();
    }

    static List<String[]> declarations(String body) {
        List<String[]> out = new ArrayList<>();
        if (body == null) {
            return out;
        }
        for (String part : splitDeclarations(body)) {
            int colon = part.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = part.substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT);
            String value = part.substring(colon + 1).strip();
            if (!name.isEmpty() && !value.isEmpty()) {
                out.add(new String[] {name, value});
            }
        }
        return out;
    }

    /** Splits on semicolons outside quotes and parentheses ({@code url(data:...;base64,...)} has one). */
    private static List<String> splitDeclarations(String body) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        char quote = 0;
        int start = 0;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth = Math.max(0, depth - 1);
            } else if (c == ';' && depth == 0) {
                out.add(body.substring(start, i));
                start = i + 1;
            }
        }
        out.add(body.substring(start));
        return out;
    }

    private static String stripComments(String css) {
        return css.replaceAll("(?s)/\\*.*?\\*/", "");
    }

    private static int matchingBrace(String css, int open) {
        int depth = 0;
        for (int i = open; i < css.length(); i++) {
            char c = css.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** CSS specificity packed into one int: ids, then classes and attributes, then elements. */
    static int specificity(String selector) {
        int ids = 0;
        int classes = 0;
        int elements = 0;
        for (String part : selector.split("[\\s>+~]+")) {
            if (part.isEmpty()) {
                continue;
            }
            String rest = part;
            if (Character.isLetter(rest.charAt(0))) {
                elements++;
            }
            for (int i = 0; i < rest.length(); i++) {
                char c = rest.charAt(i);
                if (c == '#') {
                    ids++;
                } else if (c == '.' || c == '[') {
                    classes++;
                }
            }
        }
        return ids * 10_000 + classes * 100 + elements;
    }
}
