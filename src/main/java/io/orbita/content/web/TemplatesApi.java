package io.orbita.content.web;

import io.orbita.content.RenderedLetter;
import io.orbita.content.Template;
import io.orbita.content.TemplateInput;
import io.orbita.content.TemplateVersion;
import io.orbita.content.Templates;
import io.orbita.content.internal.LiquidLetters;
import io.orbita.content.internal.Previews;
import io.orbita.platform.Cursor;
import io.orbita.platform.JsonInput;
import io.orbita.platform.Page;
import io.orbita.platform.Problems;
import io.orbita.workspace.Access;
import io.orbita.workspace.OrbitaPrincipal;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/api/v1/templates")
@Tag(name = "Templates", description = """
        Letter templates in Liquid: subject, preheader, HTML and an optional plain-text part (made from the HTML when
        absent), optionally put into a layout. Every save is checked (the Liquid must parse and render) and kept as a
        version. Variables: contact, company, manager (the personal manager), orders, purchases, recommended, data
        (caller data such as cart lines), links (unsubscribe, preferences, web_version), today. HTML outputs are
        escaped unless piped through `raw`; filters `money`, `ru_date` and `plural` format Russian amounts, dates and
        plural forms.""")
class TemplatesApi {

    record TemplateBody(@Schema(description = "shown in the template list") String name,
                        @Schema(description = "service, news, content, event or promo") String kind,
                        @Schema(description = "welcome, post_sale, loyalty, congratulations, abandoned_cart, reactivation, nps, renewal, churn, or null") String scenario,
                        @Schema(description = "Liquid, rendered as one line of plain text") String subject,
                        @Schema(description = "Liquid; the preview line mail clients show after the subject") String preheader,
                        @Schema(description = "Liquid HTML: a whole document, or the content part when layoutId is set") String html,
                        @Schema(description = "Liquid plain text; null makes it from the HTML") String text,
                        @Schema(description = "layout to put the HTML into") Long layoutId) {
    }

    record PreviewBody(@Schema(description = "render for this contact; absent renders sample data") Long contactId,
                       @Schema(description = "a saved version; absent renders the current one") Integer version,
                       @Schema(description = "extra data, seen as `data` in Liquid (e.g. cart lines)") Map<String, Object> data) {
    }

    record Preview(String subject, String preheader, String html, String text, List<String> warnings) {
        static Preview of(RenderedLetter r) {
            return new Preview(r.subject(), r.preheader(), r.html(), r.text(), r.warnings());
        }
    }

    private final Templates templates;
    private final Previews previews;

    TemplatesApi(Templates templates, Previews previews) {
        this.templates = templates;
        this.previews = previews;
    }

    @GetMapping
    @Access.Read
    @Operation(summary = "List templates", description = "Newest first, keyset-paginated; q matches the name, kind and scenario filter.")
    Page<Template> list(@AuthenticationPrincipal OrbitaPrincipal me, @RequestParam(required = false) String q,
                        @RequestParam(required = false) String kind, @RequestParam(required = false) String scenario,
                        @RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit) {
        return templates.list(me.workspace(), q, kind, scenario, cursor, Cursor.limit(limit, Templates.MAX_PAGE));
    }

    @GetMapping("/{id}")
    @Access.Read
    @Operation(summary = "Get a template", description = "Its current version.")
    Template get(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        return templates.get(me.workspace(), id);
    }

    @PostMapping
    @Access.Market
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a template", description = """
            name, kind, subject and html are required. Liquid syntax errors answer 422 naming the part and the line
            (e.g. `html, line 3: ...`).""")
    Template create(@AuthenticationPrincipal OrbitaPrincipal me,
                    @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(schema = @Schema(implementation = TemplateBody.class)))
                    @RequestBody JsonNode body) {
        return templates.create(me, read(body, null));
    }

    @PatchMapping("/{id}")
    @Access.Market
    @Operation(summary = "Change a template", description = "Only the fields present change; the result is saved as a new version.")
    Template update(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id,
                    @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(schema = @Schema(implementation = TemplateBody.class)))
                    @RequestBody JsonNode body) {
        Template current = templates.get(me.workspace(), id);
        return templates.update(me, id, read(body, current));
    }

    @DeleteMapping("/{id}")
    @Access.Market
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a template and its versions")
    void delete(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        templates.delete(me, id);
    }

    @GetMapping("/{id}/versions")
    @Access.Read
    @Operation(summary = "Saved versions of a template", description = "Newest first; every save made one.")
    List<TemplateVersion> versions(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        return templates.versions(me.workspace(), id);
    }

    @GetMapping("/{id}/versions/{version}")
    @Access.Read
    @Operation(summary = "One saved version of a template")
    TemplateVersion version(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id, @PathVariable int version) {
        return templates.version(me.workspace(), id, version);
    }

    @PostMapping("/{id}/versions/{version}/restore")
    @Access.Market
    @Operation(summary = "Restore a saved version", description = "Saves that version's content as the newest version.")
    Template restore(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id, @PathVariable int version) {
        return templates.restore(me, id, version);
    }

    @PostMapping("/{id}/preview")
    @Access.Read
    @Operation(summary = "Render a template", description = """
            For a contact of the workspace (contactId) or with sample data (no contactId): subject, preheader, HTML
            (CSS inlined), text part, and warnings such as unknown variables. Links in a preview go nowhere.""")
    Preview preview(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id,
                    @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(schema = @Schema(implementation = PreviewBody.class)))
                    @RequestBody(required = false) JsonNode body) {
        templates.get(me.workspace(), id);
        Problems p = new Problems();
        Long contactId = null;
        Integer version = null;
        Map<String, Object> data = Map.of();
        if (body != null && !body.isNull()) {
            JsonInput j = JsonInput.of(body, p);
            contactId = orNull(j.id("contactId"));
            Long v = orNull(j.id("version"));
            version = v == null ? null : v.intValue();
            data = Optional.ofNullable(orNull(j.object("data"))).orElse(Map.of());
            j.rejectUnknown();
        }
        p.throwIfAny();
        return Preview.of(previews.template(me.workspace(), id, version, contactId, data));
    }

    @PostMapping("/preview")
    @Access.Read
    @Operation(summary = "Render unsaved Liquid", description = """
            The template fields (subject, preheader, html, text, layoutId) plus contactId and data, as the editor's
            live preview uses it. Nothing is saved.""")
    Preview previewSource(@AuthenticationPrincipal OrbitaPrincipal me, @RequestBody JsonNode body) {
        Problems p = new Problems();
        JsonInput j = JsonInput.of(body, p);
        String subject = orNull(j.text("subject"));
        String preheader = orNull(j.text("preheader"));
        String html = orNull(j.text("html"));
        String text = orNull(j.text("text"));
        Long layoutId = orNull(j.id("layoutId"));
        Long contactId = orNull(j.id("contactId"));
        Map<String, Object> data = orNull(j.object("data"));
        j.rejectUnknown();
        if (subject == null) {
            p.add("subject", "field.required", "subject is required");
        }
        if (html == null) {
            p.add("html", "field.required", "html is required");
        }
        p.throwIfAny();
        return Preview.of(previews.source(me.workspace(), new LiquidLetters.Source(null, null, subject, preheader, html, text, layoutId),
                contactId, data));
    }

    private static <T> T orNull(Optional<T> v) {
        return v == null ? null : v.orElse(null);
    }

    /** The input, starting from the current template for a PATCH (absent fields keep their value). */
    private static TemplateInput read(JsonNode body, Template current) {
        Problems p = new Problems();
        JsonInput j = JsonInput.of(body, p);
        Optional<String> name = j.text("name");
        Optional<String> kind = j.text("kind");
        Optional<String> scenario = j.text("scenario");
        Optional<String> subject = j.text("subject");
        Optional<String> preheader = j.text("preheader");
        Optional<String> html = j.text("html");
        Optional<String> text = j.text("text");
        Optional<Long> layoutId = j.id("layoutId");
        j.rejectUnknown();
        p.throwIfAny();
        return new TemplateInput(
                pick(name, current == null ? null : current.name()),
                pick(kind, current == null ? null : current.kind()),
                pick(scenario, current == null ? null : current.scenario()),
                pick(subject, current == null ? null : current.subject()),
                pick(preheader, current == null ? null : current.preheader()),
                pick(html, current == null ? null : current.html()),
                pick(text, current == null ? null : current.text()),
                pick(layoutId, current == null ? null : current.layoutId()));
    }

    private static <T> T pick(Optional<T> given, T current) {
        return given == null ? current : given.orElse(null);
    }
}
