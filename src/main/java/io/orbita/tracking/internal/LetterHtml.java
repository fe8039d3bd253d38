package io.orbita.tracking.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Range;
import org.jsoup.parser.Parser;

/**
 * Puts click tracking and the open pixel into a letter's HTML without otherwise touching it. jsoup parses the letter
 * with source positions, and only the characters of the {@code href} values it rewrites change; the rest is copied
 * from the original string. Re-serializing the parsed tree instead would "repair" third-party table layouts (foster
 * parenting, attribute quoting, entities, conditional comments for Outlook) and could break them.
 */
public final class LetterHtml {

    /** Links longer than this are left as they are: the token would make the link too long for some mail clients. */
    static final int MAX_TRACKED_URL = 2_000;
    /** An author's way to keep a link untracked: {@code <a href="..." data-orbita-track="off">}. */
    static final String NO_TRACK = "data-orbita-track";

    private LetterHtml() {
    }

    /**
     * @param html the rendered letter
     * @param clickUrl the tracked URL for a link's target, or null to leave that link alone
     * @param pixel the {@code <img>} to add before {@code </body>} (or at the end), or null for none
     */
    public static String instrument(String html, Function<String, String> clickUrl, String pixel) {
        if (html == null || html.isEmpty()) {
            return html;
        }
        Parser parser = Parser.htmlParser().setTrackPosition(true);
        Document doc = parser.parseInput(html, "");
        record Edit(int start, int end, String text) {
        }
        List<Edit> edits = new ArrayList<>();
        for (Element a : doc.select("a[href]")) {
            if (a.hasAttr(NO_TRACK) && "off".equalsIgnoreCase(a.attr(NO_TRACK).strip())) {
                continue;
            }
            Attribute href = a.attribute("href");
            if (href == null) {
                continue;
            }
            String target = href.getValue().strip();
            if (!trackable(target)) {
                continue;
            }
            String tracked = clickUrl.apply(target);
            if (tracked == null) {
                continue;
            }
            Range value = href.sourceRange().valueRange();
            if (!value.isTracked() || value.startPos() >= value.endPos() || value.endPos() > html.length()) {
                continue;
            }
            edits.add(new Edit(value.startPos(), value.endPos(), tracked));
        }
        if (pixel != null) {
            edits.add(new Edit(pixelAt(doc, html), pixelAt(doc, html), pixel));
        }
        edits.sort((x, y) -> Integer.compare(x.start(), y.start()));
        StringBuilder out = new StringBuilder(html.length() + 256 * edits.size());
        int at = 0;
        for (Edit e : edits) {
            if (e.start() < at) {
                continue; // overlapping ranges cannot happen for distinct attributes; refuse rather than corrupt
            }
            out.append(html, at, e.start()).append(e.text());
            at = e.end();
        }
        return out.append(html, at, html.length()).toString();
    }

    /** Absolute http(s) links only: mailto, tel, anchors, relative and script links are not web pages we may send people to. */
    static boolean trackable(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (!(lower.startsWith("http://") || lower.startsWith("https://")) || url.length() > MAX_TRACKED_URL) {
            return false;
        }
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c <= ' ' || c == 0x7f) {
                return false; // a Liquid leftover or a broken link; a redirect to it would not work either
            }
        }
        return !lower.contains("{{") && !lower.contains("{%");
    }

    /** Just before {@code </body>}, else before {@code </html>}, else at the very end. */
    private static int pixelAt(Document doc, String html) {
        for (Element e : new Element[]{doc.body(), doc.selectFirst("html")}) {
            if (e != null) {
                Range end = e.endSourceRange();
                if (end.isTracked() && !end.isImplicit() && end.startPos() <= html.length()) {
                    return end.startPos();
                }
            }
        }
        return html.length();
    }
}
