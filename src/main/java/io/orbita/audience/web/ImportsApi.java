package io.orbita.audience.web;

import io.orbita.audience.ContactExport;
import io.orbita.audience.ContactFilter;
import io.orbita.audience.ConsentStatus;
import io.orbita.audience.ContactType;
import io.orbita.audience.ImportJob;
import io.orbita.audience.Imports;
import io.orbita.platform.FieldProblem;
import io.orbita.platform.ValidationException;
import io.orbita.workspace.Access;
import io.orbita.workspace.OrbitaPrincipal;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@RestController
@Tag(name = "Import and export", description = "CSV and XLSX files in and out, as B2B users and their CRMs produce them.")
class ImportsApi {

    /** An import with the counts a client polls for, and where to get the error file. */
    record ImportStatus(ImportJob job, long errorRows, String errorsUrl) {
    }

    private final Imports imports;
    private final ContactExport export;
    private final JsonMapper json;

    ImportsApi(Imports imports, ContactExport export, JsonMapper json) {
        this.imports = imports;
        this.export = export;
        this.json = json;
    }

    @PostMapping(path = "/api/v1/imports", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Access.EditAudience
    @Operation(summary = "Import a CSV or XLSX file", description = """
            Multipart fields: file; kind (contacts, companies, products, orders); mapping (JSON object: column header or
            0-based column index -> field, e.g. {"E-mail": "email", "Фамилия": "lastName"}; omitted = columns whose header
            names a field); sourceLabel (set on contacts the import creates); tags (comma-separated, added to every
            imported contact). Encoding (UTF-8 with or without BOM, Windows-1251) and separator (; , tab) are detected.
            Rows are upserted by email (contacts), INN or name (companies), SKU (products), external id (orders); bad rows
            are skipped and listed in the error file. Answers 202 with the import; poll GET /api/v1/imports/{id}.""")
    ResponseEntity<ImportStatus> create(@AuthenticationPrincipal OrbitaPrincipal me, @RequestParam("file") MultipartFile file,
                                        @RequestParam String kind, @RequestParam(required = false) String mapping,
                                        @RequestParam(required = false) String sourceLabel,
                                        @RequestParam(required = false) String tags) throws IOException {
        if (file.isEmpty()) {
            throw new ValidationException(FieldProblem.of("file", "import.empty", "the file is empty"));
        }
        ImportJob job = imports.upload(me, kind, file.getOriginalFilename(), file.getInputStream());
        Map<String, String> columns = mapping == null || mapping.isBlank() ? job.mapping() : byIndex(job, mapping);
        job = imports.start(me, job.id(), columns, sourceLabel,
                tags == null ? List.of() : Arrays.stream(tags.split(",")).map(String::strip).filter(t -> !t.isEmpty()).toList());
        return ResponseEntity.status(HttpStatus.ACCEPTED).location(URI.create("/api/v1/imports/" + job.id())).body(status(me, job));
    }

    @GetMapping("/api/v1/imports")
    @Access.Read
    @Operation(summary = "Recent imports")
    List<ImportJob> recent(@AuthenticationPrincipal OrbitaPrincipal me) {
        return imports.recent(me.workspace(), 50);
    }

    @GetMapping("/api/v1/imports/{id}")
    @Access.Read
    @Operation(summary = "Progress and counts of an import", description = "status: queued, running, done, failed, cancelled.")
    ImportStatus get(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        return status(me, imports.get(me.workspace(), id));
    }

    @PostMapping("/api/v1/imports/{id}/cancel")
    @Access.EditAudience
    @Operation(summary = "Cancel an import", description = "Rows already applied stay; the rest is not applied.")
    ImportStatus cancel(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        return status(me, imports.cancel(me, id));
    }

    @GetMapping("/api/v1/imports/{id}/errors")
    @Access.Read
    @Operation(summary = "The error file of an import", description = "CSV (UTF-8 with BOM, ;-separated): row, column, value, reason.")
    void errors(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id, HttpServletResponse response) throws IOException {
        ErrorFile.send(imports, me.workspace(), id, response);
    }

    @GetMapping("/api/v1/contacts/export")
    @Access.Read
    @Operation(summary = "Export contacts", description = """
            format csv (default; UTF-8 with BOM, or Windows-1251 with encoding=windows-1251) or xlsx; the same filters as
            the contacts list.""")
    void exportContacts(@AuthenticationPrincipal OrbitaPrincipal me,
                        @Parameter(description = "csv or xlsx") @RequestParam(defaultValue = "csv") String format,
                        @Parameter(description = "utf-8 or windows-1251 (CSV only)") @RequestParam(defaultValue = "utf-8") String encoding,
                        @RequestParam(required = false) String q, @RequestParam(required = false) String tag,
                        @RequestParam(required = false) String type, @RequestParam(required = false) String consent,
                        @RequestParam(required = false) Long companyId, HttpServletResponse response) throws IOException {
        ContactFilter filter = new ContactFilter(q, null, companyId, tag, ContactsApi.parse("type", type, ContactType.fromCode(type)),
                ContactsApi.parse("consent", consent, ConsentStatus.fromCode(consent)), null);
        ExportFormat.write(export, me, filter, format, encoding, response);
    }

    private ImportStatus status(OrbitaPrincipal me, ImportJob job) {
        return new ImportStatus(job, imports.errorCount(me.workspace(), job.id()), "/api/v1/imports/" + job.id() + "/errors");
    }

    /** Accepts a mapping keyed by column index or by header text. */
    private Map<String, String> byIndex(ImportJob job, String mapping) {
        JsonNode node;
        try {
            node = json.readTree(mapping);
        } catch (RuntimeException e) {
            throw new ValidationException(FieldProblem.of("mapping", "json.type", "mapping must be a JSON object"));
        }
        if (!node.isObject()) {
            throw new ValidationException(FieldProblem.of("mapping", "json.type", "mapping must be a JSON object"));
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (var e : node.properties()) {
            String key = e.getKey();
            int index = key.matches("\\d+") ? Integer.parseInt(key) : job.headers().indexOf(key.strip());
            if (index < 0) {
                throw new ValidationException(FieldProblem.of("mapping." + key, "import.column", "no column '" + key + "' in the file"));
            }
            out.put(Integer.toString(index), e.getValue().asString(""));
        }
        return out;
    }
}
