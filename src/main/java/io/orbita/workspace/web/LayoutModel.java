package io.orbita.workspace.web;

import io.orbita.workspace.OrbitaPrincipal;
import io.orbita.workspace.internal.UserAccounts;
import java.util.List;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** What the page layout needs on every UI page: who is signed in and the workspaces they can switch to. */
@ControllerAdvice(annotations = Controller.class)
class LayoutModel {

    private final UserAccounts accounts;

    LayoutModel(UserAccounts accounts) {
        this.accounts = accounts;
    }

    @ModelAttribute("me")
    OrbitaPrincipal me(@AuthenticationPrincipal OrbitaPrincipal me) {
        return me;
    }

    @ModelAttribute("myWorkspaces")
    List<UserAccounts.WorkspaceMembership> myWorkspaces(@AuthenticationPrincipal OrbitaPrincipal me) {
        return me == null || !me.isUser() ? List.of() : accounts.workspacesOf(me.userId());
    }
}
