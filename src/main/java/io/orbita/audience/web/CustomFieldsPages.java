package io.orbita.audience.web;

import io.orbita.audience.CustomFieldType;
import io.orbita.audience.CustomFields;
import io.orbita.platform.ConflictException;
import io.orbita.platform.ValidationException;
import io.orbita.platform.web.FormErrors;
import io.orbita.workspace.Access;
import io.orbita.workspace.OrbitaPrincipal;
import java.util.Arrays;
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
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Settings page where marketers define the custom fields of contacts and companies. */
@Controller
class CustomFieldsPages {

    private final CustomFields fields;
    private final FormErrors formErrors;

    CustomFieldsPages(CustomFields fields, FormErrors formErrors) {
        this.fields = fields;
        this.formErrors = formErrors;
    }

    @GetMapping("/settings/fields")
    @Access.Read
    String page(@AuthenticationPrincipal OrbitaPrincipal me, Model model) {
        return render(me, model, Map.of(), Map.of());
    }

    @PostMapping("/settings/fields")
    @Access.Market
    String define(@AuthenticationPrincipal OrbitaPrincipal me, @RequestParam Map<String, String> params, Model model,
                  RedirectAttributes redirect, Locale locale) {
        List<String> options = Arrays.stream(params.getOrDefault("options", "").split("[,\\n]"))
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
        try {
            fields.define(me, params.get("entity"), params.get("key"), params.get("label"), params.get("type"), options);
        } catch (ValidationException e) {
            return render(me, model, params, formErrors.resolve(e.problems(), locale));
        } catch (ConflictException e) {
            return render(me, model, params, formErrors.resolve(List.of(e.problem()), locale));
        }
        redirect.addFlashAttribute("flash", formErrors.text("fields.saved", locale));
        return "redirect:/settings/fields";
    }

    @PostMapping("/settings/fields/{id}/delete")
    @Access.Market
    String delete(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id, RedirectAttributes redirect, Locale locale) {
        fields.delete(me, id);
        redirect.addFlashAttribute("flash", formErrors.text("fields.deleted", locale));
        return "redirect:/settings/fields";
    }

    private String render(OrbitaPrincipal me, Model model, Map<String, String> values, Map<String, String> errors) {
        model.addAttribute("contactFields", fields.list(me.workspace(), "contact"));
        model.addAttribute("companyFields", fields.list(me.workspace(), "company"));
        model.addAttribute("types", CustomFieldType.values());
        model.addAttribute("values", values);
        model.addAttribute("errors", errors);
        return "audience/fields";
    }
}
