package io.orbita.demo.web;

import io.orbita.demo.DemoData;
import io.orbita.demo.Scale;
import io.orbita.platform.ValidationException;
import io.orbita.platform.web.FormErrors;
import io.orbita.workspace.Access;
import io.orbita.workspace.OrbitaPrincipal;
import java.util.Locale;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The home page's "fill with demo data" button of an empty workspace. */
@Controller
class DemoPages {

    /** Every demo workspace looks the same; benchmarks choose their own seed. */
    static final long UI_SEED = 2026;

    private final DemoData demo;
    private final FormErrors formErrors;

    DemoPages(DemoData demo, FormErrors formErrors) {
        this.demo = demo;
        this.formErrors = formErrors;
    }

    @PostMapping("/demo")
    @Access.Market
    String generate(@AuthenticationPrincipal OrbitaPrincipal me, RedirectAttributes redirect, Locale locale) {
        try {
            DemoData.Result r = demo.generate(me.workspace(), Scale.DEMO, UI_SEED, me.actor());
            redirect.addFlashAttribute("flash", formErrors.text("demo.generated", locale, r.contacts(), r.companies(), r.orders()));
            return "redirect:/contacts";
        } catch (ValidationException e) {
            redirect.addFlashAttribute("flash", String.join(" ", formErrors.resolve(e.problems(), locale).values()));
            return "redirect:/";
        }
    }
}
