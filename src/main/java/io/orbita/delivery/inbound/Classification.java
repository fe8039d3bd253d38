package io.orbita.delivery.inbound;

import java.util.List;

/**
 * What the classifier made of one inbound message.
 *
 * @param kind bounce, complaint, auto_reply, reply or other
 * @param subject the message's subject (decoded), or null
 * @param from the address the message came from, or null
 * @param recipients for bounces every failed recipient, for complaints the complaining addresses, for replies and
 *     auto-replies the replying address
 * @param bounceAddresses addresses that may be our per-message bounce address (VERP), to be checked by its MAC
 * @param messageIds Message-IDs of the original letter (from In-Reply-To, References or the returned headers)
 */
public record Classification(InboundKind kind, String subject, String from, List<Recipient> recipients,
                             List<String> bounceAddresses, List<String> messageIds) {

    /**
     * One address the message is about.
     *
     * @param address the address, lower-cased
     * @param status RFC 3463 enhanced status code, or null
     * @param replyCode the SMTP reply code, or null
     * @param reason the reason (sisimai vocabulary: userunknown, mailboxfull, ..., feedback, vacation), or null for replies
     * @param hard true for a permanent failure of this address
     * @param diagnostic the remote server's words, shortened, or null
     */
    public record Recipient(String address, String status, String replyCode, String reason, boolean hard,
                            String diagnostic) {
    }
}
