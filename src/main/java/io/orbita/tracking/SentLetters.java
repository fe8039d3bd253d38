package io.orbita.tracking;

import io.orbita.platform.WorkspaceId;
import java.util.Optional;

/**
 * Where the web version finds a sent letter: implemented by the module that keeps the sent bytes (delivery), so
 * tracking serves {@code /w/{token}} without depending on it.
 */
public interface SentLetters {

    /** The HTML part exactly as it went to the recipient (tracked links, open pixel); empty when not sent (yet) or gone. */
    Optional<String> html(WorkspaceId ws, long messageId);
}
