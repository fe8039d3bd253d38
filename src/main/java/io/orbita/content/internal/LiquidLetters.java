package io.orbita.content.internal;

import io.orbita.content.LetterData;
import io.orbita.content.LetterSource;
import io.orbita.content.Letters;
import io.orbita.content.PreparedLetter;
import io.orbita.content.RenderedLetter;
import io.orbita.platform.FieldProblem;
import io.orbita.platform.NotFoundException;
import io.orbita.platform.Problems;
import io.orbita.platform.WorkspaceId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** {@link Letters} with liqp: parse once per batch, render per recipient, then inline CSS and make the text part. */
@Service
public class LiquidLetters implements Letters {

    private final JdbcClient jdbc;
    private final LetterModel model;

    LiquidLetters(JdbcClient jdbc, LetterModel model) {
        this.jdbc = jdbc;
        this.model = model;
    }

    /** What a letter is made of, whichever way it was given. */
    public record Source(Long templateId, Integer version, String subject, String preheader, String html, String text, Long layoutId) {
    }

    @Override
    public Compiled prepare(WorkspaceId workspace, LetterSource source) {
        Source s;
        if (source.isTemplate()) {
            s = load(workspace, source.templateId(), source.version());
            if (source.subject() != null || source.preheader() != null) {
                // A sender's override of the subject or preheader: the template's layout and body stay.
                s = new Source(s.templateId(), s.version(), source.subject() != null ? source.subject() : s.subject(),
                        source.preheader() != null ? source.preheader() : s.preheader(), s.html(), s.text(), s.layoutId());
            }
        } else {
            Problems p = new Problems();
            if (source.subject() == null || source.subject().isBlank()) {
                p.add("subject", "field.required", "subject is required");
            }
            if (source.html() == null || source.html().isBlank()) {
                p.add("html", "field.required", "html is required");
            }
            p.throwIfAny();
            s = new Source(null, null, source.subject(), source.preheader(), source.html(), source.text(), null);
        }
        return compile(workspace, s);
    }

    /** Parses a letter that is not (yet) saved: the editor's preview and the checks before a save. */
    public Compiled compile(WorkspaceId workspace, Source s) {
        String layout = null;
        if (s.layoutId() != null) {
            layout = jdbc.sql("select html from content_layout where workspace_id = ? and id = ?")
                    .params(workspace.value(), s.layoutId()).query(String.class).optional()
                    .orElseThrow(() -> new io.orbita.platform.ValidationException(
                            FieldProblem.of("layoutId", "layout.unknown", "no such layout in this workspace")));
        }
        return compile(workspace, s, layout, snippets(workspace));
    }

    /**
     * Throws {@link io.orbita.platform.ValidationException} when the letter does not parse or cannot render (an
     * unknown filter, a limit broken with sample data): what a save must refuse.
     */
    public void check(WorkspaceId workspace, Source s) {
        renderSample(compile(workspace, s), new LetterData(null, null, Map.of(), null));
    }

    public boolean hasContentSlot(String layout) {
        return LiquidSyntax.hasContentSlot(layout);
    }

    /** A layout must parse on its own and around a trivial letter. */
    public void checkLayout(WorkspaceId workspace, String layout) {
        renderSample(compile(workspace, new Source(null, null, "x", null, "<p>x</p>", null, null), layout, snippets(workspace)),
                new LetterData(null, null, Map.of(), null));
    }

    /** A snippet must parse as HTML Liquid. */
    public void checkSnippet(WorkspaceId workspace, String body) {
        LiquidEngine.parts(LiquidEngine.Limits.DEFAULT, Map.of()).parse("html", body, true);
    }

    Compiled compile(WorkspaceId workspace, Source s, String layout, Map<String, String> snippets) {
        return compile(workspace, s, layout, snippets, LiquidEngine.Limits.DEFAULT);
    }

    Compiled compile(WorkspaceId workspace, Source s, String layout, Map<String, String> snippets, LiquidEngine.Limits limits) {
        LiquidEngine.Parts parts = LiquidEngine.parts(limits, snippets);
        LiquidEngine.Part subject = parts.parse("subject", s.subject(), false);
        LiquidEngine.Part preheader = blank(s.preheader()) ? null : parts.parse("preheader", s.preheader(), false);
        LiquidEngine.Part html = parts.parse("html", s.html(), true);
        if (layout != null) {
            parts.parse("layout", layout, true);
            html = parts.parse("html", LiquidSyntax.compose(layout, s.html()), true);
        }
        LiquidEngine.Part text = blank(s.text()) ? null : parts.parse("text", s.text(), false);
        StringBuilder all = new StringBuilder().append(s.subject()).append('\n').append(s.preheader()).append('\n')
                .append(s.html()).append('\n').append(s.text()).append('\n').append(layout);
        if (all.indexOf("include") >= 0 || all.indexOf("render") >= 0) {
            snippets.values().forEach(v -> all.append('\n').append(v));
        }
        return new Compiled(workspace, s.templateId(), s.version(), parts, subject, preheader, html, text,
                LetterModel.Needs.of(all.toString()));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private Source load(WorkspaceId ws, long templateId, Integer version) {
        if (version == null) {
            return jdbc.sql("""
                            select id, current_version, subject, preheader, html, text, layout_id from content_template
                            where workspace_id = ? and id = ?""")
                    .params(ws.value(), templateId)
                    .query((rs, n) -> new Source(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), (Long) rs.getObject(7, Long.class)))
                    .optional().orElseThrow(() -> new NotFoundException("template", templateId));
        }
        return jdbc.sql("""
                        select template_id, version, subject, preheader, html, text, layout_id from content_template_version
                        where workspace_id = ? and template_id = ? and version = ?""")
                .params(ws.value(), templateId, version)
                .query((rs, n) -> new Source(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), (Long) rs.getObject(7, Long.class)))
                .optional().orElseThrow(() -> new NotFoundException("template version", templateId + "/" + version));
    }

    Map<String, String> snippets(WorkspaceId ws) {
        Map<String, String> out = new LinkedHashMap<>();
        jdbc.sql("select name, body from content_snippet where workspace_id = ?").param(ws.value())
                .query(rs -> {
                    out.put(rs.getString(1), rs.getString(2));
                });
        return out;
    }

    @Override
    public RenderedLetter render(PreparedLetter letter, LetterData data) {
        Compiled c = compiled(letter);
        c.parts.misses.clear();
        return c.render(model.build(c.workspace(), data, c.parts.misses, c.needs, c.cache));
    }

    @Override
    public void prefetch(PreparedLetter letter, java.util.Collection<Long> contactIds) {
        Compiled c = compiled(letter);
        model.prefetch(c.workspace(), contactIds, c.cache);
    }

    @Override
    public void prefetch(PreparedLetter letter, Map<Long, io.orbita.audience.Contact> contacts) {
        compiled(letter).cache.remember(contacts);
    }

    /** Renders with made-up sample data (a plausible client, manager and orders) for previews without a contact. */
    public RenderedLetter renderSample(PreparedLetter letter, LetterData data) {
        Compiled c = compiled(letter);
        c.parts.misses.clear();
        return c.render(model.sample(data, c.parts.misses));
    }

    private static Compiled compiled(PreparedLetter letter) {
        if (!(letter instanceof Compiled c)) {
            throw new IllegalArgumentException("a PreparedLetter must come from Letters.prepare");
        }
        return c;
    }

    /** The parsed parts of one letter; confined to the thread that renders with it. */
    public static final class Compiled implements PreparedLetter {
        private final WorkspaceId workspace;
        private final Long templateId;
        private final Integer version;
        final LiquidEngine.Parts parts;
        private final LiquidEngine.Part subject;
        private final LiquidEngine.Part preheader;
        private final LiquidEngine.Part html;
        private final LiquidEngine.Part text;
        final LetterModel.Needs needs;
        final LetterModel.BatchCache cache = new LetterModel.BatchCache();

        Compiled(WorkspaceId workspace, Long templateId, Integer version, LiquidEngine.Parts parts, LiquidEngine.Part subject,
                 LiquidEngine.Part preheader, LiquidEngine.Part html, LiquidEngine.Part text, LetterModel.Needs needs) {
            this.needs = needs;
            this.workspace = workspace;
            this.templateId = templateId;
            this.version = version;
            this.parts = parts;
            this.subject = subject;
            this.preheader = preheader;
            this.html = html;
            this.text = text;
        }

        @Override
        public WorkspaceId workspace() {
            return workspace;
        }

        @Override
        public Long templateId() {
            return templateId;
        }

        @Override
        public Integer version() {
            return version;
        }

        RenderedLetter render(Map<String, Object> root) {
            String subj = oneLine(parts.render("subject", subject, root));
            String pre = preheader == null ? "" : oneLine(parts.render("preheader", preheader, root));
            String body = parts.render("html", html, root);
            HtmlOutput out = HtmlOutput.of(withPreheader(body, pre), text == null);
            String plain = text == null ? out.text() : parts.render("text", text, root);
            body = out.html();
            List<String> warnings = LiquidEngine.warnings(parts.misses);
            return new RenderedLetter(subj, pre, body, plain, warnings);
        }
    }

    /** Subjects and preheaders are one line: contact data with CR/LF or tabs cannot break them (or a mail header). */
    private static final java.util.regex.Pattern CONTROLS = java.util.regex.Pattern.compile("[\\r\\n\\t\\u0085\\u2028\\u2029\\x00-\\x1f]+");
    private static final java.util.regex.Pattern SPACES = java.util.regex.Pattern.compile(" {2,}");

    static String oneLine(String s) {
        return s == null ? "" : SPACES.matcher(CONTROLS.matcher(s).replaceAll(" ")).replaceAll(" ").strip();
    }

    private static final java.util.regex.Pattern BODY = java.util.regex.Pattern.compile("<body[^>]*>", java.util.regex.Pattern.CASE_INSENSITIVE);

    /** The hidden preview line mail clients show next to the subject, put first in the body. */
    static String withPreheader(String html, String preheader) {
        if (preheader == null || preheader.isEmpty()) {
            return html;
        }
        String block = "<div class=\"preheader\" style=\"display:none;max-height:0;overflow:hidden;mso-hide:all;font-size:1px;line-height:1px;color:transparent;opacity:0\">"
                + RussianFilters.escapeHtml(preheader) + "</div>";
        java.util.regex.Matcher m = BODY.matcher(html);
        if (m.find()) {
            return html.substring(0, m.end()) + block + html.substring(m.end());
        }
        return block + html;
    }
}
