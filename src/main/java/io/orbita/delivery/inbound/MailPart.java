package io.orbita.delivery.inbound;

import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tolerant MIME reader for returned mail. Bounces are often malformed (missing closing boundaries, bare LF line
 * ends, 8-bit headers, wrong charsets), so this reads what it can instead of failing: headers unfolded and decoded,
 * bodies transfer-decoded, multiparts split on their boundary, message/rfc822 parts parsed as nested messages.
 */
final class MailPart {

    private static final int MAX_DEPTH = 8;
    private static final Pattern PARAM = Pattern.compile(
            ";\\s*([A-Za-z0-9*_.-]+)\\s*=\\s*(\"((?:[^\"\\\\]|\\\\.)*)\"|[^;\\s]*)");

    private final Map<String, List<String>> headers;
    private final String contentType;
    private final Map<String, String> params;
    private final byte[] body;
    private final List<MailPart> children;

    private MailPart(Map<String, List<String>> headers, String contentType, Map<String, String> params, byte[] body,
                     List<MailPart> children) {
        this.headers = headers;
        this.contentType = contentType;
        this.params = params;
        this.body = body;
        this.children = children;
    }

    static MailPart parse(byte[] raw) {
        // An mbox "From " separator line is not a header.
        if (raw.length > 5 && raw[0] == 'F' && raw[1] == 'r' && raw[2] == 'o' && raw[3] == 'm' && raw[4] == ' ') {
            int nl = 0;
            while (nl < raw.length && raw[nl] != '\n') {
                nl++;
            }
            raw = java.util.Arrays.copyOfRange(raw, Math.min(raw.length, nl + 1), raw.length);
        }
        return parse(raw, 0, "text/plain");
    }

    private static MailPart parse(byte[] raw, int depth, String defaultType) {
        int split = headerEnd(raw);
        String headerText = new String(raw, 0, split, StandardCharsets.UTF_8);
        byte[] rawBody = split >= raw.length ? new byte[0] : java.util.Arrays.copyOfRange(raw, bodyStart(raw, split), raw.length);
        Map<String, List<String>> headers = parseHeaders(headerText);
        String ct = first(headers, "content-type");
        String type = defaultType;
        Map<String, String> params = new LinkedHashMap<>();
        if (ct != null) {
            int semi = ct.indexOf(';');
            Matcher tm = Pattern.compile("^\\s*([a-z0-9.+_-]+/[a-z0-9.+_-]+)").matcher((semi < 0 ? ct : ct.substring(0, semi)).toLowerCase(Locale.ROOT));
            if (tm.find()) {
                type = tm.group(1);
            }
            Matcher m = PARAM.matcher(semi < 0 ? "" : ct.substring(semi));
            while (m.find()) {
                params.put(m.group(1).toLowerCase(Locale.ROOT), m.group(3) != null ? m.group(3) : m.group(2));
            }
        }
        List<MailPart> children = new ArrayList<>();
        byte[] body = rawBody;
        String boundary = params.get("boundary");
        if (type.startsWith("multipart/") && boundary != null && !boundary.isEmpty() && depth < MAX_DEPTH) {
            String childDefault = type.equals("multipart/digest") ? "message/rfc822" : "text/plain";
            for (byte[] piece : splitMultipart(rawBody, boundary)) {
                children.add(parse(piece, depth + 1, childDefault));
            }
        } else {
            body = decode(rawBody, first(headers, "content-transfer-encoding"));
            if ((type.equals("message/rfc822") || type.equals("text/rfc822-headers") || type.equals("message/rfc822-headers")
                    || type.equals("message/global") || type.equals("message/global-headers")) && depth < MAX_DEPTH) {
                children.add(parse(body, depth + 1, "text/plain"));
            }
        }
        return new MailPart(headers, type, params, body, children);
    }

    /** Index just past the header block (the blank line), or the whole input when there is no body. */
    private static int headerEnd(byte[] raw) {
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '\n') {
                if (i + 1 < raw.length && raw[i + 1] == '\n') {
                    return i + 1;
                }
                if (i + 2 < raw.length && raw[i + 1] == '\r' && raw[i + 2] == '\n') {
                    return i + 1;
                }
            }
        }
        // A part that starts with a blank line has no headers at all.
        if (raw.length > 0 && (raw[0] == '\n' || raw[0] == '\r')) {
            return 0;
        }
        return raw.length;
    }

    private static int bodyStart(byte[] raw, int split) {
        int i = split;
        if (i < raw.length && raw[i] == '\r') {
            i++;
        }
        if (i < raw.length && raw[i] == '\n') {
            i++;
        }
        return Math.min(i, raw.length);
    }

    static Map<String, List<String>> parseHeaders(String text) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        String name = null;
        StringBuilder value = new StringBuilder();
        for (String line : text.split("\r?\n")) {
            if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t') && name != null) {
                value.append(' ').append(line.strip());
                continue;
            }
            if (name != null) {
                headers.computeIfAbsent(name, k -> new ArrayList<>()).add(decodeWords(value.toString().strip()));
                name = null;
            }
            int colon = line.indexOf(':');
            boolean headerLine = colon > 0 && line.substring(0, colon).matches("[!-9;-~]+");
            if (!headerLine && name == null && !headers.isEmpty() && line.matches("\\s*[A-Za-z-]+=.*")) {
                // a parameter line that lost its indentation (seen in the wild): continue the last header
                String last = headers.keySet().stream().reduce((a, b) -> b).orElseThrow();
                List<String> vs = headers.get(last);
                vs.set(vs.size() - 1, vs.get(vs.size() - 1) + " " + line.strip());
                continue;
            }
            if (headerLine) {
                name = line.substring(0, colon).toLowerCase(Locale.ROOT);
                value.setLength(0);
                value.append(line.substring(colon + 1));
            }
        }
        if (name != null) {
            headers.computeIfAbsent(name, k -> new ArrayList<>()).add(decodeWords(value.toString().strip()));
        }
        return headers;
    }

    static String decodeWords(String s) {
        if (!s.contains("=?")) {
            return s;
        }
        try {
            return MimeUtility.decodeText(s);
        } catch (Exception e) {
            return s;
        }
    }

    private static List<byte[]> splitMultipart(byte[] body, String boundary) {
        String text = new String(body, StandardCharsets.ISO_8859_1);
        if (!text.contains("--" + boundary)) {
            // A boundary that appears nowhere (broken or rewritten headers): take the first delimiter-like line instead.
            Matcher m = Pattern.compile("(?m)^--([^\\s-][^\\r\\n]{0,69}?)\\r?$").matcher(text);
            if (m.find()) {
                boundary = m.group(1).endsWith("--") ? m.group(1).substring(0, m.group(1).length() - 2) : m.group(1);
            }
        }
        String delimiter = "--" + boundary;
        List<byte[]> parts = new ArrayList<>();
        int pos = 0;
        int start = -1;
        while (pos <= text.length()) {
            int lineEnd = text.indexOf('\n', pos);
            String line = text.substring(pos, lineEnd < 0 ? text.length() : lineEnd);
            String trimmed = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
            if (trimmed.startsWith(delimiter)) {
                if (start >= 0) {
                    int end = pos;
                    // The line break before a delimiter belongs to the delimiter.
                    if (end > start && text.charAt(end - 1) == '\n') {
                        end--;
                    }
                    if (end > start && text.charAt(end - 1) == '\r') {
                        end--;
                    }
                    parts.add(text.substring(start, Math.max(start, end)).getBytes(StandardCharsets.ISO_8859_1));
                    start = -1;
                }
                if (trimmed.strip().equals(delimiter + "--")) {
                    break;
                }
                start = lineEnd < 0 ? text.length() : lineEnd + 1;
            }
            if (lineEnd < 0) {
                break;
            }
            pos = lineEnd + 1;
        }
        if (start >= 0 && start < text.length()) {
            parts.add(text.substring(start).getBytes(StandardCharsets.ISO_8859_1));
        }
        return parts;
    }

    private static byte[] decode(byte[] raw, String encoding) {
        if (encoding == null) {
            return raw;
        }
        String enc = encoding.strip().toLowerCase(Locale.ROOT);
        if (!enc.equals("base64") && !enc.equals("quoted-printable")) {
            return raw;
        }
        try (InputStream in = MimeUtility.decode(new ByteArrayInputStream(raw), enc)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length);
            in.transferTo(out);
            return out.toByteArray();
        } catch (Exception e) {
            return raw;
        }
    }

    String header(String name) {
        return first(headers, name.toLowerCase(Locale.ROOT));
    }

    List<String> headers(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    boolean hasHeaders() {
        return !headers.isEmpty();
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    String contentType() {
        return contentType;
    }

    String param(String name) {
        return params.get(name);
    }

    List<MailPart> children() {
        return children;
    }

    byte[] body() {
        return body;
    }

    /** The body as text in its declared charset; undeclared or unknown charsets are tried as UTF-8, then Latin-1. */
    String text() {
        String cs = params.get("charset");
        if (cs != null) {
            try {
                return new String(body, Charset.forName(MimeUtility.javaCharset(cs.strip())));
            } catch (Exception ignored) {
                // fall through to detection
            }
        }
        var decoder = StandardCharsets.UTF_8.newDecoder();
        try {
            return decoder.decode(java.nio.ByteBuffer.wrap(body)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    /** Every part of this tree, depth first, this one included. */
    List<MailPart> flatten() {
        List<MailPart> all = new ArrayList<>();
        collect(this, all);
        return all;
    }

    private static void collect(MailPart p, List<MailPart> into) {
        into.add(p);
        for (MailPart c : p.children) {
            collect(c, into);
        }
    }
}
