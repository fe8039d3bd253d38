package io.orbita.content.web;

import io.orbita.audience.ContactFilter;
import io.orbita.audience.Contacts;
import io.orbita.content.Layouts;
import io.orbita.content.RenderedLetter;
import io.orbita.content.Snippets;
import io.orbita.content.Template;
import io.orbita.content.TemplateInput;
import io.orbita.content.LibraryTemplate;
import io.orbita.content.TemplateKinds;
import io.orbita.content.TemplateLibrary;
import io.orbita.content.Templates;
import io.orbita.content.internal.LiquidLetters;
import io.orbita.content.internal.Previews;
import io.orbita.platform.ConflictException;
import io.orbita.platform.FieldProblem;
import io.orbita.platform.NotFoundException;
import io.orbita.platform.ValidationException;
import io.orbita.platform.web.FormErrors;
import io.orbita.workspace.Access;
import io.orbita.workspace.OrbitaPrincipal;
import java.util.LinkedHashMap;
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

/**
 * Template list and editor with a live preview, layouts and snippets. The preview is rendered on the server (the same
 * code that sends) and shown in a sandboxed iframe, so a letter's HTML never runs scripts in Orbita's page.
 */
@Controller
class ContentPages {

    private final Templates templates;
    private final Layouts layouts;
    private final Snippets snippets;
    private final Previews previews;
    private final Contacts contacts;
    private final FormErrors formErrors;
    private final TemplateLibrary library;

    ContentPages(Templates templates, Layouts layouts, Snippets snippets, Previews previews, Contacts contacts,
                 FormErrors formErrors, TemplateLibrary library) {
        this.library = library;
        this.templates = templates;
        this.layouts = layouts;
        this.snippets = snippets;
        this.previews = previews;
        this.contacts = contacts;
        this.formErrors = formErrors;
    }

    @GetMapping("/templates")
    @Access.Read
    String list(@AuthenticationPrincipal OrbitaPrincipal me, @RequestParam(required = false) String q,
                @RequestParam(required = false) String kind, @RequestParam(required = false) String cursor, Model model) {
        model.addAttribute("page", templates.list(me.workspace(), q, kind != null && TemplateKinds.KINDS.contains(kind) ? kind : null, null, cursor, 50));
        model.addAttribute("q", q == null ? "" : q);
        model.addAttribute("kind", kind == null ? "" : kind);
        model.addAttribute("kinds", TemplateKinds.KINDS);
        return "content/templates";
    }

    @GetMapping("/templates/new")
    @Access.Market
    String create(@AuthenticationPrincipal OrbitaPrincipal me, Model model) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("kind", "content");
        values.put("subject", "{{ contact.name }}, ");
        values.put("html", "<p>Здравствуйте, {{ contact.name }}!</p>\n\n<p></p>\n\n<p>{{ manager.name }}<br>{{ manager.position }}</p>");
        return editor(me, null, values, Map.of(), model);
    }

    @PostMapping("/templates")
    @Access.Market
    String save(@AuthenticationPrincipal OrbitaPrincipal me, @RequestParam Map<String, String> params, Model model,
                RedirectAttributes redirect, Locale locale) {
        try {
            Template t = templates.create(me, input(params));
            redirect.addFlashAttribute("flash", formErrors.text("templates.saved", locale, t.version()));
            return "redirect:/templates/" + t.id();
        } catch (ValidationException e) {
            return editor(me, null, params, formErrors.resolve(e.problems(), locale), model);
        }
    }

    @GetMapping("/templates/{id}")
    @Access.Read
    String edit(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id, Model model) {
        Template t = templates.get(me.workspace(), id);
        return editor(me, t, values(t), Map.of(), model);
    }

    @PostMapping("/templates/{id}")
    @Access.Market
    String update(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id, @RequestParam Map<String, String> params,
                  Model model, RedirectAttributes redirect, Locale locale) {
        Template current = templates.get(me.workspace(), id);
        try {
            Template t = templates.update(me, id, input(params));
            redirect.addFlashAttribute("flash", formErrors.text("templates.saved", locale, t.version()));
            return "redirect:/templates/" + id;
        } catch (ValidationException e) {
            return editor(me, current, params, formErrors.resolve(e.problems(), locale), model);
        }
    }

    @PostMapping("/templates/{id}/delete")
    @Access.Market
    String delete(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id, RedirectAttributes redirect, Locale locale) {
        templates.delete(me, id);
        redirect.addFlashAttribute("flash", formErrors.text("templates.deleted", locale));
        return "redirect:/templates";
    }

    @PostMapping("/templates/{id}/versions/{version}/restore")
    @Access.Market
    String restore(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id, @PathVariable int version,
                   RedirectAttributes redirect, Locale locale) {
        Template t = templates.restore(me, id, version);
        redirect.addFlashAttribute("flash", formErrors.text("templates.restored", locale, version, t.version()));
        return "redirect:/templates/" + id;
    }

    /** The live preview fragment: renders what the editor holds now, for the chosen contact or sample data. */
    @PostMapping("/templates/preview")
    @Access.Read
    String preview(@AuthenticationPrincipal OrbitaPrincipal me, @RequestParam Map<String, String> params, Model model, Locale locale) {
        Long contactId = number(params.get("contactId"));
        Long layoutId = number(params.get("layoutId"));
        String email = params.get("contactEmail");
        if (email != null && !email.isBlank()) {
            // Any contact of the workspace, not only those in the list: found by its address.
            contactId = contacts.findIdByEmail(me.workspace(), email.strip());
            if (contactId == null) {
                model.addAttribute("problems", List.of(formErrors.text("preview.noContact", locale)));
                model.addAttribute("width", "desktop");
                return "content/preview :: preview";
            }
        }
        try {
            RenderedLetter r = previews.source(me.workspace(), new LiquidLetters.Source(null, null,
                    params.getOrDefault("subject", ""), params.get("preheader"), params.getOrDefault("html", ""),
                    params.get("text"), layoutId), contactId, Map.of());
            model.addAttribute("letter", r);
        } catch (ValidationException e) {
            model.addAttribute("problems", e.problems().stream().map(p -> p.message()).toList());
        } catch (NotFoundException e) {
            model.addAttribute("problems", List.of(formErrors.text("preview.noContact", locale)));
        }
        model.addAttribute("width", "mobile".equals(params.get("width")) ? "mobile" : "desktop");
        return "content/preview :: preview";
    }

    private String editor(OrbitaPrincipal me, Template t, Map<String, String> values, Map<String, String> errors, Model model) {
        model.addAttribute("template", t);
        model.addAttribute("values", values);
        model.addAttribute("errors", errors);
        model.addAttribute("kinds", TemplateKinds.KINDS);
        model.addAttribute("scenarios", TemplateKinds.SCENARIOS);
        model.addAttribute("layouts", layouts.list(me.workspace()));
        model.addAttribute("snippets", snippets.list(me.workspace()));
        model.addAttribute("contacts", contacts.list(me.workspace(), ContactFilter.none(), null, 100).items());
        model.addAttribute("versions", t == null ? List.of() : templates.versions(me.workspace(), t.id()));
        return "content/editor";
    }

    /** Library subjects as they read with the sample data: the same for every workspace, so rendered once. */
    private final Map<String, String> sampleSubjects = new java.util.concurrent.ConcurrentHashMap<>();

    private static Map<String, String> values(Template t) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("name", t.name());
        v.put("kind", t.kind());
        v.put("scenario", t.scenario() == null ? "" : t.scenario());
        v.put("subject", t.subject());
        v.put("preheader", t.preheader() == null ? "" : t.preheader());
        v.put("html", t.html());
        v.put("text", t.text() == null ? "" : t.text());
        v.put("layoutId", t.layoutId() == null ? "" : t.layoutId().toString());
        return v;
    }

    private static TemplateInput input(Map<String, String> p) {
        Long layoutId = number(p.get("layoutId"));
        return new TemplateInput(p.get("name"), p.get("kind"), blank(p.get("scenario")), p.get("subject"),
                blank(p.get("preheader")), p.get("html"), blank(p.get("text")), layoutId);
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static Long number(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            throw new ValidationException(FieldProblem.of("id", "parameter.invalid", "not a number: " + s));
        }
    }

    @GetMapping("/templates/library")
    @Access.Read
    String library(@AuthenticationPrincipal OrbitaPrincipal me, @RequestParam(name = "language", required = false) String lang,
                   Model model, Locale locale) {
        String l = lang != null && TemplateLibrary.LANGS.contains(lang) ? lang : "en".equals(locale.getLanguage()) ? "en" : "ru";
        model.addAttribute("lang", l);
        model.addAttribute("items", library.list(l));
        Map<String, String> subjects = new LinkedHashMap<>();
        for (LibraryTemplate t : library.list(l)) {
            subjects.put(t.code(), sampleSubjects.computeIfAbsent(t.code() + "." + l, k -> previews.source(me.workspace(),
                    new LiquidLetters.Source(null, null, t.subject(), null, "<p></p>", null, null), null, t.sampleData()).subject()));
        }
        model.addAttribute("subjects", subjects);
        return "content/library";
    }

    @GetMapping("/templates/library/{code}")
    @Access.Read
    String libraryItem(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable String code,
                       @RequestParam(name = "language", defaultValue = "ru") String lang, Model model) {
        LibraryTemplate t = library.get(code, lang);
        model.addAttribute("item", t);
        model.addAttribute("letter", previews.source(me.workspace(), new LiquidLetters.Source(null, null, t.subject(),
                t.preheader(), t.html(), null, null), null, t.sampleData()));
        model.addAttribute("width", "desktop");
        return "content/library-item";
    }

    @PostMapping("/templates/library/{code}/use")
    @Access.Market
    String useLibrary(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable String code,
                      @RequestParam(name = "language", defaultValue = "ru") String lang, RedirectAttributes redirect, Locale locale) {
        Template t = library.use(me, code, lang);
        redirect.addFlashAttribute("flash", formErrors.text("library.used", locale));
        return "redirect:/templates/" + t.id();
    }

    // Layouts and snippets: a list with a form for a new one, and an edit page each.

    @GetMapping("/layouts")
    @Access.Read
    String layouts(@AuthenticationPrincipal OrbitaPrincipal me, Model model) {
        return named(me, "layout", null, Map.of("html", DEFAULT_LAYOUT), Map.of(), model);
    }

    @GetMapping("/layouts/{id}")
    @Access.Read
    String layout(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id, Model model) {
        var l = layouts.get(me.workspace(), id);
        return named(me, "layout", id, Map.of("name", l.name(), "html", l.html()), Map.of(), model);
    }

    @PostMapping({"/layouts", "/layouts/{id}"})
    @Access.Market
    String saveLayout(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable(required = false) Long id,
                      @RequestParam Map<String, String> params, Model model, RedirectAttributes redirect, Locale locale) {
        if (id != null) {
            layouts.get(me.workspace(), id);
        }
        return saveNamed(me, "layout", id, params, (n, text) -> id == null ? layouts.create(me, n, text).id()
                : layouts.update(me, id, n, text).id(), model, redirect, locale);
    }

    @PostMapping("/layouts/{id}/delete")
    @Access.Market
    String deleteLayout(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id, RedirectAttributes redirect, Locale locale) {
        try {
            layouts.delete(me, id);
            redirect.addFlashAttribute("flash", formErrors.text("layouts.deleted", locale));
        } catch (ConflictException e) {
            redirect.addFlashAttribute("flash", formErrors.resolve(List.of(e.problem()), locale).values().iterator().next());
            return "redirect:/layouts/" + id;
        }
        return "redirect:/layouts";
    }

    @GetMapping("/snippets")
    @Access.Read
    String snippets(@AuthenticationPrincipal OrbitaPrincipal me, Model model) {
        return named(me, "snippet", null, Map.of("html", DEFAULT_SNIPPET), Map.of(), model);
    }

    @GetMapping("/snippets/{id}")
    @Access.Read
    String snippet(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id, Model model) {
        var s = snippets.get(me.workspace(), id);
        return named(me, "snippet", id, Map.of("name", s.name(), "html", s.body()), Map.of(), model);
    }

    @PostMapping({"/snippets", "/snippets/{id}"})
    @Access.Market
    String saveSnippet(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable(required = false) Long id,
                       @RequestParam Map<String, String> params, Model model, RedirectAttributes redirect, Locale locale) {
        if (id != null) {
            snippets.get(me.workspace(), id);
        }
        return saveNamed(me, "snippet", id, params, (n, text) -> id == null ? snippets.create(me, n, text).id()
                : snippets.update(me, id, n, text).id(), model, redirect, locale);
    }

    @PostMapping("/snippets/{id}/delete")
    @Access.Market
    String deleteSnippet(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id, RedirectAttributes redirect, Locale locale) {
        snippets.delete(me, id);
        redirect.addFlashAttribute("flash", formErrors.text("snippets.deleted", locale));
        return "redirect:/snippets";
    }

    /** Creates or changes a layout or snippet from the shared form ({@code name}, {@code html}); its id. */
    private interface NamedSave {
        long save(String name, String text);
    }

    /** Layouts and snippets are saved alike: the same form, flash, redirect and error page. */
    private String saveNamed(OrbitaPrincipal me, String what, Long id, Map<String, String> params, NamedSave save,
                             Model model, RedirectAttributes redirect, Locale locale) {
        try {
            long saved = save.save(params.get("name"), params.get("html"));
            redirect.addFlashAttribute("flash", formErrors.text(what + "s.saved", locale));
            return "redirect:/" + what + "s/" + saved;
        } catch (ValidationException e) {
            // The form calls the text "html" for both; snippets name it "body" in their problems.
            Map<String, String> errors = new LinkedHashMap<>(formErrors.resolve(e.problems(), locale));
            if (errors.containsKey("body")) {
                errors.put("html", errors.remove("body"));
            }
            return named(me, what, id, params, errors, model);
        }
    }

    private String named(OrbitaPrincipal me, String what, Long id, Map<String, String> values, Map<String, String> errors, Model model) {
        model.addAttribute("what", what);
        model.addAttribute("id", id);
        model.addAttribute("values", values);
        model.addAttribute("errors", errors);
        model.addAttribute("items", what.equals("layout")
                ? layouts.list(me.workspace()).stream().map(l -> Map.<String, Object>of("id", l.id(), "name", l.name(), "updatedAt", l.updatedAt())).toList()
                : snippets.list(me.workspace()).stream().map(s -> Map.<String, Object>of("id", s.id(), "name", s.name(), "updatedAt", s.updatedAt())).toList());
        return "content/named";
    }

    static final String DEFAULT_LAYOUT = """
            <!DOCTYPE html>
            <html lang="ru">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <style>
              body { margin: 0; padding: 0; background: #f3f4f7; }
              .wrap { max-width: 600px; margin: 0 auto; background: #ffffff; font-family: Arial, sans-serif; font-size: 16px; line-height: 1.5; color: #222222; }
              .footer { color: #888888; font-size: 12px; }
              @media (max-width: 620px) { .wrap { width: 100% !important; } }
            </style>
            </head>
            <body>
            <table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td>
            <div class="wrap" style="padding: 24px;">
            {{ content }}
            <p class="footer"><a href="{{ links.unsubscribe }}">Отписаться</a> · <a href="{{ links.web_version }}">Открыть в браузере</a></p>
            </div>
            </td></tr></table>
            </body>
            </html>
            """;

    static final String DEFAULT_SNIPPET = """
            {% if manager.name %}
            <p>{{ manager.name }}{% if manager.position %}, {{ manager.position }}{% endif %}<br>
            {% if manager.phone %}{{ manager.phone }}<br>{% endif %}<a href="mailto:{{ manager.email }}">{{ manager.email }}</a></p>
            {% endif %}
            """;
}
