package io.orbita.segments.web;

import io.orbita.platform.Cursor;
import io.orbita.platform.Page;
import io.orbita.segments.RuleContext;
import io.orbita.segments.Segment;
import io.orbita.segments.Segments;
import io.orbita.segments.internal.FieldCatalogue;
import io.orbita.segments.internal.Membership;
import io.orbita.segments.internal.RuleCompiler;
import io.orbita.workspace.Access;
import io.orbita.workspace.OrbitaPrincipal;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@Tag(name = "Segments", description = """
        Rule segments: a tree of groups {"type":"and"|"or","rules":[...]}, {"type":"not","rule":{...}} and conditions,
        compiled into one SQL query over the workspace's contacts. Conditions (see GET /api/v1/segments/schema):
        field (contact, company and custom fields, tags, type, source, manager, consent), anniversary, bought, orders,
        last_purchase, rfm, activity, contract, event, abandoned_cart, segment (membership of another segment or list);
        engagement, declared by the modules that own the mail data: opened / clicked {"days": N} (any letter, human hits
        only), not_opened {"days": N} (opened nothing for N days), replied {"days": N}, bounced {"days": N} (a letter
        bounced or the address is suppressed for bouncing; days optional), campaign {"campaign": id, "action":
        "received"|"opened"|"clicked", "days": N}. Purchase, RFM and event conditions read per-contact aggregates kept
        with each order and event; RFM scores are recomputed by the periodic refresh.
        Periods are {"lastDays": N} or {"from": "YYYY-MM-DD", "to": "YYYY-MM-DD"} in the workspace's time zone.
        Invalid rules answer 400 problem+json whose errors name the path of the offending node, e.g.
        rule.rules[1].op. Membership is stored and refreshed: on every rule change, when a contact's data, orders or
        events change (that contact only), and periodically for time-based conditions.""")
class SegmentsApi {

    record Count(long count, long storedSize) {
    }

    record RuleCount(long count) {
    }

    record Schema(List<String> types, List<FieldInfo> fields, Map<String, List<String>> operators, List<String> rfmGroups) {
    }

    record FieldInfo(String name, String type, List<String> options) {
    }

    private final Segments segments;
    private final RuleCompiler compiler;

    SegmentsApi(Segments segments, RuleCompiler compiler) {
        this.segments = segments;
        this.compiler = compiler;
    }

    @GetMapping("/api/v1/segments")
    @Access.Read
    @Operation(summary = "List segments", description = "Newest first, keyset-paginated; built-in segments are included.")
    Page<Segment> list(@AuthenticationPrincipal OrbitaPrincipal me, @RequestParam(required = false) String cursor,
                       @RequestParam(required = false) Integer limit) {
        return segments.list(me.workspace(), "rule", cursor, Cursor.limit(limit, Segments.MAX_PAGE));
    }

    @GetMapping("/api/v1/segments/schema")
    @Access.Read
    @Operation(summary = "What rules may contain", description = """
            The condition types, every field of the workspace (custom fields included) with its type and choice options,
            and the operators of each field type.""")
    Schema schema(@AuthenticationPrincipal OrbitaPrincipal me) {
        RuleContext ctx = compiler.context(me.workspace());
        return new Schema(compiler.types(),
                FieldCatalogue.all(ctx).stream().map(f -> new FieldInfo(f.name(), f.type(), f.options())).toList(),
                FieldCatalogue.OPERATORS.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                        e -> FieldCatalogue.OPERATOR_ORDER.stream().filter(e.getValue()::contains).toList())),
                List.of("champions", "loyal", "promising", "needs_attention", "at_risk", "hibernating"));
    }

    @GetMapping("/api/v1/segments/rule-schema")
    @Access.Read
    @Operation(summary = "The JSON Schema of rules", description = "The published shape of rule trees (JSON Schema 2020-12).")
    ResponseEntity<String> ruleSchema() throws java.io.IOException {
        try (var in = getClass().getResourceAsStream("/segments/rule.schema.json")) {
            return ResponseEntity.ok().contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                    .body(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    @GetMapping("/api/v1/segments/settings")
    @Access.Read
    @Operation(summary = "Segmentation settings", description = "purchaseCycleDays: active clients bought within it (default 180).")
    Segments.Settings settings(@AuthenticationPrincipal OrbitaPrincipal me) {
        return segments.settings(me.workspace());
    }

    @org.springframework.web.bind.annotation.PutMapping("/api/v1/segments/settings")
    @Access.Market
    @Operation(summary = "Change the segmentation settings", description = """
            Body {"purchaseCycleDays": 1..3650}. Segments using the activity condition (the built-in active and formerly
            active clients) are recounted at once.""")
    Segments.Settings changeSettings(@AuthenticationPrincipal OrbitaPrincipal me, @RequestBody JsonNode body) {
        io.orbita.platform.Problems p = new io.orbita.platform.Problems();
        io.orbita.platform.JsonInput j = io.orbita.platform.JsonInput.of(body, p);
        var days = j.id("purchaseCycleDays");
        j.rejectUnknown();
        p.throwIfAny();
        return segments.changeSettings(me, days == null ? null : days.map(Long::intValue).orElse(null));
    }

    @PostMapping("/api/v1/segments/count")
    @Access.Read
    @Operation(summary = "Count a rule without saving it", description = "Body {\"rule\": {...}}; the builder's live count.")
    RuleCount countRule(@AuthenticationPrincipal OrbitaPrincipal me, @RequestBody JsonNode body) {
        JsonNode rule = Segments.SegmentInput.fromJson(body, "rule", true).rule();
        if (rule == null) {
            throw new io.orbita.platform.ValidationException(io.orbita.platform.FieldProblem.of("rule", "rule.required", "rule is required"));
        }
        return new RuleCount(segments.count(me.workspace(), null, rule));
    }

    @PostMapping("/api/v1/segments")
    @Access.Market
    @Operation(summary = "Create a segment", description = "Body {name, description, rule}. Members are computed at once.")
    ResponseEntity<Segment> create(@AuthenticationPrincipal OrbitaPrincipal me, @RequestBody JsonNode body) {
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(segments.create(me, "rule", Segments.SegmentInput.fromJson(body, "rule", false)));
    }

    @GetMapping("/api/v1/segments/{id}")
    @Access.Read
    @Operation(summary = "Get a segment")
    Segment get(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        return segments.get(me.workspace(), "rule", id);
    }

    @PatchMapping("/api/v1/segments/{id}")
    @Access.Market
    @Operation(summary = "Change a segment", description = "Any of name, description, rule; a new rule refreshes the members. Built-in rules cannot change.")
    Segment update(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id, @RequestBody(required = false) JsonNode body) {
        segments.get(me.workspace(), "rule", id);
        return segments.update(me, "rule", id, Segments.SegmentInput.fromJson(body, "rule", true));
    }

    @DeleteMapping("/api/v1/segments/{id}")
    @Access.Market
    @Operation(summary = "Delete a segment", description = "Refused (409) for built-in segments and segments other rules refer to.")
    ResponseEntity<Void> delete(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        segments.delete(me, "rule", id);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/api/v1/segments/{id}/count")
    @Access.Read
    @Operation(summary = "Count the segment now", description = "count: evaluated now; storedSize: members at the last refresh.")
    Count count(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        long now = segments.count(me.workspace(), "rule", id);
        return new Count(now, segments.get(me.workspace(), "rule", id).size());
    }

    @GetMapping("/api/v1/segments/{id}/members")
    @Access.Read
    @Operation(summary = "Page through the stored members", description = "Newest contact first, keyset-paginated.")
    Page<Segments.Member> members(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id,
                                  @RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit) {
        return segments.members(me.workspace(), "rule", id, cursor, Cursor.limit(limit, Segments.MAX_PAGE));
    }

    @GetMapping("/api/v1/segments/{id}/test")
    @Access.Read
    @Operation(summary = "Is this contact in the segment?", description = "matchesNow: by the rule evaluated now; stored: in the stored membership.")
    Segments.MembershipTest test(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id,
                                      @RequestParam(required = false) Long contactId) {
        segments.get(me.workspace(), "rule", id);
        if (contactId == null) {
            throw new io.orbita.platform.ValidationException(io.orbita.platform.FieldProblem.of("contactId", "contactId.required", "contactId is required"));
        }
        return segments.test(me.workspace(), "rule", id, contactId);
    }

    @PostMapping("/api/v1/segments/{id}/refresh")
    @Access.Market
    @Operation(summary = "Refresh the stored members now", description = "Returns how many contacts entered and left.")
    Membership.Result refresh(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        return segments.refresh(me.workspace(), id);
    }

    @GetMapping("/api/v1/segments/{id}/changes")
    @Access.Read
    @Operation(summary = "Entered/left records", description = "Newest first; up to limit (default 100, at most 1000).")
    List<Segments.Change> changes(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id,
                                  @RequestParam(defaultValue = "100") int limit) {
        return segments.changes(me.workspace(), "rule", id, Math.max(1, Math.min(limit, 1000)));
    }

    @GetMapping("/api/v1/segments/{id}/sizes")
    @Access.Read
    @Operation(summary = "Size over time", description = "One point per day of the periodic refresh, oldest first.")
    List<Segments.SizePoint> sizes(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id,
                                   @RequestParam(defaultValue = "90") int days) {
        return segments.sizes(me.workspace(), "rule", id, Math.max(1, Math.min(days, 3660)));
    }

    @GetMapping("/api/v1/segments/{id}/sql")
    @Access.Administer
    @Operation(summary = "The compiled SQL and its plan", description = "The count query with its bind values and PostgreSQL's EXPLAIN; for administrators.")
    Segments.Compiled sql(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        return segments.compiled(me.workspace(), id);
    }
}
