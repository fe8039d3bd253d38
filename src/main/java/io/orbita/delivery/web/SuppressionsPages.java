package io.orbita.delivery.web;

import io.orbita.delivery.Suppressions;
import io.orbita.delivery.inbound.InboundMessages;
import io.orbita.platform.Cursor;
import io.orbita.platform.ValidationException;
import io.orbita.platform.web.FormErrors;
import io.orbita.workspace.Access;
import io.orbita.workspace.OrbitaPrincipal;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
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

/** The suppression list page (view, search, add, remove, import, export) and the inbound mail page. */
@Controller
class SuppressionsPages {

    private final Suppressions suppressions;
    private final InboundMessages inbound;
    private final FormErrors formErrors;

    SuppressionsPages(Suppressions suppressions, InboundMessages inbound, FormErrors formErrors) {
        this.suppressions = suppressions;
        this.inbound = inbound;
        this.formErrors = formErrors;
    }

    @GetMapping("/suppressions")
    @Access.Read
    String list(@AuthenticationPrincipal OrbitaPrincipal me, @RequestParam(required = false) String q,
                @RequestParam(required = false) String reason, @RequestParam(required = false) String cursor, Model model) {
        return render(me, q, reason, cursor, model, Map.of(), Map.of());
    }

    @PostMapping("/suppressions")
    @Access.Market
    String add(@AuthenticationPrincipal OrbitaPrincipal me, @RequestParam Map<String, String> params, Model model,
               RedirectAttributes redirect, Locale locale) {
        try {
            Suppressions.Entry e = suppressions.add(me, params.get("address"), params.get("note"));
            redirect.addFlashAttribute("flash", formErrors.text("suppressions.added", locale, e.address()));
        } catch (ValidationException e) {
            return render(me, null, null, null, model, params, formErrors.resolve(e.problems(), locale));
        }
        return "redirect:/suppressions";
    }

    @PostMapping("/suppressions/{id}/remove")
    @Access.Market
    String remove(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id, RedirectAttributes redirect, Locale locale) {
        Suppressions.Entry e = suppressions.get(me.workspace(), id);
        suppressions.remove(me, id);
        redirect.addFlashAttribute("flash", formErrors.text("suppressions.removed", locale, e.address()));
        return "redirect:/suppressions";
    }

    @PostMapping("/suppressions/import")
    @Access.Market
    String importFile(@AuthenticationPrincipal OrbitaPrincipal me, @RequestParam(value = "file", required = false) MultipartFile file,
                      Model model, RedirectAttributes redirect, Locale locale) throws IOException {
        if (file == null || file.isEmpty()) {
            return render(me, null, null, null, model, Map.of(), Map.of("file", formErrors.text("suppressions.fileRequired", locale)));
        }
        try {
            Suppressions.ImportResult r = suppressions.importAddresses(me, SuppressionCsv.read(file.getBytes()));
            redirect.addFlashAttribute("flash", formErrors.text("suppressions.imported", locale, r.added(),
                    r.alreadySuppressed(), r.rejected().size()));
            if (!r.rejected().isEmpty()) {
                redirect.addFlashAttribute("rejected", r.rejected().stream().map(p -> p.message()).limit(20).toList());
            }
        } catch (ValidationException e) {
            return render(me, null, null, null, model, Map.of(), formErrors.resolve(e.problems(), locale));
        }
        return "redirect:/suppressions";
    }

    @GetMapping("/suppressions/export")
    @Access.Read
    void export(@AuthenticationPrincipal OrbitaPrincipal me, HttpServletResponse response) throws IOException {
        response.setContentType("text/csv; charset=UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"suppressions.csv\"");
        SuppressionCsv.write(suppressions, me.workspace(), response.getOutputStream());
    }

    @GetMapping("/inbound")
    @Access.Read
    String inbound(@AuthenticationPrincipal OrbitaPrincipal me, @RequestParam(required = false) String kind,
                   @RequestParam(required = false) String cursor, Model model) {
        String k = kind != null && Arrays.asList("bounce", "complaint", "auto_reply", "reply", "other").contains(kind) ? kind : null;
        model.addAttribute("page", inbound.list(me.workspace(), k, cursor, 50));
        model.addAttribute("kind", k);
        model.addAttribute("kinds", new String[] {"bounce", "complaint", "auto_reply", "reply", "other"});
        return "delivery/inbound";
    }

    private String render(OrbitaPrincipal me, String q, String reason, String cursor, Model model, Map<String, String> values,
                          Map<String, String> errors) {
        String r = reason != null && Suppressions.Reason.fromCode(reason) != null ? reason : null;
        model.addAttribute("page", suppressions.list(me.workspace(), q, r, cursor, Cursor.limit(50, Suppressions.MAX_PAGE)));
        model.addAttribute("total", suppressions.count(me.workspace()));
        model.addAttribute("q", q);
        model.addAttribute("reason", r);
        model.addAttribute("reasons", Suppressions.Reason.values());
        model.addAttribute("values", values);
        model.addAttribute("errors", errors);
        return "delivery/suppressions";
    }
}
