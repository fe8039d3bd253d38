package io.orbita.delivery.mime;

import java.io.ByteArrayOutputStream;

/**
 * Quoted-printable (RFC 2045 6.7) for the text and HTML parts. Written here because {@code MimeUtility.encode} looks
 * its stream provider up through a {@code ServiceLoader} on every call, which cost an eighth of the sending lanes' CPU;
 * this encoder writes straight into the message buffer.
 */
final class QuotedPrintable {

    /** Encoded lines are at most 76 characters, the soft line break's "=" included. */
    private static final int MAX_LINE = 76;
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private QuotedPrintable() {
    }

    /** Encodes {@code in}, whose line breaks are CRLF (kept as hard line breaks), into {@code out}. */
    static void encode(byte[] in, ByteArrayOutputStream out) {
        int n = in.length;
        // Worst case: every byte as =XX plus a soft break per 25 of them; written in one go (no per-byte locking).
        byte[] buf = new byte[n * 3 + (n / 24 + 1) * 3];
        int o = 0;
        int col = 0;
        for (int i = 0; i < n; i++) {
            int b = in[i] & 0xff;
            if (b == '\r' && i + 1 < n && in[i + 1] == '\n') {
                buf[o++] = '\r';
                buf[o++] = '\n';
                col = 0;
                i++;
                continue;
            }
            boolean endOfLine = i + 1 == n || (in[i + 1] == '\r' && i + 2 < n && in[i + 2] == '\n');
            // Spaces and tabs at the end of a line would be stripped in transport: those are encoded.
            boolean literal = (b >= 33 && b <= 126 && b != '=') || ((b == ' ' || b == '\t') && !endOfLine);
            int len = literal ? 1 : 3;
            // The last character of a line may use the 76th column; anything else leaves room for the soft break.
            int limit = endOfLine ? MAX_LINE : MAX_LINE - 1;
            if (col + len > limit) {
                buf[o++] = '=';
                buf[o++] = '\r';
                buf[o++] = '\n';
                col = 0;
            }
            if (literal) {
                buf[o++] = (byte) b;
            } else {
                buf[o++] = '=';
                buf[o++] = HEX[b >> 4];
                buf[o++] = HEX[b & 0xf];
            }
            col += len;
        }
        out.write(buf, 0, o);
    }
}
