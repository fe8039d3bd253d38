package io.orbita.workspace.web;

import io.orbita.platform.ConflictException;
import io.orbita.platform.ValidationException;
import io.orbita.platform.web.FormErrors;
import io.orbita.workspace.Access;
import io.orbita.workspace.Members;
import io.orbita.workspace.OrbitaPrincipal;
import io.orbita.workspace.Role;
import io.orbita.workspace.internal.Passwords;
import io.orbita.workspace.internal.UserAccounts;
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

/** The members of the workspace and their roles. Everyone may see who is in the team; admins change it. */
@Controller
class UsersPages {

    private final Members members;
    private final UserAccounts accounts;
    private final FormErrors formErrors;

    UsersPages(Members members, UserAccounts accounts, FormErrors formErrors) {
        this.members = members;
        this.accounts = accounts;
        this.formErrors = formErrors;
    }

    @GetMapping("/settings/users")
    @Access.Read
    String page(@AuthenticationPrincipal OrbitaPrincipal me, Model model) {
        return render(me, model, Map.of(), Map.of(), null);
    }

    @PostMapping("/settings/users")
    @Access.Administer
    String add(@AuthenticationPrincipal OrbitaPrincipal me, @RequestParam Map<String, String> form, Model model, Locale locale) {
        String password = form.getOrDefault("password", "");
        boolean generated = password.isBlank();
        if (generated) {
            password = Passwords.generate();
        }
        UserAccounts.Added added;
        try {
            // An unreadable role is reported by addMember together with every other problem of the form.
            Role role = java.util.Arrays.stream(Role.values()).filter(r -> r.name().equalsIgnoreCase(form.getOrDefault("role", "")))
                    .findFirst().orElse(null);
            added = accounts.addMember(me, new UserAccounts.NewMember(form.get("email"), form.get("displayName"),
                    form.get("position"), form.get("phone"), role, password));
        } catch (ValidationException e) {
            return render(me, model, form, formErrors.resolve(e.problems(), locale), null);
        } catch (ConflictException e) {
            return render(me, model, form, formErrors.resolve(List.of(e.problem()), locale), null);
        }
        model.addAttribute("flash", formErrors.text("users.added", locale));
        // The generated password is shown in this response only: never stored in the session or a redirect.
        return render(me, model, Map.of(), Map.of(), generated && added.newAccount() ? password : null);
    }

    @PostMapping("/settings/users/{id}/role")
    @Access.Administer
    String role(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id, @RequestParam String role,
                RedirectAttributes redirect, Locale locale) {
        try {
            accounts.changeRole(me, id, Role.parse(role));
            redirect.addFlashAttribute("flash", formErrors.text("users.roleChanged", locale));
        } catch (ValidationException e) {
            redirect.addFlashAttribute("flash", formErrors.resolve(e.problems(), locale).values().iterator().next());
        }
        return "redirect:/settings/users";
    }

    @PostMapping("/settings/users/{id}/remove")
    @Access.Administer
    String remove(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id, RedirectAttributes redirect, Locale locale) {
        try {
            accounts.removeMember(me, id);
            redirect.addFlashAttribute("flash", formErrors.text("users.removed", locale));
        } catch (ValidationException e) {
            redirect.addFlashAttribute("flash", formErrors.resolve(e.problems(), locale).values().iterator().next());
        }
        return "redirect:/settings/users";
    }

    private String render(OrbitaPrincipal me, Model model, Map<String, String> values, Map<String, String> errors,
                          String generatedPassword) {
        model.addAttribute("members", members.list(me.workspace()));
        model.addAttribute("roles", Role.values());
        model.addAttribute("values", values);
        model.addAttribute("errors", errors);
        model.addAttribute("generatedPassword", generatedPassword);
        return "workspace/users";
    }
}
