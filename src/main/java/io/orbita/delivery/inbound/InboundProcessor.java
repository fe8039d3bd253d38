package io.orbita.delivery.inbound;

import io.orbita.activity.EventInput;
import io.orbita.activity.Events;
import io.orbita.audience.ConsentStatus;
import io.orbita.audience.Contacts;
import io.orbita.delivery.BounceAddress;
import io.orbita.delivery.MailReturned;
import io.orbita.delivery.Suppressions;
import io.orbita.platform.Bulk;
import io.orbita.platform.WorkspaceId;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The one place inbound mail goes, whichever way it came (SMTP listener, IMAP poller, API): classify, tie it to the
 * message and workspace it concerns, apply the effects (suppress, change consent, record a reply on the timeline),
 * publish {@link MailReturned}, and store it with what was done.
 *
 * <p>A message is tied to a workspace by our per-message bounce address (VERP, MAC-checked) in the envelope recipient,
 * the To header or the returned original's Return-Path; failing that by our Message-ID format in In-Reply-To,
 * References or the returned headers. Mail tied to nothing is stored without a workspace and changes nothing.
 */
@Service
public class InboundProcessor {

    private static final Logger log = LoggerFactory.getLogger(InboundProcessor.class);
    private static final Contacts.Origin ORIGIN = new Contacts.Origin("mail", "inbound mail");

    /** What processing did. */
    public record Outcome(long id, Classification classification, WorkspaceId workspace, Long messageId, List<String> effects) {
    }

    private final MailClassifier classifier = new MailClassifier();
    private final BounceAddress bounceAddress;
    private final Suppressions suppressions;
    private final Contacts contacts;
    private final Events events;
    private final InboundMessages messages;
    private final ApplicationEventPublisher publisher;
    private final InboundProperties properties;
    private final Clock clock;

    InboundProcessor(BounceAddress bounceAddress, Suppressions suppressions, Contacts contacts, Events events,
                     InboundMessages messages, ApplicationEventPublisher publisher, InboundProperties properties, Clock clock) {
        this.bounceAddress = bounceAddress;
        this.suppressions = suppressions;
        this.contacts = contacts;
        this.events = events;
        this.messages = messages;
        this.publisher = publisher;
        this.properties = properties;
        this.clock = clock;
    }

    /** Classification only, for the API: nothing is stored or changed. */
    public Classification classify(byte[] raw) {
        return classifier.classify(limit(raw));
    }

    /**
     * Processes one inbound message. {@code NotMailException} for bytes that are not a message (nothing is stored).
     *
     * @param channel smtp, imap or api
     * @param envelopeTo the SMTP envelope recipients (RCPT TO), empty when unknown
     */
    @Transactional
    public Outcome process(byte[] raw, String channel, String envelopeFrom, List<String> envelopeTo) {
        boolean truncated = raw.length > properties.maxMessageBytes();
        byte[] kept = limit(raw);
        Classification c = classifier.classify(kept);
        Instant now = clock.instant();

        Optional<Ref> ref = resolve(c, envelopeTo);
        if (ref.isPresent() && !ref.get().verified()) {
            // A Message-ID carries no MAC: anyone can write one. Trust it only for a reply from one of the workspace's
            // own contacts (the worst a forger gets is a timeline entry); bounces and complaints need the bounce address.
            // Replies come from the person, to the letter's Reply-To, so they never carry the bounce address.
            boolean plausibleReply = (c.kind() == InboundKind.REPLY || c.kind() == InboundKind.AUTO_REPLY) && !c.recipients().isEmpty()
                    && contacts.findIdByEmail(ref.get().workspace(), c.recipients().get(0).address()) != null;
            if (!plausibleReply) {
                ref = Optional.empty();
            }
        }
        WorkspaceId ws = ref.map(Ref::workspace).orElse(null);
        Long messageId = ref.map(Ref::messageId).orElse(null);
        List<String> effects = new ArrayList<>();
        Long firstContact = null;
        if (ws != null) {
            for (Classification.Recipient r : c.recipients()) {
                Long contactId = contacts.findIdByEmail(ws, r.address());
                if (firstContact == null) {
                    firstContact = contactId;
                }
                apply(ws, c, r, contactId, messageId, now, effects);
            }
        } else if (c.kind() != InboundKind.OTHER) {
            effects.add("unattributed");
        }
        long id = messages.insert(ws, now, channel, envelopeFrom, String.join(",", envelopeTo), c, messageId, firstContact,
                effects, kept, raw.length, truncated);
        // no addresses in the log: they are personal data and the stored message has them
        log.info("Inbound message {} via {}: {} ({} recipients), workspace {}, {} effects", id, channel, c.kind().code(),
                c.recipients().size(), ws == null ? "-" : ws.value(), effects.size());
        return new Outcome(id, c, ws, messageId, effects);
    }

    private void apply(WorkspaceId ws, Classification c, Classification.Recipient r, Long contactId, Long messageId,
                       Instant now, List<String> effects) {
        String address = Suppressions.normalize(r.address());
        if (address == null) {
            return;
        }
        switch (c.kind()) {
            case BOUNCE -> {
                if ("delivered".equals(r.reason())) {
                    return;
                }
                if (r.hard()) {
                    if (suppressions.add(ws, address, Suppressions.Reason.HARD_BOUNCE, messageId, r.reason())) {
                        effects.add("suppressed:" + address);
                    }
                    if (contactId != null && consentIsSubscribed(ws, contactId)
                            && contacts.changeConsent(ws, contactId, ConsentStatus.BOUNCED, ORIGIN, "bounce")) {
                        effects.add("consent_bounced:" + contactId);
                    }
                } else {
                    int count = messages.softBounce(ws, address, now, r.reason(), messageId, now.minus(properties.softBounceWindow()));
                    effects.add("soft_bounce:" + address + ":" + count);
                    if (count >= properties.softBounceLimit()
                            && suppressions.add(ws, address, Suppressions.Reason.SOFT_BOUNCE_LIMIT, messageId,
                            count + " soft bounces, last " + r.reason())) {
                        effects.add("suppressed:" + address);
                    }
                }
            }
            case COMPLAINT -> {
                if (suppressions.add(ws, address, Suppressions.Reason.COMPLAINT, messageId, null)) {
                    effects.add("suppressed:" + address);
                }
                if (contactId != null && contacts.changeConsent(ws, contactId, ConsentStatus.COMPLAINED, ORIGIN, "complaint")) {
                    effects.add("consent_complained:" + contactId);
                }
            }
            case REPLY -> {
                if (contactId != null) {
                    Map<String, Object> props = new LinkedHashMap<>();
                    if (c.subject() != null) {
                        props.put("subject", c.subject().length() > 300 ? c.subject().substring(0, 300) : c.subject());
                    }
                    if (messageId != null) {
                        props.put("messageId", messageId);
                    }
                    Bulk.Result result = events.record(ws, List.of(Bulk.Item.of(new EventInput("email_replied", contactId, null,
                            null, now, props, null))), "mail");
                    if (result.items().stream().allMatch(i -> i.errors() == null || i.errors().isEmpty())) {
                        effects.add("replied:" + contactId);
                    }
                }
            }
            default -> {
                // auto-replies and other mail are kept, nothing else
            }
        }
        if (c.kind() != InboundKind.OTHER) {
            publisher.publishEvent(new MailReturned(ws, messageId, contactId, c.kind().code(), address, r.status(), r.reason(),
                    c.kind() == InboundKind.BOUNCE && r.hard(), now));
        }
    }

    private boolean consentIsSubscribed(WorkspaceId ws, long contactId) {
        // Unsubscribed and complained are stronger than bounced: a bounce must not overwrite them.
        return contacts.get(ws, contactId).consentStatus() == ConsentStatus.SUBSCRIBED;
    }

    private record Ref(WorkspaceId workspace, Long messageId, boolean verified) {
    }

    private Optional<Ref> resolve(Classification c, List<String> envelopeTo) {
        List<String> candidates = new ArrayList<>(envelopeTo);
        candidates.addAll(c.bounceAddresses());
        for (String a : candidates) {
            Optional<BounceAddress.MessageRef> m = bounceAddress.decode(a);
            if (m.isPresent()) {
                return Optional.of(new Ref(m.get().workspace(), m.get().messageId(), true));
            }
        }
        for (String id : c.messageIds()) {
            Optional<MessageIdRef> m = MessageIdRef.parse(id);
            if (m.isPresent()) {
                return Optional.of(new Ref(m.get().workspace(), m.get().messageId(), false));
            }
        }
        return Optional.empty();
    }

    private byte[] limit(byte[] raw) {
        return raw.length > properties.maxMessageBytes() ? Arrays.copyOf(raw, properties.maxMessageBytes()) : raw;
    }
}
