package io.orbita.delivery.mime;

import java.net.IDN;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A mailbox as it goes into headers and the SMTP envelope: the domain in punycode (IDN), the local part as given.
 * A non-ASCII (Cyrillic) local part cannot be written in ASCII at all, so such an address needs SMTPUTF8 and UTF-8
 * headers (RFC 6531/6532); every other address stays plain ASCII.
 *
 * @param name display name, may be null
 */
public record MailAddress(String name, String local, String asciiDomain) {

    // Dot-atom only: quoted local parts and anything with specials are refused rather than escaped.
    private static final Pattern LOCAL = Pattern.compile("[\\p{L}\\p{N}!#$%&'*+/=?^_`{|}~-]+(\\.[\\p{L}\\p{N}!#$%&'*+/=?^_`{|}~-]+)*");

    /** @throws IllegalArgumentException when the address is not a plain dot-atom address with a valid domain */
    public static MailAddress of(String name, String email) {
        if (email == null) {
            throw new IllegalArgumentException("no address");
        }
        String e = email.strip();
        int at = e.lastIndexOf('@');
        if (at <= 0 || at == e.length() - 1 || e.length() > 254) {
            throw new IllegalArgumentException("not an email address: " + HeaderText.clean(e));
        }
        String local = e.substring(0, at);
        if (!LOCAL.matcher(local).matches() || local.length() > 64) {
            throw new IllegalArgumentException("unsupported local part: " + HeaderText.clean(local));
        }
        String domain;
        try {
            domain = IDN.toASCII(e.substring(at + 1), IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("invalid domain: " + HeaderText.clean(e.substring(at + 1)));
        }
        if (!domain.matches("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+")) {
            throw new IllegalArgumentException("invalid domain: " + HeaderText.clean(e.substring(at + 1)));
        }
        return new MailAddress(name == null || HeaderText.clean(name).isEmpty() ? null : HeaderText.clean(name), local, domain);
    }

    public boolean needsUtf8() {
        return !HeaderText.isAscii(local);
    }

    /** local@punycode-domain, the form for the SMTP envelope and headers. */
    public String address() {
        return local + "@" + asciiDomain;
    }

    /** The header form: {@code "Name" <address>} or {@code =?UTF-8?B?...?= <address>}. */
    public String header() {
        if (name == null) {
            return "<" + address() + ">";
        }
        String phrase = HeaderText.phrase(name);
        // Encoded words fill their line; the address goes on a folded line of its own.
        return phrase + (phrase.startsWith("=?") ? "\r\n <" : " <") + address() + ">";
    }
}
