package io.orbita.delivery.dkim;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * DKIM signatures (RFC 6376) with relaxed/relaxed canonicalization, rsa-sha256 and ed25519-sha256 (RFC 8463). Written
 * here rather than taken from a library because the sending path signs every message and must not copy or re-parse
 * it: the signer reads the composed bytes once and prepends its header lines.
 */
public final class DkimSigner {

    /** The headers signed when present, in this order. */
    public static final List<String> SIGNED = List.of("from", "to", "subject", "date", "message-id", "reply-to",
            "mime-version", "content-type", "list-unsubscribe", "list-unsubscribe-post", "list-id", "feedback-id");

    /** A key to sign with: {@code algorithm} is {@code rsa} or {@code ed25519}. */
    public record Key(String domain, String selector, String algorithm, PrivateKey privateKey) {
    }

    private DkimSigner() {
    }

    /** The message with one DKIM-Signature header per key prepended (the first key's header comes first). */
    public static byte[] sign(byte[] message, List<Key> keys, Instant now) {
        if (keys.isEmpty()) {
            return message;
        }
        int split = headerEnd(message);
        List<String[]> headers = parseHeaders(new String(message, 0, split, StandardCharsets.UTF_8));
        byte[] bodyHash = sha256(relaxedBody(message, Math.min(message.length, split + 2)));
        String bh = Base64.getEncoder().encodeToString(bodyHash);
        Map<String, String> present = new LinkedHashMap<>();
        // RFC 6376 5.4.2: with repeated headers the last one is signed first; ours are single, the last wins anyway.
        for (String[] hv : headers) {
            present.put(hv[0].toLowerCase(Locale.ROOT), relaxedHeader(hv[0], hv[1]));
        }
        List<String> signed = new ArrayList<>();
        StringBuilder data = new StringBuilder();
        for (String name : SIGNED) {
            String canon = present.get(name);
            if (canon != null) {
                signed.add(name);
                data.append(canon).append("\r\n");
            }
        }
        StringBuilder prefix = new StringBuilder();
        for (Key key : keys) {
            String tags = "v=1; a=" + key.algorithm() + "-sha256; c=relaxed/relaxed; d=" + key.domain()
                    + "; s=" + key.selector() + "; t=" + now.getEpochSecond() + ";\r\n\th=" + String.join(":", signed)
                    + ";\r\n\tbh=" + bh + ";\r\n\tb=";
            String toSign = data + relaxedHeader("DKIM-Signature", tags);
            String b = Base64.getEncoder().encodeToString(signature(key, toSign.getBytes(StandardCharsets.UTF_8)));
            prefix.append("DKIM-Signature: ").append(tags).append(b).append("\r\n");
        }
        byte[] head = prefix.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + message.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(message, 0, out, head.length, message.length);
        return out;
    }

    private static byte[] signature(Key key, byte[] data) {
        try {
            if (key.algorithm().equals("ed25519")) {
                // RFC 8463: PureEdDSA over the SHA-256 hash of the data, not over the data itself.
                Signature s = Signature.getInstance("Ed25519");
                s.initSign(key.privateKey());
                s.update(sha256(data));
                return s.sign();
            }
            byte[] fast = OpenSslRsa.sign(key.privateKey(), data);
            if (fast != null) {
                return fast;
            }
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(key.privateKey());
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("DKIM signing failed", e);
        }
    }

    /** Index just after the last header line's CRLF (where the empty line starts), or the length when there is none. */
    static int headerEnd(byte[] m) {
        for (int i = 0; i + 3 < m.length; i++) {
            if (m[i] == '\r' && m[i + 1] == '\n' && m[i + 2] == '\r' && m[i + 3] == '\n') {
                return i + 2;
            }
        }
        return m.length;
    }

    /** Header fields as [name, raw value with folding], in order. */
    static List<String[]> parseHeaders(String head) {
        List<String[]> result = new ArrayList<>();
        for (String line : head.split("\r\n")) {
            if (line.isEmpty()) {
                continue;
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && !result.isEmpty()) {
                String[] last = result.getLast();
                last[1] = last[1] + "\r\n" + line;
            } else {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    result.add(new String[] {line.substring(0, colon), line.substring(colon + 1)});
                }
            }
        }
        return result;
    }

    /** Compiled once: {@code String.replaceAll} compiles its pattern on every call, a dozen times per message here. */
    private static final java.util.regex.Pattern WSP = java.util.regex.Pattern.compile("[ \t]+");

    static String relaxedHeader(String name, String value) {
        String v = WSP.matcher(value.replace("\r\n", "")).replaceAll(" ").strip();
        return name.toLowerCase(Locale.ROOT).strip() + ":" + v;
    }

    static byte[] relaxedBody(byte[] m, int start) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(m.length - start + 2);
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        int emptyLines = 0;
        int i = start;
        while (i < m.length) {
            int end = i;
            while (end < m.length && !(m[end] == '\r' && end + 1 < m.length && m[end + 1] == '\n')) {
                end++;
            }
            line.reset();
            boolean ws = false;
            for (int j = i; j < end; j++) {
                byte c = m[j];
                if (c == ' ' || c == '\t') {
                    ws = true;
                } else {
                    if (ws) {
                        line.write(' ');
                        ws = false;
                    }
                    line.write(c);
                }
            }
            if (line.size() == 0) {
                emptyLines++;
            } else {
                for (; emptyLines > 0; emptyLines--) {
                    out.write('\r');
                    out.write('\n');
                }
                out.writeBytes(line.toByteArray());
                out.write('\r');
                out.write('\n');
            }
            i = end + 2;
        }
        return out.toByteArray();
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
