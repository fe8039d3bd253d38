package io.orbita.campaigns;

import io.orbita.content.LetterData;
import io.orbita.content.LetterSource;
import io.orbita.content.Letters;
import io.orbita.content.PreparedLetter;
import io.orbita.content.RenderedLetter;
import io.orbita.content.Template;
import io.orbita.content.Templates;
import io.orbita.delivery.Outbox;
import io.orbita.delivery.SenderDomains;
import io.orbita.platform.NotFoundException;
import io.orbita.platform.ValidationException;
import io.orbita.platform.WorkspaceId;
import io.orbita.workspace.OrbitaPrincipal;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * What to look at before sending, shown as warnings (none blocks the send): the sender's domain is a sending domain of
 * this workspace whose DKIM records the DNS check found published, the letter has an unsubscribe link, a preview
 * renders without unknown variables, the subject is not one of the last five campaigns', and a test letter went out.
 */
@Service
public class Checklist {

    /**
     * One check: its code, whether it passed, details (the domain, the unknown variables, ...) and, for a check that
     * can fail in more than one way, which way ({@code notRegistered}, {@code unverified}; else null). The i18n text is
     * {@code campaigns.check.<code>.<ok|warn|reason>}.
     */
    public record Item(String code, boolean ok, String detail, String reason) {

        public Item(String code, boolean ok, String detail) {
            this(code, ok, detail, null);
        }

        /** The message key of this item's text. */
        public String messageKey() {
            return "campaigns.check." + code + "." + (ok ? "ok" : reason == null ? "warn" : reason);
        }
    }

    private static final String UNSUBSCRIBE_MARK = "https://orbita.invalid/unsubscribe-check";

    private final JdbcClient jdbc;
    private final SenderDomains senderDomains;
    private final Campaigns campaigns;
    private final Templates templates;
    private final Letters letters;
    private final Outbox outbox;
    private final Clock clock;

    Checklist(JdbcClient jdbc, SenderDomains senderDomains, Campaigns campaigns, Templates templates, Letters letters,
              Outbox outbox, Clock clock) {
        this.jdbc = jdbc;
        this.senderDomains = senderDomains;
        this.campaigns = campaigns;
        this.templates = templates;
        this.letters = letters;
        this.outbox = outbox;
        this.clock = clock;
    }

    public List<Item> check(WorkspaceId ws, long id) {
        Campaign c = campaigns.get(ws, id);
        List<Item> items = new ArrayList<>();
        items.add(dkim(ws, c));
        Template t;
        try {
            t = templates.get(ws, c.templateId());
        } catch (NotFoundException e) {
            items.add(new Item("template", false, ""));
            return items;
        }
        try {
            LetterSource source = c.subject() == null && c.preheader() == null ? LetterSource.template(c.templateId())
                    : LetterSource.template(c.templateId(), c.subject(), c.preheader());
            PreparedLetter prepared = letters.prepare(ws, source);
            Long sample = jdbc.sql("""
                            select contact_id from segment_member where workspace_id = ? and segment_id = any(?)
                            order by contact_id limit 1""")
                    .params(ws.value(), c.segmentIds().toArray(Long[]::new)).query(Long.class).optional().orElse(null);
            RenderedLetter r = letters.render(prepared, new LetterData(sample, null, Map.of("campaign", Map.of("id", c.id(), "name", c.name())),
                    new LetterData.LetterLinks(UNSUBSCRIBE_MARK, null, null)));
            items.add(new Item("unsubscribe", c.kind().equals("service") || (r.html() != null && r.html().contains(UNSUBSCRIBE_MARK)), ""));
            items.add(new Item("variables", r.warnings().isEmpty(), String.join("; ", r.warnings())));
            String subject = c.subject() == null ? t.subject() : c.subject();
            List<String> recent = new ArrayList<>();
            for (Campaign other : campaigns.recent(ws, c.id(), 5)) {
                recent.add(other.subject() != null ? other.subject() : subjectOf(ws, other.templateId()));
            }
            items.add(new Item("subject", !recent.contains(subject), subject));
        } catch (ValidationException e) {
            items.add(new Item("render", false, e.getMessage()));
        }
        items.add(new Item("test", jdbc.sql("select test_sent_at is not null from campaign where workspace_id = ? and id = ?")
                .params(ws.value(), id).query(Boolean.class).single(), ""));
        return items;
    }

    /** Sends the campaign's letter to the acting user's own address and notes it for the checklist. */
    public long sendTest(OrbitaPrincipal by, long id) {
        Campaign c = campaigns.get(by.workspace(), id);
        templates.get(by.workspace(), c.templateId());
        String kind = c.kind().equals("service") ? "transactional" : "marketing";
        // As the campaign sends it: the template with its layout, the campaign's subject and preheader replacing its own.
        boolean ownSender = c.fromEmail() != null && !c.fromEmail().isBlank();
        Outbox.BatchMessage m = new Outbox.BatchMessage(null, by.email(), kind, c.templateId(), c.subject(), c.preheader(),
                Map.of("campaign", Map.of("id", c.id(), "name", c.name())), ownSender ? c.fromName() : null,
                ownSender ? c.fromEmail() : by.email(), "campaign-test:" + id + ":" + java.util.UUID.randomUUID(), null);
        Outbox.BatchResult r = outbox.enqueueBatch(by.workspace(), List.of(m)).getFirst();
        if (r.id() == null) {
            throw new ValidationException(io.orbita.platform.FieldProblem.of("test", "campaign.test", r.problem()));
        }
        long messageId = r.id();
        jdbc.sql("update campaign set test_sent_at = ? where workspace_id = ? and id = ?")
                .params(Timestamp.from(clock.instant()), by.workspace().value(), id).update();
        return messageId;
    }

    /**
     * Only a registered domain is signed, and the signature only counts once its DKIM record is in DNS. A campaign
     * without its own sender address goes from personal managers' and the author's addresses: it warns generally.
     */
    private Item dkim(WorkspaceId ws, Campaign c) {
        if (c.fromEmail() == null) {
            return new Item("dkim", false, "");
        }
        String domain = c.fromEmail().substring(c.fromEmail().lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
        return switch (senderDomains.status(ws, domain)) {
            case VERIFIED -> new Item("dkim", true, domain);
            case UNVERIFIED -> new Item("dkim", false, domain, "unverified");
            case NOT_REGISTERED -> new Item("dkim", false, domain, "notRegistered");
        };
    }

    private String subjectOf(WorkspaceId ws, long templateId) {
        try {
            return templates.get(ws, templateId).subject();
        } catch (NotFoundException e) {
            return null;
        }
    }
}
