package io.orbita.delivery.web;

import io.orbita.delivery.internal.SendingDomains;
import io.orbita.platform.JsonInput;
import io.orbita.platform.Problems;
import io.orbita.workspace.Access;
import io.orbita.workspace.OrbitaPrincipal;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@Tag(name = "Sending domains", description = """
        Domains mail is sent from. Orbita generates their DKIM keys (RSA 2048, optionally Ed25519 as a second signature),
        keeps the private keys encrypted, lists the DNS records to publish (DKIM, SPF, DMARC, return path) and checks them
        in DNS. Every message whose From address is on a registered domain is DKIM-signed with its keys.""")
class SendingDomainsApi {

    private final SendingDomains domains;

    SendingDomainsApi(SendingDomains domains) {
        this.domains = domains;
    }

    @PostMapping("/api/v1/sending-domains")
    @Access.Administer
    @Operation(summary = "Register a sending domain", description = """
            Fields: domain (e.g. shop.ru or магазин.рф), ed25519 (true adds an Ed25519 key, RFC 8463, signed alongside
            RSA). Answers the domain with its DNS records to publish; 409 when it is already registered.""")
    ResponseEntity<SendingDomains.Domain> create(@AuthenticationPrincipal OrbitaPrincipal me, @RequestBody JsonNode body) {
        Problems problems = new Problems();
        JsonInput in = JsonInput.of(body, problems);
        Optional<String> domain = in.text("domain");
        Optional<String> ed = in.text("ed25519");
        in.rejectUnknown();
        if (domain == null || domain.isEmpty() || domain.get().isBlank()) {
            problems.add("domain", "domain.required", "domain is required");
        }
        boolean ed25519 = ed != null && ed.isPresent() && ed.get().equalsIgnoreCase("true");
        if (ed != null && ed.isPresent() && !ed.get().equalsIgnoreCase("true") && !ed.get().equalsIgnoreCase("false")) {
            problems.add("ed25519", "json.type", "ed25519 must be true or false");
        }
        problems.throwIfAny();
        return ResponseEntity.status(HttpStatus.CREATED).body(domains.create(me.workspace(), domain.get(), ed25519));
    }

    @GetMapping("/api/v1/sending-domains")
    @Access.Read
    @Operation(summary = "List sending domains", description = "With their DNS records and the verdicts of the last check.")
    List<SendingDomains.Domain> list(@AuthenticationPrincipal OrbitaPrincipal me) {
        return domains.list(me.workspace());
    }

    @GetMapping("/api/v1/sending-domains/{id}")
    @Access.Read
    @Operation(summary = "A sending domain with the DNS records to publish", description = """
            records: purpose (dkim, dkim-ed25519, spf, dmarc, return-path), type, name, value to publish, and status of
            the last check: ok, missing, mismatch (a record is there with another value; found shows it) or unknown (not
            checked yet, or DNS did not answer).""")
    SendingDomains.Domain get(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        return domains.get(me.workspace(), id);
    }

    @PostMapping("/api/v1/sending-domains/{id}/check")
    @Access.Administer
    @Operation(summary = "Check the DNS records now", description = "Looks every record up in DNS; the domain is verified when its DKIM records match.")
    SendingDomains.Domain check(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        return domains.check(me.workspace(), id);
    }

    @DeleteMapping("/api/v1/sending-domains/{id}")
    @Access.Administer
    @Operation(summary = "Remove a sending domain", description = "Its keys are deleted; mail from it is no longer signed.")
    ResponseEntity<Void> delete(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        domains.delete(me.workspace(), id);
        return ResponseEntity.noContent().build();
    }
}
