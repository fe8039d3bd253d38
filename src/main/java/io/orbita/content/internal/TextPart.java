package io.orbita.content.internal;

import java.util.Locale;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;

/**
 * The plain-text alternative made from a letter's HTML: paragraphs and table rows become lines, links keep their
 * address as "text (url)", images their alt text, and hidden parts (the preheader, styles) are left out. Spam filters
 * and text-only readers both look at this part, so it must say what the HTML says.
 */
public final class TextPart {

    private static final Set<String> BLOCKS = Set.of("p", "div", "table", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
            "ul", "ol", "li", "blockquote", "section", "article", "header", "footer", "hr", "center", "pre", "address");
    private static final Set<String> SKIP = Set.of("style", "script", "head", "title", "noscript", "template");

    /** Compiled once: {@code String.replaceAll} compiles its pattern on every call (per line of every letter here). */
    private static final java.util.regex.Pattern WHITESPACE = java.util.regex.Pattern.compile("\\s+");
    private static final java.util.regex.Pattern BLANKS = java.util.regex.Pattern.compile("[ \\t\\x0B\\f\\r]+");

    private TextPart() {
    }

    public static String of(String html) {
        if (html == null || html.isBlank()) {
            return "";
        }
        return of(Jsoup.parse(html));
    }

    static String of(org.jsoup.nodes.Document doc) {
        Element body = doc.body();
        StringBuilder out = new StringBuilder();
        walk(body, out);
        return tidy(out.toString());
    }

    private static void walk(Node node, StringBuilder out) {
        for (Node child : node.childNodes()) {
            if (child instanceof TextNode t) {
                out.append(t.text());
            } else if (child instanceof Element el) {
                String tag = el.normalName();
                if (SKIP.contains(tag) || hidden(el)) {
                    continue;
                }
                switch (tag) {
                    case "br" -> out.append('\n');
                    case "img" -> {
                        String alt = el.attr("alt").strip();
                        if (!alt.isEmpty()) {
                            out.append(alt);
                        }
                    }
                    case "a" -> link(el, out);
                    case "td", "th" -> {
                        walk(el, out);
                        out.append(' ');
                    }
                    case "li" -> {
                        out.append("\n- ");
                        walk(el, out);
                    }
                    case "hr" -> out.append("\n----------\n");
                    default -> {
                        boolean block = BLOCKS.contains(tag);
                        if (block) {
                            out.append('\n');
                        }
                        boolean heading = tag.length() == 2 && tag.charAt(0) == 'h' && Character.isDigit(tag.charAt(1));
                        walk(el, out);
                        if (block) {
                            out.append(heading || tag.equals("p") ? "\n\n" : "\n");
                        }
                    }
                }
            }
        }
    }

    private static void link(Element a, StringBuilder out) {
        String href = a.attr("href").strip();
        StringBuilder inner = new StringBuilder();
        walk(a, inner);
        String text = WHITESPACE.matcher(inner.toString()).replaceAll(" ").strip();
        boolean useful = !href.isEmpty() && !href.startsWith("#") && !href.regionMatches(true, 0, "javascript:", 0, 11);
        String shown = href.regionMatches(true, 0, "mailto:", 0, 7) ? href.substring(7) : href;
        if (!useful) {
            out.append(text);
        } else if (text.isEmpty()) {
            out.append(shown);
        } else if (text.equalsIgnoreCase(shown) || text.equalsIgnoreCase(href)) {
            out.append(text);
        } else {
            out.append(text).append(" (").append(shown).append(')');
        }
    }

    private static boolean hidden(Element el) {
        String style = el.attr("style").toLowerCase(Locale.ROOT).replace(" ", "");
        return style.contains("display:none") || el.hasAttr("hidden") || el.hasClass("preheader");
    }

    /** Collapses runs of spaces, trims every line, and keeps at most one empty line between paragraphs. */
    private static String tidy(String s) {
        StringBuilder out = new StringBuilder();
        int blank = 0;
        for (String line : s.replace('\u00a0', ' ').split("\n", -1)) {
            String l = BLANKS.matcher(line).replaceAll(" ").strip();
            if (l.isEmpty()) {
                blank++;
                continue;
            }
            if (!out.isEmpty()) {
                out.append(blank > 0 ? "\n\n" : "\n");
            }
            out.append(l);
            blank = 0;
        }
        return out.toString();
    }
}
