package io.orbita.workspace.web;

import io.orbita.platform.DashboardFigures;
import io.orbita.platform.web.PublicEndpoint;
import io.orbita.workspace.Access;
import io.orbita.workspace.OrbitaPrincipal;
import java.util.List;
import java.util.Set;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/** The home page, the login page and the placeholders of modules still to come. */
@Controller
class HomeController {

    private static final Set<String> COMING = Set.of("segments", "content", "campaigns", "journeys",
            "surveys", "forms", "calendar", "analytics", "activity", "delivery", "tracking");

    private final List<DashboardFigures> figures;

    HomeController(List<DashboardFigures> figures) {
        this.figures = figures;
    }

    @GetMapping("/")
    @Access.SignedIn
    String home(@AuthenticationPrincipal OrbitaPrincipal me, Model model) {
        model.addAttribute("figures", me.workspace() == null ? List.of()
                : figures.stream().flatMap(f -> f.figures(me.workspace()).stream()).toList());
        return "workspace/home";
    }

    @GetMapping("/login")
    @PublicEndpoint
    String login() {
        return "workspace/login";
    }

    @GetMapping("/soon/{module}")
    @Access.Read
    String soon(@PathVariable String module, Model model) {
        if (!COMING.contains(module)) {
            throw new io.orbita.platform.NotFoundException("page", module);
        }
        model.addAttribute("module", module);
        return "workspace/soon";
    }
}
