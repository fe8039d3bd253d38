package io.orbita.audience.web;

import io.orbita.audience.ContactExport;
import io.orbita.audience.ContactFilter;
import io.orbita.audience.ConsentStatus;
import io.orbita.audience.ContactType;
import io.orbita.audience.ImportJob;
import io.orbita.audience.Imports;
import io.orbita.platform.ValidationException;
import io.orbita.platform.web.FormErrors;
import io.orbita.workspace.Access;
import io.orbita.workspace.OrbitaPrincipal;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The import wizard (upload, map columns with a preview, watch the progress, get the report) and the export buttons. */
@Controller
class ImportPages {

    private final Imports imports;
    private final ContactExport export;
    private final FormErrors formErrors;

    ImportPages(Imports imports, ContactExport export, FormErrors formErrors) {
        this.imports = imports;
        this.export = export;
        this.formErrors = formErrors;
    }

    @GetMapping("/imports")
    @Access.Read
    String list(@AuthenticationPrincipal OrbitaPrincipal me, Model model) {
        model.addAttribute("imports", imports.recent(me.workspace(), 30));
        model.addAttribute("kinds", imports.kinds());
        model.addAttribute("errors", Map.of());
        return "audience/imports";
    }

    @PostMapping("/imports")
    @Access.EditAudience
    String upload(@AuthenticationPrincipal OrbitaPrincipal me, @RequestParam(defaultValue = "contacts") String kind,
                  @RequestParam(value = "file", required = false) MultipartFile file, Model model, Locale locale) throws IOException {
        try {
            if (file == null || file.isEmpty()) {
                throw new ValidationException(io.orbita.platform.FieldProblem.of("file", "import.empty", "choose a file"));
            }
            ImportJob job = imports.upload(me, kind, file.getOriginalFilename(), file.getInputStream());
            return "redirect:/imports/" + job.id();
        } catch (ValidationException e) {
            model.addAttribute("imports", imports.recent(me.workspace(), 30));
            model.addAttribute("kinds", imports.kinds());
            model.addAttribute("errors", formErrors.resolve(e.problems(), locale));
            return "audience/imports";
        }
    }

    @GetMapping("/imports/{id}")
    @Access.Read
    String job(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id, Model model) {
        ImportJob job = imports.get(me.workspace(), id);
        return job.status().equals("uploaded") ? mapping(me, job, model, Map.of()) : progress(me, job, model, "audience/import-job");
    }

    @GetMapping("/imports/{id}/progress")
    @Access.Read
    String progressFragment(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id, Model model) {
        return progress(me, imports.get(me.workspace(), id), model, "audience/import-job :: progress");
    }

    @PostMapping("/imports/{id}/start")
    @Access.EditAudience
    String start(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id, @RequestParam Map<String, String> form,
                 Model model, Locale locale) {
        ImportJob job = imports.get(me.workspace(), id);
        Map<String, String> mapping = new LinkedHashMap<>();
        form.forEach((k, v) -> {
            if (k.startsWith("col.") && !v.isBlank()) {
                mapping.put(k.substring(4), v);
            }
        });
        try {
            imports.start(me, id, mapping, form.get("sourceLabel"),
                    Arrays.stream(form.getOrDefault("tags", "").split(",")).map(String::strip).filter(t -> !t.isEmpty()).toList());
        } catch (ValidationException e) {
            return mapping(me, new ImportJob(job.id(), job.kind(), job.status(), job.fileName(), job.fileFormat(), job.encoding(),
                    job.delimiter(), job.fileBytes(), job.headers(), mapping, form.get("sourceLabel"), List.of(), 0, 0, 0, 0, 0,
                    null, job.createdAt(), null, null), model, formErrors.resolve(e.problems(), locale));
        }
        return "redirect:/imports/" + id;
    }

    @PostMapping("/imports/{id}/cancel")
    @Access.EditAudience
    String cancel(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id, RedirectAttributes redirect, Locale locale) {
        imports.cancel(me, id);
        redirect.addFlashAttribute("flash", formErrors.text("imports.cancelledFlash", locale));
        return "redirect:/imports/" + id;
    }

    @GetMapping("/imports/{id}/errors.csv")
    @Access.Read
    void errors(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id, HttpServletResponse response) throws IOException {
        ErrorFile.send(imports, me.workspace(), id, response);
    }

    @GetMapping("/contacts/export")
    @Access.Read
    void exportContacts(@AuthenticationPrincipal OrbitaPrincipal me, @RequestParam(defaultValue = "csv") String format,
                        @RequestParam(defaultValue = "utf-8") String encoding, @RequestParam(required = false) String q,
                        @RequestParam(required = false) String type, @RequestParam(required = false) String consent,
                        @RequestParam(required = false) String tag, HttpServletResponse response) throws IOException {
        ContactFilter filter = new ContactFilter(q, null, null, tag, ContactType.fromCode(type), ConsentStatus.fromCode(consent), null);
        ExportFormat.write(export, me, filter, format, encoding, response);
    }

    private String mapping(OrbitaPrincipal me, ImportJob job, Model model, Map<String, String> errors) {
        model.addAttribute("job", job);
        model.addAttribute("delimiterName", job.delimiter() == null ? "none" : switch (job.delimiter()) {
            case ";" -> "semicolon";
            case "\t" -> "tab";
            default -> "comma";
        });
        model.addAttribute("preview", imports.preview(me.workspace(), job.id()));
        model.addAttribute("fields", imports.target(job.kind()).fields(me.workspace()));
        model.addAttribute("errors", errors);
        return "audience/import-mapping";
    }

    private String progress(OrbitaPrincipal me, ImportJob job, Model model, String view) {
        model.addAttribute("job", job);
        model.addAttribute("errorRows", imports.errorCount(me.workspace(), job.id()));
        return view;
    }
}
