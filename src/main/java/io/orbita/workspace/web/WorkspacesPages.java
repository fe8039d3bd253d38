package io.orbita.workspace.web;

import io.orbita.platform.NotFoundException;
import io.orbita.platform.ValidationException;
import io.orbita.platform.web.FormErrors;
import io.orbita.workspace.Access;
import io.orbita.workspace.OrbitaPrincipal;
import io.orbita.workspace.Workspaces;
import io.orbita.workspace.internal.UserAccounts;
import jakarta.servlet.http.HttpSession;
import java.util.Locale;
import java.util.Map;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The workspaces a user belongs to (an agency has one per client), creating one, and switching between them. */
@Controller
class WorkspacesPages {

    private final UserAccounts accounts;
    private final FormErrors formErrors;

    WorkspacesPages(UserAccounts accounts, FormErrors formErrors) {
        this.accounts = accounts;
        this.formErrors = formErrors;
    }

    @GetMapping("/workspaces")
    @Access.SignedIn
    String page(@AuthenticationPrincipal OrbitaPrincipal me, Model model) {
        model.addAttribute("errors", Map.of());
        return "workspace/workspaces";
    }

    @PostMapping("/workspaces")
    @Access.SignedIn
    String create(@AuthenticationPrincipal OrbitaPrincipal me, @RequestParam(defaultValue = "") String name, HttpSession session,
                  Model model, Locale locale) {
        try {
            long id = accounts.createWorkspace(name, me.userId());
            session.setAttribute(Workspaces.SESSION_ATTRIBUTE, id);
            return "redirect:/";
        } catch (ValidationException e) {
            model.addAttribute("errors", formErrors.resolve(e.problems(), locale));
            return "workspace/workspaces";
        }
    }

    @PostMapping("/workspaces/switch")
    @Access.SignedIn
    String switchTo(@AuthenticationPrincipal OrbitaPrincipal me, @RequestParam long workspaceId, HttpSession session) {
        boolean member = accounts.workspacesOf(me.userId()).stream().anyMatch(w -> w.workspaceId() == workspaceId);
        if (!member) {
            throw new NotFoundException("workspace", workspaceId);
        }
        session.setAttribute(Workspaces.SESSION_ATTRIBUTE, workspaceId);
        return "redirect:/";
    }
}
