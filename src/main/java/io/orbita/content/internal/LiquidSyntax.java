package io.orbita.content.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Source-level rewrites applied before liqp parses a part. HTML parts escape every output by default: {@code {{ x }}}
 * becomes {@code {{ x | h }}} unless it ends in {@code | raw}. Escaping at output (not in the data) keeps filters such
 * as {@code size} and {@code truncate} working on the real text.
 */
final class LiquidSyntax {

    private static final Pattern RAW_BLOCK = Pattern.compile("\\{%-?\\s*raw\\s*-?%}.*?\\{%-?\\s*endraw\\s*-?%}", Pattern.DOTALL);
    private static final Pattern CONTENT_SLOT = Pattern.compile("\\{\\{-?\\s*content\\s*-?}}");
    private static final Pattern RAW_FILTER = Pattern.compile("\\|\\s*raw\\s*$");

    private LiquidSyntax() {
    }

    static boolean hasContentSlot(String layout) {
        return CONTENT_SLOT.matcher(layout).find();
    }

    /** The layout with the template's HTML in its {@code {{ content }}} slot (the first one). */
    static String compose(String layout, String html) {
        Matcher m = CONTENT_SLOT.matcher(layout);
        if (!m.find()) {
            return layout + html;
        }
        return layout.substring(0, m.start()) + html + layout.substring(m.end());
    }

    static String escapeOutputs(String source) {
        StringBuilder out = new StringBuilder(source.length() + 64);
        Matcher raw = RAW_BLOCK.matcher(source);
        int pos = 0;
        while (raw.find()) {
            escapeSegment(source.substring(pos, raw.start()), out);
            out.append(raw.group());
            pos = raw.end();
        }
        escapeSegment(source.substring(pos), out);
        return out.toString();
    }

    private static void escapeSegment(String s, StringBuilder out) {
        int i = 0;
        while (true) {
            int open = s.indexOf("{{", i);
            if (open < 0) {
                out.append(s, i, s.length());
                return;
            }
            int close = findClose(s, open + 2);
            if (close < 0) {
                out.append(s, i, s.length());
                return;
            }
            out.append(s, i, open);
            String inner = s.substring(open + 2, close);
            boolean trimLeft = inner.startsWith("-");
            boolean trimRight = inner.endsWith("-") && inner.length() > 1;
            String expr = inner.substring(trimLeft ? 1 : 0, inner.length() - (trimRight ? 1 : 0)).strip();
            out.append(trimLeft ? "{{- " : "{{ ");
            Matcher rawFilter = RAW_FILTER.matcher(expr);
            if (expr.isEmpty()) {
                out.append(expr);
            } else if (rawFilter.find()) {
                out.append(expr, 0, rawFilter.start());
            } else {
                out.append(expr).append(" | h");
            }
            out.append(trimRight ? " -}}" : " }}");
            i = close + 2;
        }
    }

    /** The {@code }}} that ends an output, skipping quoted strings that might contain one. */
    private static int findClose(String s, int from) {
        char quote = 0;
        for (int i = from; i < s.length() - 1; i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '}' && s.charAt(i + 1) == '}') {
                return i;
            } else if (c == '{' && s.charAt(i + 1) == '{') {
                return -1;
            }
        }
        return -1;
    }
}
