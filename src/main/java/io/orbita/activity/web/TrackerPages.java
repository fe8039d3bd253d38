package io.orbita.activity.web;

import io.orbita.activity.SiteKeys;
import io.orbita.platform.ValidationException;
import io.orbita.platform.web.FormErrors;
import io.orbita.workspace.Access;
import io.orbita.workspace.OrbitaPrincipal;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** Settings page with the snippet to put on the client's website and its site keys. */
@Controller
class TrackerPages {

    private final SiteKeys keys;
    private final FormErrors formErrors;

    TrackerPages(SiteKeys keys, FormErrors formErrors) {
        this.keys = keys;
        this.formErrors = formErrors;
    }

    @GetMapping("/settings/tracker")
    @Access.Read
    String page(@AuthenticationPrincipal OrbitaPrincipal me, Model model) {
        return render(me, model, Map.of());
    }

    @PostMapping("/settings/tracker")
    @Access.Administer
    String create(@AuthenticationPrincipal OrbitaPrincipal me, @RequestParam(defaultValue = "") String origins, Model model,
                  RedirectAttributes redirect, Locale locale) {
        try {
            keys.create(me, Arrays.stream(origins.split("[,\\s]+")).filter(s -> !s.isBlank()).toList());
        } catch (ValidationException e) {
            return render(me, model, formErrors.resolve(e.problems(), locale));
        }
        redirect.addFlashAttribute("flash", formErrors.text("tracker.created", locale));
        return "redirect:/settings/tracker";
    }

    private String render(OrbitaPrincipal me, Model model, Map<String, String> errors) {
        model.addAttribute("keys", keys.list(me.workspace()));
        model.addAttribute("base", ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString());
        model.addAttribute("errors", errors);
        return "activity/tracker";
    }
}
