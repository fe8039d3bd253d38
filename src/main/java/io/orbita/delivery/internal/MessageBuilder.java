package io.orbita.delivery.internal;

import io.orbita.audience.Contacts;
import io.orbita.content.LetterData;
import io.orbita.content.LetterSource;
import io.orbita.content.Letters;
import io.orbita.content.PreparedLetter;
import io.orbita.content.RenderedLetter;
import io.orbita.delivery.BounceAddress;
import io.orbita.delivery.dkim.DkimSigner;
import io.orbita.delivery.mime.Letter;
import io.orbita.delivery.mime.MailAddress;
import io.orbita.delivery.mime.MessageComposer;
import io.orbita.platform.WorkspaceId;
import io.orbita.tracking.TrackedLetters;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Turns a claimed outbox row into the final, signed bytes: render, compose, sign. */
@Component
public class MessageBuilder {

    /** The message to hand to a relay. */
    public record Built(byte[] raw, String messageId, String envelopeFrom, boolean smtputf8) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final Letters letters;
    private final Contacts contacts;
    private final SendingDomains domains;
    private final BounceAddress bounceAddress;
    private final TrackedLetters tracked;
    private final JsonMapper json;
    private final Clock clock;
    private final String bounceDomain;

    MessageBuilder(Letters letters, Contacts contacts, SendingDomains domains, BounceAddress bounceAddress,
                   TrackedLetters tracked, JsonMapper json, Clock clock,
                   @Value("${orbita.delivery.bounce-domain}") String bounceDomain) {
        this.letters = letters;
        this.contacts = contacts;
        this.domains = domains;
        this.bounceAddress = bounceAddress;
        this.tracked = tracked;
        this.json = json;
        this.clock = clock;
        this.bounceDomain = java.net.IDN.toASCII(bounceDomain);
    }

    /**
     * @throws io.orbita.platform.ValidationException when the letter does not render (a render limit, bad Liquid)
     * @throws IllegalArgumentException when an address cannot be written
     */
    public Built build(OutboxStore.Claimed c) {
        return build(c, new java.util.HashMap<>());
    }

    /**
     * @param prepared parsed letters of this thread by source, reused across the messages it builds (parsing is the
     *        expensive part of rendering, and a campaign sends one source to many recipients)
     */
    public Built build(OutboxStore.Claimed c, Map<Object, PreparedLetter> prepared) {
        io.orbita.audience.Contact contact = null;
        if (c.contactId() != null) {
            try {
                contact = contacts.get(c.workspace(), c.contactId());
            } catch (io.orbita.platform.NotFoundException e) {
                // deleted since it was queued: sent to the stored address without a name
            }
        }
        return build(c, prepared, contact);
    }

    /**
     * As {@link #build(OutboxStore.Claimed, Map)} with the row's contact loaded by the caller (with the rest of its batch),
     * or null when it has none or it was deleted: nothing is looked up per message, the renderer gets it too.
     */
    public Built build(OutboxStore.Claimed c, Map<Object, PreparedLetter> prepared, io.orbita.audience.Contact contact) {
        WorkspaceId ws = c.workspace();
        Instant now = clock.instant();
        String name = null;
        if (contact != null) {
            String full = ((contact.firstName() == null ? "" : contact.firstName()) + " "
                    + (contact.lastName() == null ? "" : contact.lastName())).strip();
            name = full.isEmpty() ? null : full;
        }
        MailAddress to = MailAddress.of(name, c.recipient());
        MailAddress from = MailAddress.of(c.fromName(), c.fromAddress());
        MailAddress replyTo = c.replyTo() == null ? null : MailAddress.of(c.fromName(), c.replyTo());

        String envelopeFrom = bounceAddress.encode(ws, c.id(), bounceDomain);
        // The recipient's own unsubscribe and preference links come from tracking, signed, with nothing stored.
        TrackedLetters.Links links = tracked.linksFor(ws, c.id(), c.contactId(), c.recipient(),
                c.marketing() ? null : "service");
        // A template may come with a subject and/or preheader replacing its own (a campaign's): layout and body stay.
        LetterSource source = c.templateId() != null
                ? (c.subject() == null && c.preheader() == null ? LetterSource.template(c.templateId())
                        : LetterSource.template(c.templateId(), c.subject(), c.preheader()))
                : LetterSource.inline(c.subject(), c.html() == null || c.html().isBlank() ? null : c.html(), c.text());
        PreparedLetter parsed = prepared.computeIfAbsent(java.util.List.of(ws.value(), source), k -> letters.prepare(ws, source));
        if (contact != null) {
            letters.prefetch(parsed, Map.of(contact.id(), contact));
        }
        Map<String, Object> data = c.dataJson() == null || c.dataJson().equals("{}") ? Map.of() : json.readValue(c.dataJson(), MAP);
        RenderedLetter r = letters.render(parsed, new LetterData(c.contactId(), c.recipient(), data,
                new LetterData.LetterLinks(links.unsubscribe(), links.preferences(), tracked.webVersion(ws, c.id(), c.contactId()))));
        // Opens and clicks are counted for every letter with HTML; only the sent message's own links can be redirected to.
        String html = r.html() == null ? null : tracked.instrument(ws, c.id(), c.contactId(), now, r.html());

        String messageId = Long.toString(ws.value(), 36) + "." + Long.toString(c.id(), 36) + "."
                + HexFormat.of().formatHex(random(8)) + "@" + from.asciiDomain();
        String campaign = c.templateId() == null ? "api" : "t" + c.templateId();
        Letter letter = new Letter(from, to, replyTo, r.subject(), html, r.text(), c.marketing(),
                c.marketing() ? links.oneClickUnsubscribe() : null, c.marketing() ? envelopeFrom + "?subject=unsubscribe" : null,
                c.marketing() ? campaign + ".w" + ws.value() + "." + bounceDomain : null,
                campaign + ":" + c.kind() + ":w" + ws.value() + ":orbita", messageId, now);
        MessageComposer.Composed composed = MessageComposer.compose(letter);
        byte[] signed = DkimSigner.sign(composed.raw(), domains.keysFor(ws, from.asciiDomain()), now);
        return new Built(signed, messageId, envelopeFrom, composed.smtputf8());
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
