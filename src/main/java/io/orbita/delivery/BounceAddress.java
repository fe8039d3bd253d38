package io.orbita.delivery;

import io.orbita.platform.Signing;
import io.orbita.platform.WorkspaceId;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * The per-message envelope sender (VERP): {@code b-<workspace>-<message>-<mac>@<bounce domain>}, so that a bounce names
 * exactly one message even when the bounce text does not. The numbers are base 36 and the MAC lower-case hex, because
 * some MTAs lower-case the addresses they bounce to. The MAC (64 bits, HMAC of the installation secret) keeps strangers
 * from forging bounces that would suppress someone else's contacts.
 */
@Component
public class BounceAddress {

    /** Which message a bounce address names. */
    public record MessageRef(WorkspaceId workspace, long messageId) {
    }

    private static final String PURPOSE = "bounce-address";
    private static final Pattern LOCAL = Pattern.compile("b-([0-9a-z]{1,13})-([0-9a-z]{1,13})-([0-9a-f]{16})");

    private final Signing signing;

    BounceAddress(Signing signing) {
        this.signing = signing;
    }

    /** The envelope sender for one message on the given bounce domain (an ASCII or punycode domain). */
    public String encode(WorkspaceId workspace, long messageId, String bounceDomain) {
        String body = Long.toString(workspace.value(), 36) + "-" + Long.toString(messageId, 36);
        return "b-" + body + "-" + mac(body) + "@" + bounceDomain.toLowerCase(Locale.ROOT);
    }

    /** The message an address (its local part, any domain, any case) names; empty for anything else or a bad MAC. */
    public Optional<MessageRef> decode(String address) {
        if (address == null) {
            return Optional.empty();
        }
        String a = address.strip().toLowerCase(Locale.ROOT);
        if (a.startsWith("<") && a.endsWith(">")) {
            a = a.substring(1, a.length() - 1);
        }
        int at = a.lastIndexOf('@');
        Matcher m = LOCAL.matcher(at < 0 ? a : a.substring(0, at));
        if (!m.matches()) {
            return Optional.empty();
        }
        String body = m.group(1) + "-" + m.group(2);
        if (!java.security.MessageDigest.isEqual(mac(body).getBytes(StandardCharsets.US_ASCII),
                m.group(3).getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        try {
            return Optional.of(new MessageRef(WorkspaceId.of(Long.parseLong(m.group(1), 36)), Long.parseLong(m.group(2), 36)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private String mac(String body) {
        return HexFormat.of().formatHex(signing.mac(PURPOSE, body.getBytes(StandardCharsets.US_ASCII), 8));
    }
}
