package io.orbita.campaigns.web;

import io.orbita.campaigns.Campaigns;
import io.orbita.campaigns.LocalWindow;
import io.orbita.platform.FieldProblem;
import io.orbita.platform.Problems;
import io.orbita.platform.ValidationException;
import io.orbita.platform.web.FormErrors;
import io.orbita.workspace.Access;
import io.orbita.workspace.OrbitaPrincipal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The workspace's campaign rules (weekly frequency cap, attribution window, quiet hours), the page for what
 * {@code /api/v1/campaign-settings} offers. They bind every marketer's campaigns, so only admins see and change them.
 */
@Controller
class CampaignSettingsPages {

    private final Campaigns campaigns;
    private final FormErrors formErrors;

    CampaignSettingsPages(Campaigns campaigns, FormErrors formErrors) {
        this.campaigns = campaigns;
        this.formErrors = formErrors;
    }

    /** The fields as typed, kept when the page comes back with errors. */
    public record SettingsForm(String weeklyCap, String attributionDays, String quietHours) {

        static SettingsForm of(Campaigns.Settings s) {
            return new SettingsForm(Integer.toString(s.weeklyCap()), Integer.toString(s.attributionDays()),
                    s.quietHours() == null ? "" : s.quietHours());
        }
    }

    @GetMapping("/campaigns/settings")
    @Access.Administer
    String page(@AuthenticationPrincipal OrbitaPrincipal me, Model model) {
        return render(SettingsForm.of(campaigns.settings(me.workspace())), List.of(), model, null);
    }

    @PostMapping("/campaigns/settings")
    @Access.Administer
    String save(@AuthenticationPrincipal OrbitaPrincipal me, SettingsForm f, Model model, Locale locale,
                RedirectAttributes redirect) {
        Problems p = new Problems();
        int cap = number(f.weeklyCap());
        int days = number(f.attributionDays());
        Optional<LocalWindow> quiet = Optional.empty();
        try {
            quiet = LocalWindow.parse(f.quietHours());
        } catch (IllegalArgumentException e) {
            p.add("quietHours", "campaign.window", "quietHours: " + e.getMessage());
        }
        Campaigns.checkSettings(cap, days, p);
        try {
            p.throwIfAny();
            campaigns.changeSettings(me, cap, days, quiet);
        } catch (ValidationException e) {
            return render(f, e.problems(), model, locale);
        }
        redirect.addFlashAttribute("flash", formErrors.text("campaigns.settings.saved", locale));
        return "redirect:/campaigns/settings";
    }

    private String render(SettingsForm f, List<FieldProblem> problems, Model model, Locale locale) {
        model.addAttribute("form", f);
        model.addAttribute("errors", problems.isEmpty() ? Map.of() : formErrors.resolve(problems, locale));
        return "campaigns/settings";
    }

    /** Not a whole number (blank included): -1, which the settings' range check refuses with its message. */
    private static int number(String s) {
        try {
            return s == null ? -1 : Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
