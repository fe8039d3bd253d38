package io.orbita.segments.web;

import io.orbita.platform.Cursor;
import io.orbita.platform.FieldProblem;
import io.orbita.platform.JsonInput;
import io.orbita.platform.Page;
import io.orbita.platform.Problems;
import io.orbita.platform.ValidationException;
import io.orbita.segments.Segment;
import io.orbita.segments.Segments;
import io.orbita.workspace.Access;
import io.orbita.workspace.OrbitaPrincipal;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
@Tag(name = "Static lists", description = """
        Lists whose members are added and removed by hand or by API (up to 10,000 contact ids per call). Rule segments
        can test membership of a list with {"type": "segment", "segment": listId}. Every addition and removal is
        recorded as an entered/left change.""")
class ListsApi {

    record Changed(int changed) {
    }

    private final Segments segments;

    ListsApi(Segments segments) {
        this.segments = segments;
    }

    @GetMapping("/api/v1/lists")
    @Access.Read
    @Operation(summary = "List static lists", description = "Newest first, keyset-paginated.")
    Page<Segment> list(@AuthenticationPrincipal OrbitaPrincipal me, @RequestParam(required = false) String cursor,
                       @RequestParam(required = false) Integer limit) {
        return segments.list(me.workspace(), "list", cursor, Cursor.limit(limit, Segments.MAX_PAGE));
    }

    @PostMapping("/api/v1/lists")
    @Access.Market
    @Operation(summary = "Create a static list", description = "Body {name, description}.")
    ResponseEntity<Segment> create(@AuthenticationPrincipal OrbitaPrincipal me, @RequestBody JsonNode body) {
        return ResponseEntity.status(HttpStatus.CREATED).body(segments.create(me, "list", Segments.SegmentInput.fromJson(body, "list", false)));
    }

    @GetMapping("/api/v1/lists/{id}")
    @Access.Read
    @Operation(summary = "Get a static list")
    Segment get(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        return segments.get(me.workspace(), "list", id);
    }

    @PatchMapping("/api/v1/lists/{id}")
    @Access.Market
    @Operation(summary = "Rename a static list", description = "Any of name, description.")
    Segment update(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id, @RequestBody(required = false) JsonNode body) {
        segments.get(me.workspace(), "list", id);
        return segments.update(me, "list", id, Segments.SegmentInput.fromJson(body, "list", true));
    }

    @DeleteMapping("/api/v1/lists/{id}")
    @Access.Market
    @Operation(summary = "Delete a static list", description = "Refused (409) while rule segments refer to it.")
    ResponseEntity<Void> delete(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        segments.delete(me, "list", id);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/api/v1/lists/{id}/members")
    @Access.Read
    @Operation(summary = "Page through the members", description = "Newest contact first, keyset-paginated.")
    Page<Segments.Member> members(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id,
                                  @RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit) {
        return segments.members(me.workspace(), "list", id, cursor, Cursor.limit(limit, Segments.MAX_PAGE));
    }

    @GetMapping("/api/v1/lists/{id}/test")
    @Access.Read
    @Operation(summary = "Is this contact on the list?")
    Segments.MembershipTest test(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id,
                                      @RequestParam(required = false) Long contactId) {
        segments.get(me.workspace(), "list", id);
        if (contactId == null) {
            throw new io.orbita.platform.ValidationException(io.orbita.platform.FieldProblem.of("contactId", "contactId.required", "contactId is required"));
        }
        return segments.test(me.workspace(), "list", id, contactId);
    }

    @PostMapping("/api/v1/lists/{id}/members")
    @Access.EditAudience
    @Operation(summary = "Add contacts", description = "Body {\"contactIds\": [..]}; ids already on the list are ignored. Answers how many were added.")
    Changed add(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id, @RequestBody(required = false) JsonNode body) {
        segments.get(me.workspace(), "list", id);
        return new Changed(segments.addToList(me, id, ids(body)));
    }

    @PostMapping("/api/v1/lists/{id}/members/remove")
    @Access.EditAudience
    @Operation(summary = "Remove contacts", description = "Body {\"contactIds\": [..]}. Answers how many were removed.")
    Changed remove(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id, @RequestBody(required = false) JsonNode body) {
        segments.get(me.workspace(), "list", id);
        return new Changed(segments.removeFromList(me, id, ids(body)));
    }

    @GetMapping("/api/v1/lists/{id}/changes")
    @Access.Read
    @Operation(summary = "Added/removed records", description = "Newest first.")
    List<Segments.Change> changes(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id,
                                  @RequestParam(defaultValue = "100") int limit) {
        return segments.changes(me.workspace(), "list", id, Math.max(1, Math.min(limit, 1000)));
    }

    private static List<Long> ids(JsonNode body) {
        Problems p = new Problems();
        JsonInput j = JsonInput.of(body, p);
        Optional<List<String>> raw = j.strings("contactIds");
        j.rejectUnknown();
        p.throwIfAny();
        if (raw == null || raw.isEmpty() || raw.get().isEmpty()) {
            throw new ValidationException(FieldProblem.of("contactIds", "contactIds.size", "contactIds must list at least one contact id"));
        }
        List<Long> out = new ArrayList<>();
        for (String s : raw.get()) {
            try {
                out.add(Long.parseLong(s.strip()));
            } catch (NumberFormatException e) {
                throw new ValidationException(FieldProblem.of("contactIds", "json.type", "contactIds must be whole numbers"));
            }
        }
        return out;
    }
}
