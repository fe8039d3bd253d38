package io.orbita.campaigns;

import io.orbita.content.LetterData;
import io.orbita.content.LetterSource;
import io.orbita.content.Letters;
import io.orbita.content.PreparedLetter;
import io.orbita.content.RenderedLetter;
import io.orbita.content.Template;
import io.orbita.content.Templates;
import io.orbita.delivery.Outbox;
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
 * What to look at before sending, shown as warnings (none blocks the send): the sender's domain has a DKIM key in this
 * workspace, the letter has an unsubscribe link, a preview renders without unknown variables, the subject is not one
 * of the last five campaigns', and a test letter went out. The sending domain is read with a read-only query on
 * delivery's {@code sending_domain} table (delivery offers no public API for it).
 */
@Service
public class Checklist {

    /** One check: its code (for the i18n text), whether it passed, and details (the unknown variables, ...). */
    public record Item(String code, boolean ok, String detail) {
    }

    private static final String UNSUBSCRIBE_MARK = "https://orbita.invalid/unsubscribe-check";

    private final JdbcClient jdbc;
    private final Campaigns campaigns;
    private final Templates templates;
    private final Letters letters;
    private final Outbox outbox;
    private final Clock clock;

    Checklist(JdbcClient jdbc, Campaigns campaigns, Templates templates, Letters letters, Outbox outbox, Clock clock) {
        this.jdbc = jdbc;
        this.campaigns = campaigns;
        this.templates = templates;
        this.letters = letters;
        this.outbox = outbox;
        this.clock = clock;
    }

    public List<Item> check(WorkspaceId ws, long id) {
        Campaign c = campaigns.get(ws, id);
        List<Item> items = new ArrayList<>();
        String domain = c.fromEmail() == null ? null : c.fromEmail().substring(c.fromEmail().lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
        boolean dkim = domain != null && jdbc.sql("""
                        select exists (select 1 from sending_domain where workspace_id = ? and (lower(domain) = ? or ascii_domain = ?))""")
                .params(ws.value(), domain, domain).query(Boolean.class).single();
        items.add(new Item("dkim", dkim, domain == null ? "" : domain));
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

    private String subjectOf(WorkspaceId ws, long templateId) {
        try {
            return templates.get(ws, templateId).subject();
        } catch (NotFoundException e) {
            return null;
        }
    }
}
