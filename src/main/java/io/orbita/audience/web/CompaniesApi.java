package io.orbita.audience.web;

import io.orbita.audience.Companies;
import io.orbita.audience.Company;
import io.orbita.audience.CompanyInput;
import io.orbita.audience.Contacts;
import io.orbita.platform.Bulk;
import io.orbita.platform.Cursor;
import io.orbita.platform.FieldProblem;
import io.orbita.platform.Page;
import io.orbita.platform.ValidationException;
import io.orbita.workspace.Access;
import io.orbita.workspace.OrbitaPrincipal;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;
import org.springframework.http.ResponseEntity;
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

@RestController
@RequestMapping("/api/v1/companies")
@Tag(name = "Companies", description = "Client organisations with INN, industry, dates, personal manager and custom fields.")
class CompaniesApi {

    record BulkRequest(List<CompanyInput> items) {
    }

    private final Companies companies;

    CompaniesApi(Companies companies) {
        this.companies = companies;
    }

    @GetMapping
    @Access.Read
    @Operation(summary = "List companies", description = "Newest first, keyset-paginated; q matches a substring of the name.")
    Page<Company> list(@AuthenticationPrincipal OrbitaPrincipal me, @RequestParam(required = false) String q,
                       @RequestParam(required = false) String inn, @RequestParam(required = false) Long managerId,
                       @RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit) {
        return companies.list(me.workspace(), q, inn, managerId, cursor, Cursor.limit(limit, 500));
    }

    @GetMapping("/{id}")
    @Access.Read
    @Operation(summary = "Get a company")
    Company get(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        return companies.get(me.workspace(), id);
    }

    @PostMapping
    @Access.EditAudience
    @Operation(summary = "Create a company", description = "409 when another company of the workspace has the INN.")
    ResponseEntity<Company> create(@AuthenticationPrincipal OrbitaPrincipal me, @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(schema = @Schema(implementation = CompanyInput.class))) @RequestBody JsonNode input) {
        Company c = companies.create(me, CompanyInput.fromJson(input));
        return ResponseEntity.created(URI.create("/api/v1/companies/" + c.id())).body(c);
    }

    @PatchMapping("/{id}")
    @Access.EditAudience
    @Operation(summary = "Change a company", description = "Only the fields present change; null clears a field.")
    Company update(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id, @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(schema = @Schema(implementation = CompanyInput.class))) @RequestBody JsonNode input) {
        return companies.update(me, id, CompanyInput.fromJson(input));
    }

    @DeleteMapping("/{id}")
    @Access.EditAudience
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a company", description = "Its contacts stay, without a company.")
    void delete(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        companies.delete(me, id);
    }

    @PostMapping("/upsert")
    @Access.EditAudience
    @Operation(summary = "Create or update a company by INN (or by name when no INN is given)")
    ResponseEntity<Company> upsert(@AuthenticationPrincipal OrbitaPrincipal me, @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(schema = @Schema(implementation = CompanyInput.class))) @RequestBody JsonNode input) {
        Bulk.ItemResult r = companies.upsert(me, CompanyInput.fromJson(input));
        return ResponseEntity.status(r.status().equals("created") ? HttpStatus.CREATED : HttpStatus.OK)
                .body(companies.get(me.workspace(), r.id()));
    }

    @PostMapping("/bulk")
    @Access.EditAudience
    @Operation(summary = "Upsert up to 1,000 companies", description = "Per-item results as for contacts.")
    Bulk.Result bulk(@AuthenticationPrincipal OrbitaPrincipal me, @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(schema = @Schema(implementation = BulkRequest.class))) @RequestBody JsonNode request) {
        List<Bulk.Item<CompanyInput>> items = Bulk.read(request, Companies.MAX_BULK, CompanyInput::fromJson);
        return companies.bulkUpsert(me, items);
    }
}
