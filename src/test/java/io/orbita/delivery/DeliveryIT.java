package io.orbita.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orbita.OrbitaIT;
import io.orbita.delivery.internal.CapturedMail;
import io.orbita.delivery.smtp.RelayPool;
import io.orbita.delivery.smtp.RelaySettings;
import io.orbita.delivery.smtp.SmtpListener;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/** The sending path end to end: API, outbox, workers, the real SMTP client, the capture server and scripted relays. */
class DeliveryIT extends OrbitaIT {

    @Autowired
    RelayPool relays;

    @Autowired
    CapturedMail captured;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    TransactionTemplate tx;

    @AfterEach
    void backToTheCaptureServer() {
        relays.useInitial();
    }

    private static final Duration WAIT = Duration.ofSeconds(20);

    private JsonNode awaitStatus(TestWorkspace ws, long id, String status) {
        JsonNode[] last = {null};
        await().atMost(WAIT).untilAsserted(() -> {
            last[0] = get("/api/v1/messages/" + id, ws.apiKey()).body();
            assertThat(last[0].get("status").asString()).isEqualTo(status);
        });
        return last[0];
    }

    private byte[] raw(TestWorkspace ws, long id) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url("/api/v1/messages/" + id + "/raw")))
                .header("Authorization", "Bearer " + ws.apiKey()).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("message/rfc822");
        return r.body();
    }

    private long send(TestWorkspace ws, Map<String, Object> body) {
        Api r = post("/api/v1/messages", ws.apiKey(), body);
        assertThat(r.status()).as(String.valueOf(r.body())).isEqualTo(201);
        return r.body().get("id").asLong();
    }

    private static Map<String, Object> simple(String to) {
        Map<String, Object> m = new HashMap<>();
        m.put("to", to);
        m.put("fromEmail", "anna@shop.example");
        m.put("fromName", "Anna");
        m.put("subject", "Order {{ data.order }}");
        m.put("html", "<p>Your order {{ data.order }} is on its way.</p>");
        m.put("data", Map.of("order", "A-17"));
        return m;
    }

    @Test
    void marketingMessageIsSignedStrictAndCapturedByteForByte() throws Exception {
        TestWorkspace ws = newWorkspace();
        Api domain = post("/api/v1/sending-domains", ws.apiKey(), Map.of("domain", "shop.example", "ed25519", true));
        assertThat(domain.status()).isEqualTo(201);
        Map<String, String> dns = new HashMap<>();
        for (JsonNode r : domain.body().get("records")) {
            if (r.get("purpose").asString().startsWith("dkim")) {
                dns.put(r.get("name").asString(), r.get("value").asString());
            }
        }
        assertThat(dns).hasSize(2);

        Map<String, Object> body = new HashMap<>();
        body.put("to", "ivan.petrov@пример.рф");
        body.put("kind", "marketing");
        body.put("fromEmail", "anna@shop.example");
        body.put("fromName", "Анна Смирнова\r\nBcc: spy@evil.example");
        body.put("subject", "Предложение для {{ data.company }}\r\nX-Injected: yes");
        body.put("html", "<h1>Здравствуйте!</h1><p>Скидка для {{ data.company }}: {{ data.discount }}%</p>");
        body.put("data", Map.of("company", "ООО «Ромашка»", "discount", 15));
        long id = send(ws, body);
        JsonNode status = awaitStatus(ws, id, "sent");
        assertThat(status.get("lastSmtpAnswer").asString()).startsWith("250");
        assertThat(status.get("relay").asString()).isEqualTo("capture");

        byte[] raw = raw(ws, id);
        // What the relay received is exactly what the outbox kept.
        List<CapturedMail.Summary> mails = captured.list(ws.id(), 10);
        assertThat(mails).hasSize(1);
        assertThat(captured.get(ws.id(), mails.getFirst().id()).raw()).isEqualTo(raw);
        assertThat(mails.getFirst().recipients()).isEqualTo("ivan.petrov@xn--e1afmkfd.xn--p1ai");
        assertThat(mails.getFirst().subject()).isEqualTo("Предложение для ООО «Ромашка» X-Injected: yes");

        String text = new String(raw, StandardCharsets.US_ASCII);
        String head = text.substring(0, text.indexOf("\r\n\r\n"));
        assertThat(head).startsWith("DKIM-Signature: v=1; a=rsa-sha256;").contains("a=ed25519-sha256", "d=shop.example",
                "List-Unsubscribe-Post: List-Unsubscribe=One-Click", "<mailto:b-", "List-Id: <", "Feedback-ID: api:marketing:w",
                "Message-ID: <", "@shop.example>", "MIME-Version: 1.0", "<ivan.petrov@xn--e1afmkfd.xn--p1ai>");
        // The one-click link is tracking's signed unsubscribe address (/u/...) on its public base URL.
        assertThat(head).containsPattern("List-Unsubscribe: <http://localhost:\\d+/u/[^>]+>");
        for (String line : head.split("\r\n")) {
            assertThat(line).doesNotStartWith("Bcc").doesNotStartWith("X-Injected");
        }
        var parsed = new jakarta.mail.internet.MimeMessage(jakarta.mail.Session.getInstance(new java.util.Properties()),
                new java.io.ByteArrayInputStream(raw));
        assertThat(((jakarta.mail.internet.InternetAddress) parsed.getFrom()[0]).getPersonal())
                .isEqualTo("Анна Смирнова Bcc: spy@evil.example");
        assertThat(parsed.getHeader("Bcc")).isNull();
        String html = ((jakarta.mail.internet.MimeMultipart) parsed.getContent()).getBodyPart(1).getContent().toString();
        assertThat(html).contains("Скидка для ООО «Ромашка»: 15%");

        if (DkimVerifier.available()) {
            assertThat(DkimVerifier.verify(raw, dns)).isEqualTo("ok ok");
        } else {
            System.out.println("python3-dkim is not installed: DKIM signatures not verified independently");
        }

        // The captured message page shows it, and the status page counts it.
        Session user = login(ws.ownerEmail(), ws.ownerPassword());
        HttpResponse<String> page = user.get("/delivery/captured/" + mails.getFirst().id());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Скидка для ООО «Ромашка»", "sandbox=\"\"", "DKIM-Signature");
        assertThat(user.get("/delivery/captured").body()).contains("Предложение для ООО «Ромашка»");
        assertThat(user.get("/delivery").body()).contains("capture");
    }

    @Test
    void idempotencyKeySendsOnce() {
        TestWorkspace ws = newWorkspace();
        Map<String, Object> body = simple("buyer@client.example");
        body.put("idempotencyKey", "order-A-17-shipped");
        Api first = post("/api/v1/messages", ws.apiKey(), body);
        Api again = post("/api/v1/messages", ws.apiKey(), body);
        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body().get("id").asLong()).isEqualTo(first.body().get("id").asLong());
        awaitStatus(ws, first.body().get("id").asLong(), "sent");
        assertThat(captured.list(ws.id(), 10)).hasSize(1);
        // The same key in another workspace is another message.
        TestWorkspace other = newWorkspace();
        assertThat(post("/api/v1/messages", other.apiKey(), body).status()).isEqualTo(201);
    }

    @Test
    void badInputIsNamed() {
        TestWorkspace ws = newWorkspace();
        Api unknown = post("/api/v1/messages", ws.apiKey(), Map.of("to", "a@b.example", "subject", "x", "colour", "red"));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body().get("errors").toString()).contains("unknown field 'colour'");
        Api r = post("/api/v1/messages", ws.apiKey(), Map.of("to", "not an address", "subject", "x"));
        assertThat(r.status()).isEqualTo(400);
        String errors = r.body().get("errors").toString();
        assertThat(errors).contains("cannot send to this address", "html or text is required", "fromEmail is required");
        Api both = post("/api/v1/messages", ws.apiKey(), Map.of("to", "a@b.example", "contactId", 1, "subject", "x", "html", "y",
                "fromEmail", "anna@shop.example"));
        assertThat(both.body().get("errors").toString()).contains("exactly one of contactId and to");
        Api address = post("/api/v1/messages", ws.apiKey(), Map.of("to", "a@b.example\r\nBcc: x@y.example", "subject", "x",
                "html", "y", "fromEmail", "anna@shop.example"));
        assertThat(address.status()).isEqualTo(400);
        assertThat(get("/api/v1/messages/999999999", ws.apiKey()).status()).isEqualTo(404);
    }

    @Test
    void temporaryFailureIsRetriedThenDelivered() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        List<byte[]> received = new CopyOnWriteArrayList<>();
        try (SmtpListener relay = new SmtpListener(0, (from, rcpts, data) -> {
            if (calls.incrementAndGet() <= 2) {
                return new SmtpListener.Reply(451, "4.7.1 Greylisted, try again later");
            }
            received.add(data);
            return SmtpListener.Reply.OK;
        })) {
            relays.use(List.of(new RelaySettings("scripted", "127.0.0.1", relay.port(), "none", null, null, 2, 0)));
            TestWorkspace ws = newWorkspace();
            long id = send(ws, simple("greylisted@client.example"));
            await().atMost(WAIT).until(() -> calls.get() >= 1);
            JsonNode s = awaitStatus(ws, id, "sent");
            assertThat(s.get("attempts").asInt()).isEqualTo(3);
            assertThat(received).hasSize(1);
            assertThat(received.getFirst()).isEqualTo(raw(ws, id));
        }
    }

    @Test
    void cyrillicMailboxGoesOutWithSmtpUtf8() throws Exception {
        List<String> rcpts = new CopyOnWriteArrayList<>();
        List<byte[]> received = new CopyOnWriteArrayList<>();
        try (SmtpListener relay = new SmtpListener(0, (from, to, data) -> {
            rcpts.addAll(to);
            received.add(data);
            return SmtpListener.Reply.OK;
        })) {
            relays.use(List.of(new RelaySettings("scripted", "127.0.0.1", relay.port(), "none", null, null, 2, 0)));
            TestWorkspace ws = newWorkspace();
            long id = send(ws, simple("иван@пример.рф"));
            awaitStatus(ws, id, "sent");
            assertThat(rcpts).containsExactly("иван@xn--e1afmkfd.xn--p1ai");
            assertThat(new String(received.getFirst(), StandardCharsets.UTF_8)).contains("To: <иван@xn--e1afmkfd.xn--p1ai>");
        }
    }

    @Test
    void permanentFailureIsFinal() {
        AtomicInteger calls = new AtomicInteger();
        try (SmtpListener relay = new SmtpListener(0, new SmtpListener.Handler() {
            @Override
            public SmtpListener.Reply recipient(String from, String rcpt) {
                calls.incrementAndGet();
                return new SmtpListener.Reply(550, "5.1.1 <" + rcpt + ">: user unknown");
            }

            @Override
            public SmtpListener.Reply data(String from, List<String> rcpts, byte[] data) {
                return SmtpListener.Reply.OK;
            }
        })) {
            relays.use(List.of(new RelaySettings("scripted", "127.0.0.1", relay.port(), "none", null, null, 2, 0)));
            TestWorkspace ws = newWorkspace();
            long id = send(ws, simple("nobody@client.example"));
            JsonNode s = awaitStatus(ws, id, "failed");
            assertThat(s.get("lastSmtpAnswer").asString()).contains("550", "user unknown");
            assertThat(s.get("attempts").asInt()).isEqualTo(1);
            assertThat(calls.get()).isEqualTo(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void relayDownThenBackPausesAndResumes() throws Exception {
        int port;
        try (var probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        relays.use(List.of(new RelaySettings("flaky", "127.0.0.1", port, "none", null, null, 2, 0)));
        TestWorkspace ws = newWorkspace();
        long id = send(ws, simple("waiting@client.example"));
        JsonNode deferred = awaitStatus(ws, id, "deferred");
        assertThat(deferred.get("lastSmtpAnswer").asString()).startsWith("no answer");
        // After a few connection failures the relay is paused (visible on the status page).
        await().atMost(WAIT).until(() -> relays.health().getFirst().consecutiveFailures() >= 3);
        Session user = login(ws.ownerEmail(), ws.ownerPassword());
        assertThat(user.get("/delivery").body()).contains("flaky").containsAnyOf("Paused until", "Приостановлен до",
                "failures in a row", "ошибок подряд").containsAnyOf("breaker-open", "breaker-half-open");
        JsonNode relay = get("/api/v1/delivery/status", ws.apiKey()).body().get("relays").get(0);
        assertThat(relay.get("breaker").asString()).isIn("open", "half-open");
        assertThat(relay.get("lastError").asString()).isNotBlank();
        assertThat(relay.get("lastErrorAt").isNull()).isFalse();
        List<byte[]> received = new CopyOnWriteArrayList<>();
        try (SmtpListener back = new SmtpListener(port, (from, rcpts, data) -> {
            received.add(data);
            return SmtpListener.Reply.OK;
        })) {
            awaitStatus(ws, id, "sent");
            assertThat(received).hasSize(1);
            assertThat(relays.health().getFirst().paused()).isFalse();
            JsonNode healthy = get("/api/v1/delivery/status", ws.apiKey()).body().get("relays").get(0);
            assertThat(healthy.get("breaker").asString()).isEqualTo("closed");
            assertThat(healthy.get("lastSuccessAt").isNull()).isFalse();
            assertThat(user.get("/delivery").body()).contains("breaker-closed");
        }
    }

    @Test
    void messagesOfADeadNodeAreSentAfterTheirLeaseRunsOut() {
        TestWorkspace ws = newWorkspace();
        Instant now = Instant.now();
        // A node claimed these and died: one lease ran out, the other is still running.
        long expired = insertClaimed(ws, "expired@client.example", now.minusSeconds(60));
        long leased = insertClaimed(ws, "leased@client.example", now.plusSeconds(3600));
        awaitStatus(ws, expired, "sent");
        assertThat(get("/api/v1/messages/" + leased, ws.apiKey()).body().get("status").asString()).isEqualTo("sending");
        assertThat(captured.list(ws.id(), 10)).extracting(CapturedMail.Summary::recipients).containsExactly("expired@client.example");
    }

    private long insertClaimed(TestWorkspace ws, String to, Instant claimedUntil) {
        return jdbc.sql("""
                insert into outbox_message (workspace_id, recipient, kind, state, subject, html, from_name, from_address,
                    next_attempt_at, claimed_until, claimed_by, created_at, updated_at)
                values (?, ?, 'transactional', 'sending', 'Left behind', '<p>hi</p>', 'Anna', 'anna@shop.example', now(), ?,
                    'dead-node', now(), now()) returning id""")
                .params(ws.id().value(), to, java.sql.Timestamp.from(claimedUntil)).query(Long.class).single();
    }

    @Test
    void marketingToAnUnsubscribedContactIsSuppressed() {
        TestWorkspace ws = newWorkspace();
        long contact = post("/api/v1/contacts", ws.apiKey(), Map.of("email", "gone@client.example", "consentStatus", "unsubscribed"))
                .body().get("id").asLong();
        Map<String, Object> m = simple(null);
        m.remove("to");
        m.put("contactId", contact);
        m.put("kind", "marketing");
        long id = send(ws, m);
        JsonNode s = awaitStatus(ws, id, "suppressed");
        assertThat(s.get("lastSmtpAnswer").asString()).contains("unsubscribed");
        // Transactional mail still goes to them.
        m.put("kind", "transactional");
        awaitStatus(ws, send(ws, m), "sent");
    }

    @Test
    void bounceReportedByInboundMarksTheMessage() {
        TestWorkspace ws = newWorkspace();
        long id = send(ws, simple("bouncy@client.example"));
        awaitStatus(ws, id, "sent");
        tx.executeWithoutResult(t -> events.publishEvent(new MailReturned(ws.id(), id, null, "bounce", "bouncy@client.example",
                "5.1.1", "userunknown", true, Instant.now())));
        JsonNode s = awaitStatus(ws, id, "bounced");
        assertThat(s.get("lastSmtpAnswer").asString()).contains("hard", "5.1.1");
        // A message of another workspace with the same id is untouched.
        TestWorkspace other = newWorkspace();
        tx.executeWithoutResult(t -> events.publishEvent(new MailReturned(other.id(), id, null, "complaint", "x@y.example",
                null, null, false, Instant.now())));
        assertThat(get("/api/v1/messages/" + id, ws.apiKey()).body().get("status").asString()).isEqualTo("bounced");
    }

    @Test
    void sendingDomainsListRecordsAndCheckThem() {
        TestWorkspace ws = newWorkspace();
        Api created = post("/api/v1/sending-domains", ws.apiKey(), Map.of("domain", "Магазин.РФ"));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().get("asciiDomain").asString()).isEqualTo("xn--80aairftm.xn--p1ai");
        assertThat(created.body().get("domain").asString()).isEqualTo("магазин.рф");
        String records = created.body().get("records").toString();
        assertThat(records).contains("._domainkey.xn--80aairftm.xn--p1ai", "v=DKIM1; k=rsa; p=MIIBIjAN", "v=spf1",
                "_dmarc.xn--80aairftm.xn--p1ai", "v=DMARC1", "\"return-path\"");
        assertThat(post("/api/v1/sending-domains", ws.apiKey(), Map.of("domain", "магазин.рф")).status()).isEqualTo(409);
        assertThat(post("/api/v1/sending-domains", ws.apiKey(), Map.of("domain", "not a domain")).status()).isEqualTo(400);
        long id = created.body().get("id").asLong();
        // The tests' DNS server is a port where nothing answers: every record is "unknown", nothing is verified.
        Api checked = post("/api/v1/sending-domains/" + id + "/check", ws.apiKey(), null);
        assertThat(checked.status()).isEqualTo(200);
        assertThat(checked.body().get("verified").asBoolean()).isFalse();
        assertThat(checked.body().get("checkedAt").isNull()).isFalse();
        for (JsonNode r : checked.body().get("records")) {
            assertThat(r.get("status").asString()).isIn("unknown", "missing");
        }
        assertThat(get("/api/v1/sending-domains", ws.apiKey()).body().size()).isEqualTo(1);
        Session user = login(ws.ownerEmail(), ws.ownerPassword());
        assertThat(user.get("/delivery/domains/" + id).body()).contains("_dmarc.xn--80aairftm.xn--p1ai", "v=DKIM1");
        assertThat(user.get("/delivery/domains").body()).contains("магазин.рф");
    }
}
