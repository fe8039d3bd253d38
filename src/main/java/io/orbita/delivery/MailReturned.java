package io.orbita.delivery;

import io.orbita.platform.WorkspaceId;
import java.time.Instant;

/**
 * Module event: inbound mail about a message we sent came back and was classified. Published by the inbound processor;
 * the outbox listens to set the message's state, journeys and analytics will listen for replies and complaints.
 *
 * @param messageId the outbox message it concerns, or null when the mail could not be tied to one
 * @param contactId the contact it concerns, or null when unknown
 * @param kind bounce, complaint, auto_reply or reply
 * @param recipient the address the bounce or complaint is about (normalized), or the replying address
 * @param status RFC 3463 enhanced status code (bounces), or null
 * @param reason the reason in the vocabulary of the bounce classifier (userunknown, mailboxfull, ...), or null
 * @param hard true for a permanent failure (a hard bounce); false otherwise
 */
public record MailReturned(WorkspaceId workspace, Long messageId, Long contactId, String kind, String recipient,
                           String status, String reason, boolean hard, Instant at) {
}
