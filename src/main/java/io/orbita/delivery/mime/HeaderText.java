package io.orbita.delivery.mime;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Header values made safe and standard. Everything that comes from contact or template data passes {@link #clean}
 * first: CR, LF and every other control character become a space, so no value can end its header line and start
 * another one (header injection). Non-ASCII text is written as RFC 2047 encoded words short enough for 78-character
 * lines.
 */
public final class HeaderText {

    private HeaderText() {
    }

    /** One line of printable text: control characters (CR and LF included) are spaces, runs of them collapse. */
    public static String clean(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(value.length());
        boolean space = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean control = Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || c == '\u0085';
            if (control || c == ' ') {
                if (!space && b.length() > 0) {
                    b.append(' ');
                }
                space = true;
            } else {
                b.append(c);
                space = false;
            }
        }
        return b.toString().strip();
    }

    static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 126) {
                return false;
            }
        }
        return true;
    }

    /**
     * Unstructured text (Subject): kept as is when it is ASCII, otherwise encoded words of at most 75 characters,
     * separated by folding white space, never splitting a character.
     */
    public static String unstructured(String value) {
        String v = clean(value);
        if (isAscii(v) && !v.contains("=?")) {
            return v;
        }
        return String.join("\r\n ", encodedWords(v));
    }

    /** A display name in an address header: a quoted string for ASCII names, encoded words otherwise. */
    static String phrase(String name) {
        String v = clean(name);
        if (v.isEmpty()) {
            return "";
        }
        if (isAscii(v) && !v.contains("=?")) {
            return "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
        return String.join("\r\n ", encodedWords(v));
    }

    private static List<String> encodedWords(String v) {
        // 36 bytes of UTF-8 give 48 characters of base64: a 60-character word that fits a line after "Reply-To: ".
        List<String> words = new ArrayList<>();
        int start = 0;
        while (start < v.length()) {
            int end = start;
            int bytes = 0;
            while (end < v.length()) {
                int cp = v.codePointAt(end);
                int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
                if (bytes + n > 36) {
                    break;
                }
                bytes += n;
                end += Character.charCount(cp);
            }
            // Always an encoded word, even for an ASCII piece: a plain piece next to one would gain a space when decoded.
            words.add("=?UTF-8?B?" + java.util.Base64.getEncoder().encodeToString(
                    v.substring(start, end).getBytes(StandardCharsets.UTF_8)) + "?=");
            start = end;
        }
        return words;
    }
}
