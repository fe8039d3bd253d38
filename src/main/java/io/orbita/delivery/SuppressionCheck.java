package io.orbita.delivery;

import io.orbita.platform.WorkspaceId;
import java.util.Optional;

/**
 * Asked before a message is built: may it go to this recipient? The answer is why not (the message becomes
 * {@code suppressed} with that reason), or empty. The default decides by the contact's consent; the workspace's
 * suppression list of the inbound side plugs in here by providing another bean of this type.
 */
public interface SuppressionCheck {

    /**
     * @param contactId the contact, or null for a bare address
     * @param address the recipient address as stored
     * @param marketing whether the message is marketing (consent applies) rather than transactional
     */
    Optional<String> refusal(WorkspaceId workspace, Long contactId, String address, boolean marketing);
}
