package io.orbita.delivery.web;

import io.orbita.delivery.inbound.Classification;
import io.orbita.delivery.inbound.InboundMessages;
import io.orbita.delivery.inbound.InboundProcessor;
import io.orbita.delivery.inbound.NotMailException;
import io.orbita.platform.Cursor;
import io.orbita.platform.FieldProblem;
import io.orbita.platform.Page;
import io.orbita.platform.ValidationException;
import io.orbita.workspace.Access;
import io.orbita.workspace.OrbitaPrincipal;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Set;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/inbound")
@Tag(name = "Inbound mail", description = """
        Bounces, complaints, auto-replies and replies that come back to Orbita (built-in SMTP listener, IMAP polling),
        and a classifier to ask about any message.""")
class InboundApi {

    private static final Set<String> KINDS = Set.of("bounce", "complaint", "auto_reply", "reply", "other");

    private final InboundProcessor processor;
    private final InboundMessages messages;

    InboundApi(InboundProcessor processor, InboundMessages messages) {
        this.processor = processor;
        this.messages = messages;
    }

    @PostMapping(value = "/classify")
    @Access.Read
    @Operation(summary = "Classify a raw message", description = """
            Body: the raw message (RFC 822, as Content-Type message/rfc822). Answers kind (bounce, complaint, auto_reply,
            reply or other), subject and from, and per recipient: address, status (RFC 3463 enhanced code), replyCode
            (SMTP), reason (userunknown, mailboxfull, hostunknown, filtered, rejected, blocked, expired, spamdetected,
            suspend, ..., feedback for complaints, vacation for auto-replies) and hard (a permanent failure). Nothing is
            stored or changed. Messages over the inbound size limit are classified on their first bytes.""",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(mediaType = "message/rfc822",
                    schema = @Schema(type = "string", format = "binary"))))
    Classification classify(@RequestBody(required = false) byte[] body) {
        if (body == null || body.length == 0) {
            throw new ValidationException(FieldProblem.of("body", "mail.empty",
                    "the body is empty; send the raw message (RFC 822) with Content-Type message/rfc822"));
        }
        try {
            return processor.classify(body);
        } catch (NotMailException e) {
            throw new ValidationException(FieldProblem.of("body", "mail.invalid", e.getMessage()));
        }
    }

    @GetMapping("/messages")
    @Access.Read
    @Operation(summary = "Inbound messages of the workspace", description = "Newest first, keyset-paginated; kind filters by bounce, complaint, auto_reply, reply or other.")
    Page<InboundMessages.Stored> list(@AuthenticationPrincipal OrbitaPrincipal me, @RequestParam(required = false) String kind,
                                      @RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit) {
        if (kind != null && !kind.isBlank() && !KINDS.contains(kind)) {
            throw new ValidationException(FieldProblem.of("kind", "kind.unknown", "kind must be one of bounce, complaint, auto_reply, reply, other"));
        }
        return messages.list(me.workspace(), kind, cursor, Cursor.limit(limit, 200));
    }

    @GetMapping("/messages/{id}")
    @Access.Read
    @Operation(summary = "One inbound message", description = "Its classification and the effects applied (suppressed, consent changed, reply recorded).")
    InboundMessages.Stored get(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        return messages.get(me.workspace(), id);
    }

    @GetMapping("/messages/{id}/raw")
    @Access.Read
    @Operation(summary = "The message as received", description = "Cut to the inbound size limit when it was larger.")
    ResponseEntity<byte[]> raw(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        return ResponseEntity.ok().header("Content-Type", "message/rfc822")
                .header("Content-Disposition", "attachment; filename=\"inbound-" + id + ".eml\"").body(messages.raw(me.workspace(), id));
    }
}
