package io.orbita.audience.web;

import io.orbita.audience.Companies;
import io.orbita.audience.Company;
import io.orbita.audience.CompanyInput;
import io.orbita.audience.CompanySize;
import io.orbita.audience.ContactFilter;
import io.orbita.audience.Contacts;
import io.orbita.audience.CustomField;
import io.orbita.audience.CustomFields;
import io.orbita.platform.CardSections;
import io.orbita.platform.ConflictException;
import io.orbita.platform.Problems;
import io.orbita.platform.ValidationException;
import io.orbita.platform.web.FormErrors;
import io.orbita.workspace.Access;
import io.orbita.workspace.Members;
import io.orbita.workspace.OrbitaPrincipal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The companies list, card and edit form, and the company picker used by the contact form. */
@Controller
class CompaniesPages {

    static final List<String> FIELDS = List.of("name", "inn", "industry", "size", "website", "foundedOn",
            "cooperationStartedOn", "managerId");

    private final Companies companies;
    private final Contacts contacts;
    private final CustomFields customFields;
    private final Members members;
    private final FormErrors formErrors;
    private final List<CardSections> sections;

    CompaniesPages(Companies companies, Contacts contacts, CustomFields customFields, Members members, FormErrors formErrors,
                   List<CardSections> sections) {
        this.sections = sections;
        this.companies = companies;
        this.contacts = contacts;
        this.customFields = customFields;
        this.members = members;
        this.formErrors = formErrors;
    }

    @GetMapping("/companies")
    @Access.Read
    String list(@AuthenticationPrincipal OrbitaPrincipal me, @RequestParam(required = false) String q,
                @RequestParam(required = false) String cursor, Model model) {
        model.addAttribute("page", companies.list(me.workspace(), q, null, null, cursor, 50));
        model.addAttribute("q", q == null ? "" : q);
        return "audience/companies";
    }

    @GetMapping("/companies/suggest")
    @Access.Read
    String suggest(@AuthenticationPrincipal OrbitaPrincipal me, @RequestParam(defaultValue = "") String companyName, Model model) {
        model.addAttribute("suggestions", companies.suggest(me.workspace(), companyName));
        return "audience/company-options";
    }

    @GetMapping("/companies/{id}")
    @Access.Read
    String card(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id, Model model) {
        model.addAttribute("company", companies.get(me.workspace(), id));
        model.addAttribute("contacts", contacts.list(me.workspace(),
                new ContactFilter(null, null, id, null, null, null, null), null, 100));
        model.addAttribute("fields", customFields.list(me.workspace(), "company"));
        model.addAttribute("sections", sections.stream().flatMap(s -> s.forCompany(me.workspace(), id).stream()).toList());
        return "audience/company";
    }

    @GetMapping("/companies/new")
    @Access.EditAudience
    String newForm(@AuthenticationPrincipal OrbitaPrincipal me, Model model) {
        return form(me, model, null, new LinkedHashMap<>(), Map.of());
    }

    @GetMapping("/companies/{id}/edit")
    @Access.EditAudience
    String editForm(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id, Model model) {
        Company c = companies.get(me.workspace(), id);
        Map<String, String> values = new LinkedHashMap<>();
        values.put("name", c.name());
        values.put("inn", c.inn());
        values.put("industry", c.industry());
        values.put("size", c.size() == null ? "" : c.size().code());
        values.put("website", c.website());
        values.put("foundedOn", c.foundedOn() == null ? "" : c.foundedOn().toString());
        values.put("cooperationStartedOn", c.cooperationStartedOn() == null ? "" : c.cooperationStartedOn().toString());
        values.put("managerId", c.managerId() == null ? "" : c.managerId().toString());
        c.customFields().forEach((k, v) -> values.put("cf." + k, v == null ? "" : v.toString()));
        return form(me, model, id, values, Map.of());
    }

    @PostMapping("/companies/new")
    @Access.EditAudience
    String create(@AuthenticationPrincipal OrbitaPrincipal me, @RequestParam Map<String, String> params, Model model,
                  RedirectAttributes redirect, Locale locale) {
        return save(me, null, params, model, redirect, locale);
    }

    @PostMapping("/companies/{id}/edit")
    @Access.EditAudience
    String update(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id, @RequestParam Map<String, String> params,
                  Model model, RedirectAttributes redirect, Locale locale) {
        companies.get(me.workspace(), id);
        return save(me, id, params, model, redirect, locale);
    }

    @PostMapping("/companies/{id}/delete")
    @Access.EditAudience
    String delete(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id, RedirectAttributes redirect, Locale locale) {
        companies.delete(me, id);
        redirect.addFlashAttribute("flash", formErrors.text("companies.deleted", locale));
        return "redirect:/companies";
    }

    private String save(OrbitaPrincipal me, Long id, Map<String, String> params, Model model, RedirectAttributes redirect,
                        Locale locale) {
        Problems problems = new Problems();
        Long manager = null;
        String managerRaw = params.getOrDefault("managerId", "");
        if (!managerRaw.isBlank()) {
            try {
                manager = Long.parseLong(managerRaw.strip());
            } catch (NumberFormatException e) {
                problems.add("managerId", "manager.unknown", "the manager must be a member of this workspace");
            }
        }
        Map<String, Object> custom = new LinkedHashMap<>();
        for (CustomField f : customFields.list(me.workspace(), "company")) {
            custom.put(f.key(), params.getOrDefault("cf." + f.key(), ""));
        }
        CompanyInput input = new CompanyInput(opt(params, "name"), opt(params, "inn"), opt(params, "industry"),
                opt(params, "size"), opt(params, "website"), opt(params, "foundedOn"), opt(params, "cooperationStartedOn"),
                Optional.ofNullable(manager), Optional.of(custom));
        try {
            problems.throwIfAny();
            Company saved = id == null ? companies.create(me, input) : companies.update(me, id, input);
            redirect.addFlashAttribute("flash", formErrors.text("companies.saved", locale));
            return "redirect:/companies/" + saved.id();
        } catch (ValidationException e) {
            return form(me, model, id, params, formErrors.resolve(e.problems(), locale));
        } catch (ConflictException e) {
            return form(me, model, id, params, formErrors.resolve(List.of(e.problem()), locale));
        }
    }

    private String form(OrbitaPrincipal me, Model model, Long id, Map<String, String> values, Map<String, String> errors) {
        model.addAttribute("companyId", id);
        model.addAttribute("values", values);
        model.addAttribute("errors", errors);
        model.addAttribute("fields", customFields.list(me.workspace(), "company"));
        model.addAttribute("members", members.list(me.workspace()));
        model.addAttribute("sizes", CompanySize.values());
        return "audience/company-form";
    }

    private static Optional<String> opt(Map<String, String> params, String name) {
        String v = params.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
    }
}
