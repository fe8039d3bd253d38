package io.orbita.delivery.web;

import io.orbita.delivery.Outbox;
import io.orbita.delivery.internal.CapturedMail;
import io.orbita.delivery.internal.SendingDomains;
import io.orbita.delivery.smtp.RelayPool;
import io.orbita.platform.ConflictException;
import io.orbita.platform.ValidationException;
import io.orbita.workspace.Access;
import io.orbita.workspace.OrbitaPrincipal;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.Part;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.springframework.context.MessageSource;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The sending status page, the captured mail of the embedded default, sending domains, and test sends of templates. */
@Controller
class DeliveryPages {

    record Header(String name, String value) {
    }

    record Shown(CapturedMail.Summary summary, List<Header> headers, String html, String text, String raw) {
    }

    private final Outbox outbox;
    private final RelayPool relays;
    private final CapturedMail captured;
    private final SendingDomains domains;
    private final MessageSource messages;

    DeliveryPages(Outbox outbox, RelayPool relays, CapturedMail captured, SendingDomains domains, MessageSource messages) {
        this.outbox = outbox;
        this.relays = relays;
        this.captured = captured;
        this.domains = domains;
        this.messages = messages;
    }

    @GetMapping("/delivery")
    @Access.Read
    String status(@AuthenticationPrincipal OrbitaPrincipal me, Model model) {
        model.addAttribute("counts", outbox.counts(me.workspace()));
        model.addAttribute("relays", relays.health());
        model.addAttribute("failures", outbox.recent(me.workspace(), List.of("failed", "deferred", "bounced", "complained"), 20));
        model.addAttribute("recent", outbox.recent(me.workspace(), Outbox.STATES, 20));
        return "delivery/status";
    }

    @GetMapping("/delivery/captured")
    @Access.Read
    String capturedList(@AuthenticationPrincipal OrbitaPrincipal me, Model model) {
        model.addAttribute("mails", captured.list(me.workspace(), 200));
        return "delivery/captured";
    }

    @GetMapping("/delivery/captured/{id}")
    @Access.Read
    String capturedOne(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id, Model model) {
        CapturedMail.Full full = captured.get(me.workspace(), id);
        model.addAttribute("mail", show(full));
        return "delivery/captured-one";
    }

    private static Shown show(CapturedMail.Full full) {
        List<Header> headers = new ArrayList<>();
        String[] html = {null};
        String[] text = {null};
        try {
            Properties p = new Properties();
            p.put("mail.mime.allowutf8", "true");
            MimeMessage m = new MimeMessage(Session.getInstance(p), new ByteArrayInputStream(full.raw()));
            for (var h : Collections.list(m.getAllHeaders())) {
                String v = h.getValue();
                try {
                    v = jakarta.mail.internet.MimeUtility.decodeText(jakarta.mail.internet.MimeUtility.unfold(v));
                } catch (Exception e) {
                    // shown as it is
                }
                headers.add(new Header(h.getName(), v));
            }
            walk(m, html, text);
        } catch (Exception e) {
            text[0] = "(the message could not be parsed: " + e.getMessage() + ")";
        }
        return new Shown(full.summary(), headers, html[0], text[0], new String(full.raw(), StandardCharsets.UTF_8));
    }

    private static void walk(Part part, String[] html, String[] text) throws Exception {
        if (part.isMimeType("multipart/*")) {
            MimeMultipart mp = (MimeMultipart) part.getContent();
            for (int i = 0; i < mp.getCount(); i++) {
                walk(mp.getBodyPart(i), html, text);
            }
        } else if (part.isMimeType("text/html") && html[0] == null) {
            html[0] = String.valueOf(part.getContent());
        } else if (part.isMimeType("text/plain") && text[0] == null) {
            text[0] = String.valueOf(part.getContent());
        }
    }

    @GetMapping("/delivery/domains")
    @Access.Read
    String domainList(@AuthenticationPrincipal OrbitaPrincipal me, Model model) {
        model.addAttribute("domains", domains.list(me.workspace()));
        return "delivery/domains";
    }

    @PostMapping("/delivery/domains")
    @Access.Administer
    String createDomain(@AuthenticationPrincipal OrbitaPrincipal me, @RequestParam(defaultValue = "") String domain,
                        @RequestParam(required = false) String ed25519, RedirectAttributes redirect, Model model, Locale locale) {
        try {
            long id = domains.create(me.workspace(), domain, "on".equals(ed25519) || "true".equals(ed25519)).id();
            return "redirect:/delivery/domains/" + id;
        } catch (ValidationException | ConflictException e) {
            model.addAttribute("domains", domains.list(me.workspace()));
            model.addAttribute("error", messages.getMessage(e instanceof ConflictException ? "domains.exists" : "domains.invalid",
                    null, locale));
            model.addAttribute("value", domain);
            return "delivery/domains";
        }
    }

    @GetMapping("/delivery/domains/{id}")
    @Access.Read
    String domain(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id, Model model) {
        model.addAttribute("domain", domains.get(me.workspace(), id));
        return "delivery/domain";
    }

    @PostMapping("/delivery/domains/{id}/check")
    @Access.Administer
    String check(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id, RedirectAttributes redirect, Locale locale) {
        domains.check(me.workspace(), id);
        redirect.addFlashAttribute("flash", messages.getMessage("domains.checked", null, locale));
        return "redirect:/delivery/domains/" + id;
    }

    @PostMapping("/templates/{id}/test-send")
    @Access.Market
    String testSend(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id,
                    @RequestParam(name = "testEmail", defaultValue = "") String email, RedirectAttributes redirect, Locale locale) {
        try {
            long messageId = outbox.enqueue(me.workspace(), me.userId(), new Outbox.NewMessage(null, email.strip(),
                    "transactional", id, null, null, null, java.util.Map.of("test", true), null, null, null, null)).id();
            redirect.addFlashAttribute("flash", messages.getMessage("testSend.queued", new Object[] {email.strip(), messageId}, locale));
        } catch (ValidationException e) {
            if (e.problems().stream().anyMatch(p -> p.field().equals("templateId"))) {
                throw new io.orbita.platform.NotFoundException("template", id);
            }
            redirect.addFlashAttribute("flash", messages.getMessage("testSend.invalid", null, locale) + " "
                    + e.problems().getFirst().message());
        }
        return "redirect:/templates/" + id;
    }
}
