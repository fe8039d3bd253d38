package io.orbita.delivery.web;

import io.orbita.delivery.Suppressions;
import io.orbita.platform.Cursor;
import io.orbita.platform.FieldProblem;
import io.orbita.platform.JsonInput;
import io.orbita.platform.Page;
import io.orbita.platform.Problems;
import io.orbita.platform.ValidationException;
import io.orbita.workspace.Access;
import io.orbita.workspace.OrbitaPrincipal;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/api/v1/suppressions")
@Tag(name = "Suppressions", description = """
        Addresses no mail goes to: hard bounces, complaints, addresses past the soft-bounce limit, unsubscribes,
        manual entries and imports. Every send checks this list.""")
class SuppressionsApi {

    record NewSuppression(@Schema(description = "the address to suppress", example = "ivan@example.ru") String address,
                          @Schema(description = "why, for people reading the list (optional, up to 500 characters)") String note) {
    }

    private final Suppressions suppressions;

    SuppressionsApi(Suppressions suppressions) {
        this.suppressions = suppressions;
    }

    @GetMapping
    @Access.Read
    @Operation(summary = "List suppressed addresses", description = """
            Newest first, keyset-paginated. q matches part of the address; reason filters by hard_bounce,
            soft_bounce_limit, complaint, unsubscribed, manual or import.""")
    Page<Suppressions.Entry> list(@AuthenticationPrincipal OrbitaPrincipal me, @RequestParam(required = false) String q,
                                  @RequestParam(required = false) String reason, @RequestParam(required = false) String cursor,
                                  @RequestParam(required = false) Integer limit) {
        return suppressions.list(me.workspace(), q, reason, cursor, Cursor.limit(limit, Suppressions.MAX_PAGE));
    }

    @GetMapping("/{id}")
    @Access.Read
    @Operation(summary = "Get one suppressed address")
    Suppressions.Entry get(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        return suppressions.get(me.workspace(), id);
    }

    @GetMapping("/check")
    @Access.Read
    @Operation(summary = "Is an address suppressed?", description = "Answers {\"address\", \"suppressed\", \"entry\"}.")
    java.util.Map<String, Object> check(@AuthenticationPrincipal OrbitaPrincipal me, @RequestParam String address) {
        Suppressions.Entry e = suppressions.find(me.workspace(), address);
        java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("address", address);
        out.put("suppressed", e != null);
        if (e != null) {
            out.put("entry", e);
        }
        return out;
    }

    @PostMapping
    @Access.Market
    @Operation(summary = "Suppress an address by hand", description = "201 with the entry; 200 when it was already suppressed (the first reason is kept).")
    ResponseEntity<Suppressions.Entry> add(@AuthenticationPrincipal OrbitaPrincipal me,
                                           @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(schema = @Schema(implementation = NewSuppression.class)))
                                           @RequestBody JsonNode body) {
        Problems p = new Problems();
        JsonInput j = JsonInput.of(body, p);
        Optional<String> address = j.text("address");
        Optional<String> note = j.text("note");
        j.rejectUnknown();
        if (address == null || address.isEmpty()) {
            p.add("address", "field.required", "address is required");
        }
        p.throwIfAny();
        boolean existed = suppressions.find(me.workspace(), address.get()) != null;
        Suppressions.Entry e = suppressions.add(me, address.get(), note == null ? null : note.orElse(null));
        return ResponseEntity.status(existed ? HttpStatus.OK : HttpStatus.CREATED).body(e);
    }

    @DeleteMapping("/{id}")
    @Access.Market
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Remove an address from the list", description = "Mail may go to it again (consent permitting).")
    void remove(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        suppressions.remove(me, id);
    }

    @PostMapping(value = "/import", consumes = {"text/csv", "text/plain", "application/octet-stream"})
    @Access.Market
    @Operation(summary = "Import addresses from CSV", description = """
            Body: CSV (UTF-8) or one address per line; per line the first cell containing an @ is taken, so a header
            and extra columns are fine. Up to 100,000 addresses. Answers how many were added, how many were already
            suppressed, and the rejected lines (up to 100) with the reason.""")
    Suppressions.ImportResult importCsv(@AuthenticationPrincipal OrbitaPrincipal me, @RequestBody(required = false) byte[] body) {
        if (body == null || body.length == 0) {
            throw new ValidationException(FieldProblem.of("body", "import.empty", "send the CSV as the request body"));
        }
        return suppressions.importAddresses(me, SuppressionCsv.read(body));
    }

    @GetMapping(value = "/export", produces = "text/csv")
    @Access.Read
    @Operation(summary = "Export the list as CSV", description = "UTF-8 with BOM; columns address, reason, created_at, source_message_id, note.")
    void export(@AuthenticationPrincipal OrbitaPrincipal me, HttpServletResponse response) throws IOException {
        response.setContentType("text/csv; charset=UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"suppressions.csv\"");
        SuppressionCsv.write(suppressions, me.workspace(), response.getOutputStream());
    }
}
