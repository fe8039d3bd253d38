package io.orbita.tracking.internal;

import io.orbita.platform.Signing;
import io.orbita.platform.WorkspaceId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The tokens in tracking and unsubscribe links. Everything a hit needs is in the token itself, HMAC-signed with a key
 * per purpose ({@link Signing}), so a hit needs no database read and a token made for one use (an open) never works for
 * another (a click, an unsubscribe). A click token carries its target URL: only URLs that were in the sent letter can
 * be redirected to, and a tampered token fails verification, so there is no open redirect.
 *
 * <p>Layout: numbers in base 36 separated by dots, the contact {@code -} when unknown, text fields in URL-safe base64,
 * then {@code .signature}. Every character is safe in a URL path segment.
 */
@Component
public class Tokens {

    static final String OPEN = "tracking-open";
    static final String CLICK = "tracking-click";
    static final String UNSUBSCRIBE = "unsubscribe";
    static final String PREFERENCES = "preferences";
    static final String WEB = "web-version";
    /** Tokens longer than this are refused unread: no legitimate link is that long, and it caps the work per request. */
    public static final int MAX_TOKEN = 8_000;

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getUrlDecoder();

    /** Which sent message a hit is about, and when it was sent (for the "clicked too soon after sending" rule). */
    public record MessageRef(WorkspaceId workspace, long messageId, Long contactId, Instant sentAt) {
    }

    /** A click: the message and the URL that was in it. */
    public record Click(MessageRef message, String url) {
    }

    /** Whose unsubscribe or preference link it is: a contact, or for a bare address its email; and the mailing kind. */
    public record Recipient(WorkspaceId workspace, long messageId, Long contactId, String email, String kind) {
    }

    private final Signing signing;

    public Tokens(Signing signing) {
        this.signing = signing;
    }

    public String open(MessageRef m) {
        return signing.sign(OPEN, message(m));
    }

    public Optional<MessageRef> readOpen(String token) {
        return verified(OPEN, token).map(v -> parseMessage(v.split("\\.", -1), 4));
    }

    public String click(MessageRef m, String url) {
        return signing.sign(CLICK, message(m) + "." + text(url));
    }

    public Optional<Click> readClick(String token) {
        return verified(CLICK, token).map(v -> {
            String[] f = v.split("\\.", -1);
            MessageRef m = parseMessage(f, 5);
            return m == null ? null : new Click(m, untext(f[4]));
        });
    }

    /** The web version of a sent letter: the message (and its recipient) only, no URL. */
    public String web(MessageRef m) {
        return signing.sign(WEB, message(m));
    }

    public Optional<MessageRef> readWeb(String token) {
        return verified(WEB, token).map(v -> parseMessage(v.split("\\.", -1), 4));
    }

    public String unsubscribe(Recipient r) {
        return signing.sign(UNSUBSCRIBE, recipient(r));
    }

    public Optional<Recipient> readUnsubscribe(String token) {
        return verified(UNSUBSCRIBE, token).map(Tokens::parseRecipient);
    }

    public String preferences(Recipient r) {
        return signing.sign(PREFERENCES, recipient(r));
    }

    public Optional<Recipient> readPreferences(String token) {
        return verified(PREFERENCES, token).map(Tokens::parseRecipient);
    }

    private Optional<String> verified(String purpose, String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN) {
            return Optional.empty();
        }
        try {
            return signing.verify(purpose, token);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String message(MessageRef m) {
        return b36(m.workspace().value()) + "." + b36(m.messageId()) + "." + (m.contactId() == null ? "-" : b36(m.contactId()))
                + "." + b36(m.sentAt() == null ? 0 : m.sentAt().getEpochSecond());
    }

    private static String recipient(Recipient r) {
        return b36(r.workspace().value()) + "." + b36(r.messageId()) + "." + (r.contactId() == null ? "-" : b36(r.contactId()))
                + "." + text(r.kind() == null ? "" : r.kind()) + "." + (r.contactId() == null && r.email() != null ? text(r.email()) : "");
    }

    /** Null when the (correctly signed, so our own) value has an unexpected shape: treated like a bad signature. */
    private static MessageRef parseMessage(String[] f, int fields) {
        try {
            if (f.length != fields) {
                return null;
            }
            long sent = Long.parseLong(f[3], 36);
            return new MessageRef(WorkspaceId.of(Long.parseLong(f[0], 36)), Long.parseLong(f[1], 36), contact(f[2]),
                    sent == 0 ? null : Instant.ofEpochSecond(sent));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Recipient parseRecipient(String v) {
        try {
            String[] f = v.split("\\.", -1);
            if (f.length != 5) {
                return null;
            }
            String kind = untext(f[3]);
            String email = f[4].isEmpty() ? null : untext(f[4]);
            return new Recipient(WorkspaceId.of(Long.parseLong(f[0], 36)), Long.parseLong(f[1], 36), contact(f[2]), email,
                    kind.isEmpty() ? null : kind);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Long contact(String f) {
        return f.equals("-") ? null : Long.parseLong(f, 36);
    }

    private static String b36(long v) {
        return Long.toString(v, 36);
    }

    private static String text(String s) {
        return B64.encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String untext(String s) {
        return new String(B64_DECODER.decode(s), StandardCharsets.UTF_8);
    }
}
