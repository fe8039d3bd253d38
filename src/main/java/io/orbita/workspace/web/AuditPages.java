package io.orbita.workspace.web;

import io.orbita.workspace.Access;
import io.orbita.workspace.AuditLog;
import io.orbita.workspace.OrbitaPrincipal;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** Who changed what in the workspace, newest first. */
@Controller
class AuditPages {

    private final AuditLog audit;

    AuditPages(AuditLog audit) {
        this.audit = audit;
    }

    @GetMapping("/settings/audit")
    @Access.Administer
    String page(@AuthenticationPrincipal OrbitaPrincipal me, @RequestParam(required = false) String entityType,
                @RequestParam(required = false) String cursor, Model model) {
        model.addAttribute("page", audit.list(me.workspace(), entityType, cursor, 100));
        model.addAttribute("entityType", entityType == null ? "" : entityType);
        return "workspace/audit";
    }
}
