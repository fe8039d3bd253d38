package io.orbita.delivery.web;

import io.orbita.delivery.Outbox;
import io.orbita.platform.JsonInput;
import io.orbita.platform.Problems;
import io.orbita.workspace.Access;
import io.orbita.workspace.OrbitaPrincipal;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@Tag(name = "Messages", description = """
        The transactional API: send one letter to a contact or an address, now. Messages go through the outbox (sent by
        the workers of every node, retried on temporary failures) and their status can be followed by id.""")
class MessagesApi {

    record Accepted(long id, String status) {
    }

    record Status(java.util.Map<String, Long> messages, java.util.List<io.orbita.delivery.smtp.RelayPool.Health> relays) {
    }

    private final Outbox outbox;
    private final io.orbita.delivery.smtp.RelayPool relays;

    MessagesApi(Outbox outbox, io.orbita.delivery.smtp.RelayPool relays) {
        this.outbox = outbox;
        this.relays = relays;
    }

    @GetMapping("/api/v1/delivery/status")
    @Access.Read
    @Operation(summary = "Sending status", description = """
            The workspace's messages per state, and the relays as this node sees them: paused (the circuit breaker after
            repeated connection failures) and until when, failures in a row, messages sent and failed, open connections,
            the last error and when it happened, the circuit breaker's state (breaker: closed, open = paused, half-open =
            the pause is over and the next message is the trial) and when a message was last accepted (lastSuccessAt).""")
    Status status(@AuthenticationPrincipal OrbitaPrincipal me) {
        return new Status(outbox.counts(me.workspace()), relays.health());
    }

    @PostMapping("/api/v1/messages")
    @Access.Market
    @Operation(summary = "Send a message", description = """
            Fields: contactId or to (an address; exactly one of them); templateId (a saved template) or subject + html
            (and optional text; made from the HTML when absent) as inline Liquid; data (an object, available in Liquid as
            data.*); kind: transactional (default) or marketing (gets List-Unsubscribe and one-click unsubscribe, and is
            suppressed for contacts who did not consent); fromEmail and fromName (default: the contact's personal manager,
            else the user of the API key); replyTo; idempotencyKey (or the Idempotency-Key header): the same key in a
            workspace sends once and answers the first message again (200 instead of 201).
            Answers {id, status}; follow the status with GET /api/v1/messages/{id}.""")
    ResponseEntity<Accepted> send(@AuthenticationPrincipal OrbitaPrincipal me,
                                  @Parameter(description = "Sends at most once per key and workspace")
                                  @RequestHeader(value = "Idempotency-Key", required = false) String idempotencyHeader,
                                  @RequestBody JsonNode body) {
        Problems problems = new Problems();
        JsonInput in = JsonInput.of(body, problems);
        Optional<Long> contactId = in.id("contactId");
        Optional<String> to = in.text("to");
        Optional<String> kind = in.text("kind");
        Optional<Long> templateId = in.id("templateId");
        Optional<String> subject = in.text("subject");
        Optional<String> html = in.text("html");
        Optional<String> text = in.text("text");
        Optional<Map<String, Object>> data = in.object("data");
        Optional<String> fromEmail = in.text("fromEmail");
        Optional<String> fromName = in.text("fromName");
        Optional<String> replyTo = in.text("replyTo");
        Optional<String> key = in.text("idempotencyKey");
        in.rejectUnknown();
        String idempotencyKey = val(key) != null ? val(key) : idempotencyHeader;
        if (val(key) != null && idempotencyHeader != null && !idempotencyHeader.equals(val(key))) {
            problems.add("idempotencyKey", "message.idempotencyKey", "the Idempotency-Key header and idempotencyKey differ");
        }
        problems.throwIfAny();
        Outbox.Queued q = outbox.enqueue(me.workspace(), me.userId(), new Outbox.NewMessage(val(contactId), val(to),
                val(kind), val(templateId), val(subject), val(html), val(text), val(data), val(fromName), val(fromEmail),
                val(replyTo), idempotencyKey));
        return ResponseEntity.status(q.created() ? HttpStatus.CREATED : HttpStatus.OK).body(new Accepted(q.id(), q.status()));
    }

    private static <T> T val(Optional<T> o) {
        return o == null ? null : o.orElse(null);
    }

    @GetMapping("/api/v1/messages/{id}")
    @Access.Read
    @Operation(summary = "A message's status", description = """
            status: queued, sending, sent (the relay accepted it), deferred (a temporary failure; nextAttemptAt says when
            it is tried again), failed (a permanent failure or too many attempts), bounced or complained (what came back
            later), suppressed (not sent: the recipient is unsubscribed or bounced), cancelled. lastSmtpAnswer is the
            relay's last answer, relay the relay that gave it.""")
    Outbox.Message get(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        return outbox.get(me.workspace(), id);
    }

    // No "produces": the body is message/rfc822 whatever the client accepts, and a 404 still answers problem+json.
    @GetMapping("/api/v1/messages/{id}/raw")
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "the message source",
            content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "message/rfc822"))
    @Access.Read
    @Operation(summary = "The exact bytes sent", description = """
            The message as it went to the relay (headers, DKIM signatures, MIME body), as message/rfc822. 404 until the
            message has been built (it is built just before its first attempt) and for suppressed messages.""")
    ResponseEntity<byte[]> raw(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        return outbox.raw(me.workspace(), id)
                .map(b -> ResponseEntity.ok().contentType(MediaType.parseMediaType("message/rfc822")).body(b))
                .orElseThrow(() -> new io.orbita.platform.NotFoundException("message source", id));
    }
}
