package io.orbita.workspace.web;

import io.orbita.platform.ValidationException;
import io.orbita.platform.web.FormErrors;
import io.orbita.workspace.Access;
import io.orbita.workspace.internal.UserAccounts;
import io.orbita.workspace.OrbitaPrincipal;
import java.util.Locale;
import java.util.Map;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The signed-in user's own details. Name, position, phone and photo are what letters show in the "your personal
 * manager" block, so they matter beyond this page.
 */
@Controller
class ProfilePages {

    private final UserAccounts accounts;
    private final FormErrors formErrors;

    ProfilePages(UserAccounts accounts, FormErrors formErrors) {
        this.accounts = accounts;
        this.formErrors = formErrors;
    }

    @GetMapping("/profile")
    @Access.SignedIn
    String page(@AuthenticationPrincipal OrbitaPrincipal me, Model model) {
        return render(model, current(me), Map.of());
    }

    @PostMapping("/profile")
    @Access.SignedIn
    String save(@AuthenticationPrincipal OrbitaPrincipal me, @RequestParam Map<String, String> form, Model model,
                RedirectAttributes redirect, Locale locale) {
        try {
            accounts.updateProfile(me, form.get("displayName"), form.get("position"), form.get("phone"), form.get("photoUrl"));
        } catch (ValidationException e) {
            return render(model, form, formErrors.resolve(e.problems(), locale));
        }
        redirect.addFlashAttribute("flash", formErrors.text("profile.saved", locale));
        return "redirect:/profile";
    }

    @PostMapping("/profile/password")
    @Access.SignedIn
    String password(@AuthenticationPrincipal OrbitaPrincipal me, @RequestParam Map<String, String> form, Model model,
                    RedirectAttributes redirect, Locale locale) {
        try {
            accounts.changePassword(me, form.get("currentPassword"), form.get("newPassword"));
        } catch (ValidationException e) {
            return render(model, current(me), formErrors.resolve(e.problems(), locale));
        }
        redirect.addFlashAttribute("flash", formErrors.text("profile.passwordChanged", locale));
        return "redirect:/profile";
    }

    private Map<String, String> current(OrbitaPrincipal me) {
        return accounts.profile(me.userId());
    }

    private String render(Model model, Map<String, String> values, Map<String, String> errors) {
        model.addAttribute("values", values);
        model.addAttribute("errors", errors);
        return "workspace/profile";
    }
}
