package io.orbita.content.internal;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

/** A rendered letter's HTML after post-processing, and its text part: the HTML is parsed once for both. */
record HtmlOutput(String html, String text) {

    static HtmlOutput of(String html, boolean needText) {
        boolean styles = CssInliner.containsStyle(html);
        if (!styles && !needText) {
            return new HtmlOutput(html, null);
        }
        Document doc = Jsoup.parse(html);
        String out = styles ? CssInliner.inline(html, doc) : html;
        // After inlining, so that elements hidden by a stylesheet rule are known to be hidden.
        return new HtmlOutput(out, needText ? TextPart.of(doc) : null);
    }
}
