package io.orbita.audience.web;

import io.orbita.audience.Companies;
import io.orbita.audience.ConsentStatus;
import io.orbita.audience.Contact;
import io.orbita.audience.ContactFilter;
import io.orbita.audience.ContactInput;
import io.orbita.audience.ContactType;
import io.orbita.audience.Contacts;
import io.orbita.audience.CustomFields;
import io.orbita.audience.SourceKind;
import io.orbita.platform.CardSections;
import io.orbita.platform.ConflictException;
import io.orbita.platform.FieldProblem;
import io.orbita.platform.Problems;
import io.orbita.platform.ValidationException;
import io.orbita.platform.web.FormErrors;
import io.orbita.workspace.Access;
import io.orbita.workspace.Members;
import io.orbita.workspace.OrbitaPrincipal;
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

/** The contacts list, card and edit form. */
@Controller
class ContactsPages {

    private final Contacts contacts;
    private final Companies companies;
    private final CustomFields customFields;
    private final Members members;
    private final FormErrors formErrors;
    private final List<CardSections> sections;

    ContactsPages(Contacts contacts, Companies companies, CustomFields customFields, Members members, FormErrors formErrors,
                  List<CardSections> sections) {
        this.sections = sections;
        this.contacts = contacts;
        this.companies = companies;
        this.customFields = customFields;
        this.members = members;
        this.formErrors = formErrors;
    }

    @GetMapping("/contacts")
    @Access.Read
    String list(@AuthenticationPrincipal OrbitaPrincipal me, @RequestParam(required = false) String q,
                @RequestParam(required = false) String type, @RequestParam(required = false) String consent,
                @RequestParam(required = false) String tag, @RequestParam(required = false) Long companyId,
                @RequestParam(required = false) String cursor, Model model) {
        ContactFilter filter = new ContactFilter(q, null, companyId, tag, ContactType.fromCode(type),
                ConsentStatus.fromCode(consent), null);
        model.addAttribute("page", contacts.list(me.workspace(), filter, cursor, 50));
        model.addAttribute("q", q == null ? "" : q);
        model.addAttribute("type", type == null ? "" : type);
        model.addAttribute("consent", consent == null ? "" : consent);
        model.addAttribute("tag", tag == null ? "" : tag);
        model.addAttribute("types", ContactType.values());
        model.addAttribute("consents", ConsentStatus.values());
        return "audience/contacts";
    }

    @GetMapping("/contacts/{id}")
    @Access.Read
    String card(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id, Model model) {
        Contact c = contacts.get(me.workspace(), id);
        model.addAttribute("contact", c);
        model.addAttribute("history", contacts.consentHistory(me.workspace(), id));
        model.addAttribute("fields", customFields.list(me.workspace(), "contact"));
        model.addAttribute("consents", ConsentStatus.values());
        model.addAttribute("sections", sections.stream().flatMap(s -> s.forContact(me.workspace(), id).stream()).toList());
        return "audience/contact";
    }

    @GetMapping("/contacts/new")
    @Access.EditAudience
    String newForm(@AuthenticationPrincipal OrbitaPrincipal me, Model model) {
        return form(me, model, null, ContactForm.blank(), Map.of());
    }

    @GetMapping("/contacts/{id}/edit")
    @Access.EditAudience
    String editForm(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id, Model model) {
        return form(me, model, id, ContactForm.of(contacts.get(me.workspace(), id)), Map.of());
    }

    @PostMapping("/contacts/new")
    @Access.EditAudience
    String create(@AuthenticationPrincipal OrbitaPrincipal me, @RequestParam Map<String, String> params, Model model,
                  RedirectAttributes redirect, Locale locale) {
        return save(me, null, ContactForm.from(params), model, redirect, locale);
    }

    @PostMapping("/contacts/{id}/edit")
    @Access.EditAudience
    String update(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id, @RequestParam Map<String, String> params,
                  Model model, RedirectAttributes redirect, Locale locale) {
        contacts.get(me.workspace(), id);
        return save(me, id, ContactForm.from(params), model, redirect, locale);
    }

    @PostMapping("/contacts/{id}/delete")
    @Access.EditAudience
    String delete(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id, RedirectAttributes redirect, Locale locale) {
        contacts.delete(me, id);
        redirect.addFlashAttribute("flash", formErrors.text("contacts.deleted", locale));
        return "redirect:/contacts";
    }

    @PostMapping("/contacts/{id}/consent")
    @Access.EditAudience
    String consent(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id, @RequestParam String status,
                   RedirectAttributes redirect, Locale locale) {
        ContactInput change = new ContactInput(null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, java.util.Optional.of(status));
        contacts.update(me, id, change, Contacts.Origin.UI);
        redirect.addFlashAttribute("flash", formErrors.text("contacts.consentChanged", locale));
        return "redirect:/contacts/" + id;
    }

    private String save(OrbitaPrincipal me, Long id, ContactForm form, Model model, RedirectAttributes redirect, Locale locale) {
        Problems problems = new Problems();
        Long companyId = null;
        if (!form.companyName().isBlank()) {
            companyId = companies.findIdByName(me.workspace(), form.companyName().strip());
            if (companyId == null) {
                problems.add("companyName", "company.unknown", "no such company in this workspace");
            }
        }
        try {
            ContactInput input = form.toInput(companyId, customFields.list(me.workspace(), "contact"), problems);
            problems.throwIfAny();
            Contact saved = id == null ? contacts.create(me, input, Contacts.Origin.UI) : contacts.update(me, id, input, Contacts.Origin.UI);
            redirect.addFlashAttribute("flash", formErrors.text("contacts.saved", locale));
            return "redirect:/contacts/" + saved.id();
        } catch (ValidationException e) {
            List<FieldProblem> all = new java.util.ArrayList<>(problems.list());
            e.problems().stream().filter(p -> !all.contains(p)).forEach(all::add);
            return form(me, model, id, form, formErrors.resolve(all, locale));
        } catch (ConflictException e) {
            return form(me, model, id, form, formErrors.resolve(List.of(e.problem()), locale));
        }
    }

    private String form(OrbitaPrincipal me, Model model, Long id, ContactForm form, Map<String, String> errors) {
        model.addAttribute("contactId", id);
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute("fields", customFields.list(me.workspace(), "contact"));
        model.addAttribute("members", members.list(me.workspace()));
        model.addAttribute("types", ContactType.values());
        model.addAttribute("sourceKinds", SourceKind.values());
        model.addAttribute("consents", ConsentStatus.values());
        return "audience/contact-form";
    }
}
