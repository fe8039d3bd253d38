package io.orbita.audience.web;

import io.orbita.audience.AddressCheck;
import io.orbita.audience.AddressValidator;
import io.orbita.platform.FieldProblem;
import io.orbita.platform.ValidationException;
import io.orbita.workspace.Access;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/emails")
@Tag(name = "Email addresses", description = "Checking addresses before they enter the base.")
class EmailValidationApi {

    static final int MAX = 1000;

    record Request(@Schema(description = "1 to 1,000 addresses", example = "[\"ivan@gmial.com\", \"info@пример.рф\"]")
                   List<String> addresses) {
    }

    record Response(List<AddressCheck> results) {
    }

    private final AddressValidator validator;

    EmailValidationApi(AddressValidator validator) {
        this.validator = validator;
    }

    @PostMapping("/validate")
    @Access.Read
    @Operation(summary = "Validate up to 1,000 addresses", description = """
            For each address: verdict (valid, risky, invalid), reason (code and text), the normalized address, and a
            suggestion for a likely typo of a big provider (gmial.com → gmail.com, yadex.ru → yandex.ru).
            Reason codes: ok, syntax, quoted_local_part, disposable, no_reply, possible_typo, role_address (risky: info@,
            sales@ are real but impersonal in B2B), no_mail_server (only when DNS lookups are switched on).""")
    Response validate(@RequestBody Request request) {
        if (request == null || request.addresses() == null || request.addresses().isEmpty()) {
            throw new ValidationException(FieldProblem.of("addresses", "field.required", "addresses must be a non-empty array"));
        }
        if (request.addresses().size() > MAX) {
            throw new ValidationException(FieldProblem.of("addresses", "bulk.tooMany", "at most " + MAX + " addresses per call", MAX));
        }
        return new Response(validator.checkAll(request.addresses()));
    }
}
