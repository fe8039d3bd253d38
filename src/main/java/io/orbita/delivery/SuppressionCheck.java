package io.orbita.delivery;

import io.orbita.platform.WorkspaceId;
import java.util.List;
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

    /** One recipient of a batch. */
    record Recipient(Long contactId, String address, boolean marketing) {
    }

    /**
     * The answers for a batch of recipients of one workspace, in their order. {@code contacts} holds every existing
     * contact among the recipients' contact ids (loaded once for the batch), so an implementation need not look them up
     * again; the default asks {@link #refusal} per recipient.
     */
    default List<Optional<String>> refusals(WorkspaceId workspace, List<Recipient> recipients,
                                            java.util.Map<Long, io.orbita.audience.Contact> contacts) {
        return recipients.stream().map(r -> refusal(workspace, r.contactId(), r.address(), r.marketing())).toList();
    }
}
