package io.orbita.tracking.web;

import io.orbita.audience.ConsentStatus;
import io.orbita.audience.Contact;
import io.orbita.platform.web.PublicEndpoint;
import io.orbita.tracking.MailingKind;
import io.orbita.tracking.Preferences;
import io.orbita.tracking.internal.RecipientChoices;
import io.orbita.tracking.internal.Tokens;
import io.orbita.workspace.WorkspaceNames;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletResponse;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The unsubscribe page and the preference centre a letter links to. A GET never changes anything (link scanners fetch
 * every link); the page's button posts. The {@code List-Unsubscribe} URL is the same page's address: a mail client's
 * RFC 8058 POST with {@code List-Unsubscribe=One-Click} unsubscribes at once and gets an empty 200. Hidden from the API
 * documentation: these are pages for recipients (see the README, "Tracking and unsubscribe").
 */
@Controller
@Hidden
class RecipientPages {

    private final Tokens tokens;
    private final RecipientChoices choices;
    private final Preferences preferences;
    private final WorkspaceNames workspaces;

    RecipientPages(Tokens tokens, RecipientChoices choices, Preferences preferences, WorkspaceNames workspaces) {
        this.tokens = tokens;
        this.choices = choices;
        this.preferences = preferences;
        this.workspaces = workspaces;
    }

    @GetMapping("/u/{token}")
    @PublicEndpoint
    String unsubscribePage(@PathVariable String token, Model model, HttpServletResponse response) {
        Tokens.Recipient r = tokens.readUnsubscribe(token).orElseThrow(InvalidLink::new);
        prepare(r, model, response);
        model.addAttribute("token", token);
        model.addAttribute("alreadyUnsubscribed", choices.contact(r)
                .map(c -> c.consentStatus() != ConsentStatus.SUBSCRIBED).orElse(false));
        return "tracking/unsubscribe";
    }

    /** RFC 8058 one-click: no page, no questions; a repeated POST is harmless. */
    @PostMapping(path = "/u/{token}", params = "List-Unsubscribe=One-Click")
    @PublicEndpoint
    @ResponseBody
    ResponseEntity<Void> oneClick(@PathVariable String token) {
        Tokens.Recipient r = tokens.readUnsubscribe(token).orElseThrow(InvalidLink::new);
        choices.unsubscribe(r, RecipientChoices.ONE_CLICK);
        return ResponseEntity.ok().header("Cache-Control", "no-store").build();
    }

    @PostMapping("/u/{token}")
    @PublicEndpoint
    String unsubscribe(@PathVariable String token, Model model, HttpServletResponse response) {
        Tokens.Recipient r = tokens.readUnsubscribe(token).orElseThrow(InvalidLink::new);
        choices.unsubscribe(r, RecipientChoices.UNSUBSCRIBE_LINK);
        prepare(r, model, response);
        model.addAttribute("preferencesToken", tokens.preferences(r));
        return "tracking/unsubscribed";
    }

    @GetMapping("/p/{token}")
    @PublicEndpoint
    String preferencesPage(@PathVariable String token, Model model, HttpServletResponse response) {
        Tokens.Recipient r = tokens.readPreferences(token).orElseThrow(InvalidLink::new);
        prepare(r, model, response);
        preferencesModel(r, token, model);
        return "tracking/preferences";
    }

    @PostMapping("/p/{token}")
    @PublicEndpoint
    String savePreferences(@PathVariable String token, @RequestParam(name = "keep", required = false) List<String> keep,
                           @RequestParam(name = "unsubscribeAll", required = false) String unsubscribeAll,
                           Model model, HttpServletResponse response) {
        Tokens.Recipient r = tokens.readPreferences(token).orElseThrow(InvalidLink::new);
        prepare(r, model, response);
        if (unsubscribeAll != null || choices.contact(r).isEmpty()) {
            choices.unsubscribe(r, RecipientChoices.PREFERENCE_CENTRE);
            model.addAttribute("saved", "unsubscribed");
        } else {
            Set<MailingKind> kept = EnumSet.noneOf(MailingKind.class);
            if (keep != null) {
                keep.stream().map(MailingKind::fromCode).filter(k -> k != null).forEach(kept::add);
            }
            choices.choose(r, kept);
            model.addAttribute("saved", "saved");
        }
        preferencesModel(r, token, model);
        return "tracking/preferences";
    }

    @ExceptionHandler(InvalidLink.class)
    String invalid(HttpServletResponse response) {
        TrackingEndpoints.noCache(response);
        response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
        return "tracking/link-invalid";
    }

    private void prepare(Tokens.Recipient r, Model model, HttpServletResponse response) {
        TrackingEndpoints.noCache(response);
        response.setHeader("Referrer-Policy", "no-referrer"); // the token must not leak to other sites
        response.setHeader("X-Robots-Tag", "noindex");
        model.addAttribute("workspaceName", workspaces.find(r.workspace()).orElse("Orbita"));
    }

    private void preferencesModel(Tokens.Recipient r, String token, Model model) {
        Optional<Contact> contact = choices.contact(r);
        Set<MailingKind> dropped = contact.map(c -> preferences.dropped(r.workspace(), c.id())).orElse(Set.of());
        boolean subscribed = contact.map(c -> c.consentStatus() == ConsentStatus.SUBSCRIBED).orElse(false);
        model.addAttribute("token", token);
        model.addAttribute("known", contact.isPresent());
        model.addAttribute("subscribed", subscribed);
        model.addAttribute("kinds", MailingKind.CHOOSABLE.stream().map(MailingKind::code).toList());
        // An unsubscribed contact sees nothing ticked: ticking a kind is the explicit way back in.
        model.addAttribute("kept", MailingKind.CHOOSABLE.stream()
                .filter(k -> subscribed && !dropped.contains(k)).map(MailingKind::code).toList());
        model.addAttribute("current", r.kind());
    }
}
