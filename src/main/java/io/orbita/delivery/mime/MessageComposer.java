package io.orbita.delivery.mime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Writes a {@link Letter} as strict RFC 5322 / MIME bytes with CRLF line ends: one header per line (long ones folded),
 * multipart/alternative with a quoted-printable text and HTML part. The bytes are final: DKIM signs them and the relay
 * receives them unchanged, so {@code GET /messages/{id}/raw} can show exactly what went out.
 */
public final class MessageComposer {

    /** The message and what the envelope needs. */
    public record Composed(byte[] raw, boolean smtputf8) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);

    private MessageComposer() {
    }

    public static Composed compose(Letter l) {
        if (l.marketing() && (l.listUnsubscribeUrl() == null || l.listUnsubscribeMailto() == null)) {
            throw new IllegalArgumentException("marketing mail needs https and mailto unsubscribe addresses");
        }
        boolean utf8 = l.to().needsUtf8() || l.from().needsUtf8() || (l.replyTo() != null && l.replyTo().needsUtf8());
        StringBuilder h = new StringBuilder(1024);
        header(h, "From", l.from().header());
        header(h, "To", l.to().header());
        header(h, "Subject", HeaderText.unstructured(l.subject()));
        header(h, "Date", DATE.format(l.date().atOffset(ZoneOffset.UTC)));
        header(h, "Message-ID", "<" + HeaderText.clean(l.messageId()) + ">");
        if (l.replyTo() != null) {
            header(h, "Reply-To", l.replyTo().header());
        }
        header(h, "MIME-Version", "1.0");
        if (l.listUnsubscribeUrl() != null || l.listUnsubscribeMailto() != null) {
            StringBuilder v = new StringBuilder();
            if (l.listUnsubscribeUrl() != null) {
                v.append('<').append(uri(l.listUnsubscribeUrl())).append('>');
            }
            if (l.listUnsubscribeMailto() != null) {
                v.append(v.isEmpty() ? "" : ",\r\n ").append("<mailto:").append(uri(l.listUnsubscribeMailto())).append('>');
            }
            header(h, "List-Unsubscribe", v.toString());
            if (l.listUnsubscribeUrl() != null) {
                header(h, "List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
            }
        }
        if (l.listId() != null) {
            header(h, "List-Id", "<" + uri(l.listId()) + ">");
        }
        if (l.feedbackId() != null) {
            header(h, "Feedback-ID", uri(l.feedbackId()));
        }
        String boundary = "=_orbita_" + HexFormat.of().formatHex(randomBytes(12));
        header(h, "Content-Type", "multipart/alternative;\r\n boundary=\"" + boundary + "\"");

        ByteArrayOutputStream out = new ByteArrayOutputStream(4096 + (l.html() == null ? 0 : l.html().length() * 2));
        try {
            out.write(h.toString().getBytes(utf8 ? StandardCharsets.UTF_8 : StandardCharsets.US_ASCII));
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            part(out, boundary, "text/plain", l.text() == null ? "" : l.text());
            if (l.html() != null && !l.html().isBlank()) {
                part(out, boundary, "text/html", l.html());
            }
            out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return new Composed(out.toByteArray(), utf8);
    }

    private static void header(StringBuilder h, String name, String value) {
        h.append(name).append(": ").append(value).append("\r\n");
    }

    /** URIs and ids go into headers verbatim, so anything that is not a printable, non-space ASCII character is dropped. */
    private static String uri(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c > 32 && c < 127 && c != '<' && c != '>' && c != '"') {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static void part(ByteArrayOutputStream out, String boundary, String type, String body) throws IOException {
        out.write(("--" + boundary + "\r\nContent-Type: " + type + "; charset=UTF-8\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        String normalized = body.replace("\r\n", "\n").replace('\r', '\n').replace("\n", "\r\n");
        QuotedPrintable.encode(normalized.getBytes(StandardCharsets.UTF_8), out);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
