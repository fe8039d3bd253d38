package io.orbita.workspace.web;

import io.orbita.platform.ValidationException;
import io.orbita.platform.web.FormErrors;
import io.orbita.workspace.Access;
import io.orbita.workspace.OrbitaPrincipal;
import io.orbita.workspace.Role;
import io.orbita.workspace.internal.ApiKeys;
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

/** API keys of the workspace: created with a role, shown once, revoked when no longer needed. */
@Controller
class ApiKeysPages {

    private final ApiKeys keys;
    private final FormErrors formErrors;

    ApiKeysPages(ApiKeys keys, FormErrors formErrors) {
        this.keys = keys;
        this.formErrors = formErrors;
    }

    @GetMapping("/settings/api-keys")
    @Access.Administer
    String page(@AuthenticationPrincipal OrbitaPrincipal me, Model model) {
        return render(me, model, Map.of(), null);
    }

    @PostMapping("/settings/api-keys")
    @Access.Administer
    String create(@AuthenticationPrincipal OrbitaPrincipal me, @RequestParam Map<String, String> form, Model model, Locale locale) {
        try {
            ApiKeys.CreatedKey created = keys.create(me, form.get("name"), Role.parse(form.getOrDefault("role", "")));
            // Rendered directly, not redirected: the secret must not pass through the session store.
            return render(me, model, Map.of(), created.secret());
        } catch (ValidationException e) {
            return render(me, model, formErrors.resolve(e.problems(), locale), null);
        }
    }

    @PostMapping("/settings/api-keys/{id}/revoke")
    @Access.Administer
    String revoke(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id, RedirectAttributes redirect, Locale locale) {
        keys.revoke(me, id);
        redirect.addFlashAttribute("flash", formErrors.text("apiKeys.revoked", locale));
        return "redirect:/settings/api-keys";
    }

    private String render(OrbitaPrincipal me, Model model, Map<String, String> errors, String secret) {
        model.addAttribute("keys", keys.list(me.workspace()));
        model.addAttribute("roles", Role.values());
        model.addAttribute("errors", errors);
        model.addAttribute("secret", secret);
        return "workspace/api-keys";
    }
}
