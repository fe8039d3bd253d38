package io.orbita.tracking.web;

import java.net.IDN;
import java.nio.charset.StandardCharsets;

/** A letter's link as a {@code Location} header: HTTP headers are ASCII, links in letters need not be. */
final class Locations {

    private Locations() {
    }

    /** Punycode for a non-ASCII host, percent-encoded UTF-8 for other non-ASCII characters (and anything unprintable). */
    static String ascii(String url) {
        int scheme = url.indexOf("://");
        if (scheme < 0) {
            return encode(url);
        }
        int hostStart = scheme + 3;
        int hostEnd = hostStart;
        while (hostEnd < url.length() && "/?#".indexOf(url.charAt(hostEnd)) < 0) {
            hostEnd++;
        }
        String authority = url.substring(hostStart, hostEnd);
        int at = authority.lastIndexOf('@');
        String userInfo = at >= 0 ? authority.substring(0, at + 1) : "";
        String hostPort = authority.substring(at + 1);
        int colon = hostPort.startsWith("[") ? -1 : hostPort.lastIndexOf(':');
        String host = colon >= 0 ? hostPort.substring(0, colon) : hostPort;
        String port = colon >= 0 ? hostPort.substring(colon) : "";
        try {
            host = IDN.toASCII(host, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            host = encode(host);
        }
        return url.substring(0, hostStart) + encode(userInfo) + host + encode(port) + encode(url.substring(hostEnd));
    }

    private static String encode(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp > 0x20 && cp < 0x7f) {
                out.append((char) cp);
            } else {
                for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                    out.append('%').append(String.format("%02X", b & 0xff));
                }
            }
        }
        return out.toString();
    }
}
