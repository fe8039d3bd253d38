package io.orbita.audience;

import io.orbita.platform.BoundedMemo;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;

/**
 * A contact's email address in the one form Orbita stores: trimmed, the domain lower-cased and in Unicode
 * ({@code иван@пример.рф}, also when given as {@code xn--e1afmkfd.xn--p1ai}), the local part kept as written.
 * Uniqueness in a workspace ignores the local part's case, as real mailboxes do.
 */
public record EmailAddress(String value) {

    private static final java.util.regex.Pattern TLD = java.util.regex.Pattern.compile("[a-z]{2,63}|xn--[a-z0-9-]{1,59}");

    /** Why an address was refused: a stable code for the UI bundles and an English text for the API. */
    public record Rejection(String code, String message) {
    }

    /** The outcome of {@link #parse}: exactly one of the two is set. */
    public record Parsed(EmailAddress address, Rejection rejection) {
        public boolean valid() {
            return address != null;
        }
    }

    private static final String ATEXT = "!#$%&'*+-/=?^_`{|}~";

    /** Special-use names (RFC 2606, 6761, 6762, 7686) that no real mailbox lives under. */
    private static final java.util.Set<String> RESERVED_TLDS = java.util.Set.of("arpa", "invalid", "local", "localhost",
            "onion", "test", "internal");

    public static Parsed parse(String raw) {
        return parse(raw, KNOWN_DOMAINS);
    }

    /**
     * As {@link #parse(String)}, with the domain checks (see {@link #checkDomain}) looked up where the caller keeps them:
     * the address validator keeps them with its own facts about each domain, one lookup per address instead of two.
     */
    static Parsed parse(String raw, java.util.function.Function<String, DomainCheck> domains) {
        if (raw == null || raw.strip().isEmpty()) {
            return reject("email.required", "email is required");
        }
        String s = raw.strip();
        // Text below U+0300 (where combining marks begin) is already NFC: most addresses skip the normalizer.
        if (!belowCombiningMarks(s)) {
            s = Normalizer.normalize(s, Normalizer.Form.NFC);
        }
        if (hasBlankOrControl(s)) {
            return reject("email.whitespace", "email must not contain spaces or control characters");
        }
        int at = s.lastIndexOf('@');
        if (at < 1 || at == s.length() - 1) {
            return reject("email.noAt", "email must have the form name@domain");
        }
        String local = s.substring(0, at);
        String domain = s.substring(at + 1);
        Rejection localProblem = checkLocal(local);
        if (localProblem != null) {
            return new Parsed(null, localProblem);
        }
        DomainCheck checked = domains.apply(domain);
        if (checked.rejection() != null) {
            return new Parsed(null, checked.rejection());
        }
        String normalized = local + "@" + checked.unicode();
        // SMTP counts the address as sent: the local part in UTF-8 and the domain in ASCII (punycode).
        if (local.getBytes(StandardCharsets.UTF_8).length + 1 + checked.asciiLength() > 254) {
            return reject("email.tooLong", "email must be at most 254 bytes long");
        }
        return new Parsed(new EmailAddress(normalized), null);
    }

    /** A domain as written after the @: its Unicode form and ASCII length, or why it cannot receive mail. */
    record DomainCheck(String unicode, int asciiLength, Rejection rejection) {
    }

    /**
     * Domains already judged, by the text after the @. An import repeats a few thousand domains a million times, and
     * the IDN conversions are most of the cost of parsing an address.
     */
    private static final BoundedMemo<String, DomainCheck> DOMAINS = new BoundedMemo<>(100_000);
    private static final java.util.function.Function<String, DomainCheck> KNOWN_DOMAINS = d -> DOMAINS.get(d, EmailAddress::checkDomain);

    /** Checks a domain as written after the @ (pure: callers may remember the answer). */
    static DomainCheck checkDomain(String domain) {
        String unicodeDomain;
        try {
            if (domain.startsWith("[") || domain.endsWith(".") || !domain.contains(".")) {
                return rejectDomain("email.domain", "email domain must be a host name such as example.ru");
            }
            String ascii = IDN.toASCII(domain.toLowerCase(Locale.ROOT), IDN.USE_STD3_ASCII_RULES);
            if (ascii.length() > 253 || !validLabels(ascii)) {
                return rejectDomain("email.domain", "email domain must be a host name such as example.ru");
            }
            unicodeDomain = IDN.toUnicode(ascii, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return rejectDomain("email.domain", "email domain must be a host name such as example.ru");
        }
        String tld = unicodeDomain.substring(unicodeDomain.lastIndexOf('.') + 1);
        if (RESERVED_TLDS.contains(tld)) {
            return rejectDomain("email.reservedDomain", "the domain ." + tld + " is reserved and never receives mail");
        }
        return new DomainCheck(unicodeDomain, IDN.toASCII(unicodeDomain).length(), null);
    }

    private static DomainCheck rejectDomain(String code, String message) {
        return new DomainCheck(null, 0, new Rejection(code, message));
    }

    /** The domain in ASCII (punycode), as SMTP needs it when the server does not speak SMTPUTF8. */
    public String asciiDomain() {
        String domain = domain();
        // The stored domain is already checked and lower-cased: a plain ASCII one is its own ASCII form.
        return isAscii(domain) ? domain : IDN.toASCII(domain, IDN.USE_STD3_ASCII_RULES);
    }

    private static boolean belowCombiningMarks(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x300) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasBlankOrControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            // Surrogates are neither; the code point they make may be a space (none is) or a control (none is either).
            if (Character.isISOControl(c) || Character.isWhitespace(c)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    public String domain() {
        return value.substring(value.lastIndexOf('@') + 1);
    }

    public String localPart() {
        return value.substring(0, value.lastIndexOf('@'));
    }

    /** True when the local part is not plain ASCII, so sending needs SMTPUTF8. */
    public boolean needsSmtpUtf8() {
        return localPart().chars().anyMatch(c -> c > 127);
    }

    @Override
    public String toString() {
        return value;
    }

    private static Rejection checkLocal(String local) {
        if (local.getBytes(StandardCharsets.UTF_8).length > 64) {
            return new Rejection("email.localTooLong", "the part before @ must be at most 64 bytes long");
        }
        if (local.length() >= 2 && local.startsWith("\"") && local.endsWith("\"")) {
            String inner = local.substring(1, local.length() - 1);
            for (int i = 0; i < inner.length(); i++) {
                char c = inner.charAt(i);
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    return new Rejection("email.local", "the part before @ has an unescaped quote");
                }
            }
            return null;
        }
        if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
            return new Rejection("email.dots", "the part before @ must not start or end with a dot or have two dots in a row");
        }
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
                    || ATEXT.indexOf(c) >= 0 || (c > 127 && Character.isLetterOrDigit(c)) || Character.isSurrogate(c)
                    || (c > 127 && Character.getType(c) == Character.NON_SPACING_MARK)
                    || (c > 127 && Character.getType(c) == Character.COMBINING_SPACING_MARK);
            if (!ok) {
                return new Rejection("email.local", "the part before @ contains a character not allowed in addresses: " + c);
            }
        }
        return null;
    }

    private static boolean validLabels(String ascii) {
        String[] labels = ascii.split("\\.", -1);
        for (String label : labels) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
            // "--" in the third and fourth place is reserved for IDNA: only a punycode label that decodes may use it.
            if (label.length() >= 4 && label.startsWith("--", 2)
                    && !(label.startsWith("xn--") && IDN.toASCII(IDN.toUnicode(label)).equals(label) && !IDN.toUnicode(label).equals(label))) {
                return false;
            }
        }
        String tld = labels[labels.length - 1];
        return labels.length >= 2 && TLD.matcher(tld).matches();
    }

    private static Parsed reject(String code, String message) {
        return new Parsed(null, new Rejection(code, message));
    }
}
