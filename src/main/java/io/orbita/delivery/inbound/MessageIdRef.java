package io.orbita.delivery.inbound;

import io.orbita.platform.WorkspaceId;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads our own Message-IDs ({@code <m-<workspace base 36>-<message base 36>-...@domain>}) back from In-Reply-To,
 * References or returned headers. Other Message-IDs (anyone else's, or a format we may use later) simply do not match.
 */
record MessageIdRef(WorkspaceId workspace, long messageId) {

    private static final Pattern OURS = Pattern.compile("^<?m-([0-9a-z]{1,13})-([0-9a-z]{1,13})(?:-[^@>]*)?@[^>]+>?$");

    static Optional<MessageIdRef> parse(String messageId) {
        if (messageId == null) {
            return Optional.empty();
        }
        Matcher m = OURS.matcher(messageId.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            long ws = Long.parseLong(m.group(1), 36);
            long id = Long.parseLong(m.group(2), 36);
            return ws > 0 && id > 0 ? Optional.of(new MessageIdRef(WorkspaceId.of(ws), id)) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
