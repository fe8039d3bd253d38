package io.orbita.tracking.web;

import io.orbita.tracking.TrackedLetters;
import io.orbita.tracking.internal.TrackingOverview;
import io.orbita.workspace.Access;
import io.orbita.workspace.OrbitaPrincipal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The Tracking page: how letters are tracked here, what the last days brought, and how machines were told apart. */
@Controller
class TrackingPages {

    private final TrackingOverview overview;
    private final TrackedLetters letters;
    private final Clock clock;
    private final Duration scannerWindow;

    TrackingPages(TrackingOverview overview, TrackedLetters letters, Clock clock,
                  @Value("${orbita.tracking.scanner-window:PT10S}") Duration scannerWindow) {
        this.overview = overview;
        this.letters = letters;
        this.clock = clock;
        this.scannerWindow = scannerWindow;
    }

    @GetMapping("/tracking")
    @Access.Read
    String page(@AuthenticationPrincipal OrbitaPrincipal me, @RequestParam(defaultValue = "30") int days, Model model) {
        int period = Math.max(1, Math.min(days, 366));
        Instant from = clock.instant().minus(Duration.ofDays(period));
        model.addAttribute("days", period);
        model.addAttribute("overview", overview.since(me.workspace(), from));
        String base = letters.baseUrl();
        model.addAttribute("baseUrl", base);
        model.addAttribute("https", base.startsWith("https://"));
        model.addAttribute("scannerSeconds", scannerWindow.toSeconds());
        return "tracking/overview";
    }
}
