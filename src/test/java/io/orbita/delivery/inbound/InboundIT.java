package io.orbita.delivery.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.orbita.OrbitaIT;
import io.orbita.delivery.BounceAddress;
import io.orbita.platform.WorkspaceId;
import io.orbita.workspace.Role;

import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import tools.jackson.databind.JsonNode;

/**
 * Inbound mail end to end: real SMTP to the built-in listener, a real IMAP mailbox (GreenMail) polled, the effects seen
 * through the REST API (consent, suppression list, timeline, inbound messages).
 */
public class InboundIT extends OrbitaIT {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP_IMAP);

    private static final String BOUNCE_DOMAIN = "bounces.orbita-mail.ru";

    @Autowired
    SmtpListener listener;
    @Autowired
    BounceAddress bounceAddress;
    @Autowired
    InboundProcessor processor;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    PlatformTransactionManager tx;

    private long contact(TestWorkspace ws, String email) {
        Api r = post("/api/v1/contacts", ws.apiKey(), Map.of("email", email, "firstName", "Иван"));
        assertThat(r.status()).as(String.valueOf(r.body())).isEqualTo(201);
        return r.body().get("id").asLong();
    }

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@client-a.ru";
    }

    private void sendSmtp(String raw, String envelopeTo) throws Exception {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", String.valueOf(listener.port()));
        p.put("mail.smtp.from", "mailer-daemon@mx.remote-mta.ru");
        p.put("mail.mime.allowutf8", "true");
        jakarta.mail.Session session = jakarta.mail.Session.getInstance(p);
        MimeMessage m = new MimeMessage(session, new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)));
        Transport.send(m, new InternetAddress[] {new InternetAddress(envelopeTo)});
    }

    public static String dsn(String recipient, String status, String diagnostic, String originalReturnPath) {
        return """
                From: Mail Delivery System <MAILER-DAEMON@mx.remote-mta.ru>
                To: %s
                Subject: Undelivered Mail Returned to Sender
                Date: Mon, 23 Nov 2026 10:00:00 +0300
                Message-ID: <bounce-%s@mx.remote-mta.ru>
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=delivery-status; boundary="BOUNDARY"

                --BOUNDARY
                Content-Type: text/plain; charset=us-ascii

                I'm sorry to have to inform you that your message could not be delivered.

                --BOUNDARY
                Content-Type: message/delivery-status

                Reporting-MTA: dns; mx.remote-mta.ru

                Final-Recipient: rfc822; %s
                Action: failed
                Status: %s
                Diagnostic-Code: smtp; %s

                --BOUNDARY
                Content-Type: text/rfc822-headers

                Return-Path: <%s>
                From: Анна Смирнова <anna@orbita-client.ru>
                To: %s
                Subject: Новинки каталога

                --BOUNDARY--
                """.formatted(originalReturnPath, UUID.randomUUID(), recipient, status, diagnostic, originalReturnPath, recipient);
    }

    static String arf(String recipient, String originalReturnPath) {
        return """
                From: Feedback Loop <fbl@mail-provider.ru>
                To: fbl@orbita-client.ru
                Subject: Abuse report
                Date: Mon, 23 Nov 2026 10:00:00 +0300
                Message-ID: <fbl-%s@mail-provider.ru>
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=feedback-report; boundary="ARF"

                --ARF
                Content-Type: text/plain; charset=us-ascii

                This is an email abuse report.

                --ARF
                Content-Type: message/feedback-report

                Feedback-Type: abuse
                User-Agent: ProviderFBL/1.0
                Version: 1
                Original-Rcpt-To: %s

                --ARF
                Content-Type: message/rfc822

                Return-Path: <%s>
                From: anna@orbita-client.ru
                To: %s
                Subject: Акция

                Текст письма.
                --ARF--
                """.formatted(UUID.randomUUID(), recipient, originalReturnPath, recipient);
    }

    @Test
    void hardBounceBySmtpMarksTheContactBouncedAndSuppressesIt() throws Exception {
        TestWorkspace ws = newWorkspace();
        String email = unique("ivan");
        long id = contact(ws, email);
        String verp = bounceAddress.encode(ws.id(), 4242, BOUNCE_DOMAIN);

        sendSmtp(dsn(email, "5.1.1", "550 5.1.1 <" + email + ">: Recipient address rejected: User unknown", verp), verp);

        assertThat(get("/api/v1/contacts/" + id, ws.apiKey()).body().get("consentStatus").asString()).isEqualTo("bounced");
        JsonNode check = get("/api/v1/suppressions/check?address=" + email.toUpperCase(), ws.apiKey()).body();
        assertThat(check.get("suppressed").asBoolean()).isTrue();
        assertThat(check.get("entry").get("reason").asString()).isEqualTo("hard_bounce");
        assertThat(check.get("entry").get("sourceMessageId").asLong()).isEqualTo(4242);
        JsonNode messages = get("/api/v1/inbound/messages", ws.apiKey()).body().get("items");
        assertThat(messages).hasSize(1);
        assertThat(messages.get(0).get("kind").asString()).isEqualTo("bounce");
        assertThat(messages.get(0).get("messageId").asLong()).isEqualTo(4242);
        assertThat(messages.get(0).get("classification").get("recipients").get(0).get("reason").asString()).isEqualTo("userunknown");
        // the consent history says why
        JsonNode history = get("/api/v1/contacts/" + id + "/consent-history", ws.apiKey()).body();
        assertThat(history.toString()).contains("bounced", "inbound mail");
    }

    @Test
    void aBounceWithoutOurBounceAddressChangesNothing() throws Exception {
        TestWorkspace ws = newWorkspace();
        String email = unique("petr");
        long id = contact(ws, email);
        // a forged bounce address: right shape, wrong MAC
        String forged = "b-" + Long.toString(ws.id().value(), 36) + "-1-0123456789abcdef@" + BOUNCE_DOMAIN;

        sendSmtp(dsn(email, "5.1.1", "550 5.1.1 user unknown", forged), forged);

        assertThat(get("/api/v1/contacts/" + id, ws.apiKey()).body().get("consentStatus").asString()).isEqualTo("subscribed");
        assertThat(get("/api/v1/suppressions/check?address=" + email, ws.apiKey()).body().get("suppressed").asBoolean()).isFalse();
    }

    @Test
    void softBouncesSuppressOnlyAfterTheLimit() throws Exception {
        TestWorkspace ws = newWorkspace();
        String email = unique("full");
        long id = contact(ws, email);
        String verp = bounceAddress.encode(ws.id(), 77, BOUNCE_DOMAIN);
        for (int i = 1; i <= 3; i++) {
            sendSmtp(dsn(email, "4.2.2", "452 4.2.2 Mailbox full", verp), verp);
            boolean suppressed = get("/api/v1/suppressions/check?address=" + email, ws.apiKey()).body().get("suppressed").asBoolean();
            assertThat(suppressed).as("after soft bounce " + i).isEqualTo(i >= 3);
        }
        assertThat(get("/api/v1/suppressions/check?address=" + email, ws.apiKey()).body().get("entry").get("reason").asString())
                .isEqualTo("soft_bounce_limit");
        // a soft bounce does not touch consent
        assertThat(get("/api/v1/contacts/" + id, ws.apiKey()).body().get("consentStatus").asString()).isEqualTo("subscribed");
    }

    @Autowired
    InboundHousekeeping housekeeping;

    @Test
    void oldSoftBouncesStopCountingAndAreRemoved() {
        TestWorkspace ws = newWorkspace();
        String email = unique("old");
        String verp = bounceAddress.encode(ws.id(), 5, BOUNCE_DOMAIN);
        processor.process(dsn(email, "4.2.2", "452 4.2.2 Mailbox full", verp).getBytes(StandardCharsets.UTF_8), "api", null, List.of(verp));
        java.util.function.Supplier<Integer> count = () -> jdbc.sql("select count(*) from soft_bounce where workspace_id = ?")
                .param(ws.id().value()).query(Integer.class).single();
        assertThat(count.get()).isEqualTo(1);
        housekeeping.clean(java.time.Instant.now().plus(Duration.ofDays(1)));
        assertThat(count.get()).as("still inside the window").isEqualTo(1);
        housekeeping.clean(java.time.Instant.now().plus(Duration.ofDays(15)));
        assertThat(count.get()).isZero();
        assertThat(get("/api/v1/inbound/messages", ws.apiKey()).body().get("items")).as("messages are kept longer").hasSize(1);
    }

    @Test
    void aComplaintUnsubscribesAndSuppresses() throws Exception {
        TestWorkspace ws = newWorkspace();
        String email = unique("angry");
        long id = contact(ws, email);
        String verp = bounceAddress.encode(ws.id(), 99, BOUNCE_DOMAIN);

        sendSmtp(arf(email, verp), "fbl@" + BOUNCE_DOMAIN);

        assertThat(get("/api/v1/contacts/" + id, ws.apiKey()).body().get("consentStatus").asString()).isEqualTo("complained");
        JsonNode check = get("/api/v1/suppressions/check?address=" + email, ws.apiKey()).body();
        assertThat(check.get("entry").get("reason").asString()).isEqualTo("complaint");
    }

    @Test
    void aHumanReplyLandsOnTheTimelineAndAnAutoReplyDoesNot() throws Exception {
        TestWorkspace ws = newWorkspace();
        String email = unique("client");
        long id = contact(ws, email);
        String ourMessageId = "<m-" + Long.toString(ws.id().value(), 36) + "-" + Long.toString(512, 36) + "-x1y2@orbita-client.ru>";
        String reply = """
                From: Иван Петров <%s>
                To: Анна Смирнова <anna@orbita-client.ru>
                Subject: Re: Предложение по поставке
                Date: Mon, 23 Nov 2026 11:00:00 +0300
                Message-ID: <reply-%s@client-a.ru>
                In-Reply-To: %s
                References: %s
                Content-Type: text/plain; charset=UTF-8

                Добрый день! Интересно, давайте созвонимся.
                """.formatted(email, UUID.randomUUID(), ourMessageId, ourMessageId);
        String vacation = """
                From: %s
                To: anna@orbita-client.ru
                Subject: Автоответ: Предложение по поставке
                Auto-Submitted: auto-replied
                In-Reply-To: %s
                Content-Type: text/plain; charset=UTF-8

                Я в отпуске до 1 декабря.
                """.formatted(email, ourMessageId);

        sendSmtp(vacation, "anna@" + BOUNCE_DOMAIN);
        sendSmtp(reply, "anna@" + BOUNCE_DOMAIN);

        JsonNode timeline = get("/api/v1/contacts/" + id + "/timeline", ws.apiKey()).body();
        assertThat(timeline.toString()).contains("email_replied", "Предложение по поставке");
        long replies = 0;
        for (JsonNode item : timeline.get("items")) {
            replies += "email_replied".equals(item.path("type").asString("")) ? 1 : 0;
        }
        assertThat(replies).as("one reply, the auto-reply is not one").isEqualTo(1);
        JsonNode kinds = get("/api/v1/inbound/messages", ws.apiKey()).body().get("items");
        assertThat(List.of(kinds.get(0).get("kind").asString(), kinds.get(1).get("kind").asString()))
                .containsExactly("reply", "auto_reply");
        assertThat(get("/api/v1/contacts/" + id, ws.apiKey()).body().get("consentStatus").asString()).isEqualTo("subscribed");
    }

    @Test
    void imapPollingPicksBouncesFromAMailbox() throws Exception {
        TestWorkspace ws = newWorkspace();
        String email = unique("imap");
        long id = contact(ws, email);
        String verp = bounceAddress.encode(ws.id(), 31337, BOUNCE_DOMAIN);
        GreenMailUser box = greenMail.setUser("bounces@" + BOUNCE_DOMAIN, "bounces", "box-password");
        jakarta.mail.Session s = jakarta.mail.Session.getInstance(new Properties());
        box.deliver(new MimeMessage(s, new ByteArrayInputStream(dsn(email, "5.1.1", "550 5.1.1 No such user", verp)
                .getBytes(StandardCharsets.UTF_8))));

        InboundProperties.Imap config = new InboundProperties.Imap("127.0.0.1", greenMail.getImap().getPort(), "bounces",
                "box-password", "INBOX", Duration.ofMinutes(1), false, "Processed");
        ImapPoller poller = new ImapPoller(config, 1_048_576, processor, jdbc, tx);

        assertThat(poller.poll()).isEqualTo(1);
        assertThat(get("/api/v1/contacts/" + id, ws.apiKey()).body().get("consentStatus").asString()).isEqualTo("bounced");
        assertThat(get("/api/v1/inbound/messages", ws.apiKey()).body().get("items").get(0).get("channel").asString()).isEqualTo("imap");
        // processed mail is moved away: the next poll finds nothing new
        assertThat(poller.poll()).isZero();
        assertThat(greenMail.getReceivedMessages()).isNotEmpty();
    }

    @Test
    void theListenerSpeaksSmtpAndKeepsItsLimits() throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", listener.port())) {
            socket.setSoTimeout(10_000);
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            var out = socket.getOutputStream();
            java.util.function.Function<String, String> say = line -> {
                try {
                    out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    String reply = in.readLine();
                    while (reply != null && reply.length() > 3 && reply.charAt(3) == '-') {
                        reply = in.readLine();
                    }
                    return reply;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            };
            assertThat(in.readLine()).startsWith("220");
            assertThat(say.apply("EHLO mx.remote-mta.ru")).startsWith("250 SIZE");
            assertThat(say.apply("RCPT TO:<a@b.ru>")).startsWith("503");
            assertThat(say.apply("MAIL FROM:<> SIZE=999999999")).startsWith("552");
            assertThat(say.apply("MAIL FROM:<>")).startsWith("250");
            assertThat(say.apply("RCPT TO:<bounces@" + BOUNCE_DOMAIN + ">")).startsWith("250");
            assertThat(say.apply("DATA")).startsWith("354");
            // a message over the size limit (1 MiB here) is read and refused, and the session goes on
            String line = "x".repeat(998);
            StringBuilder big = new StringBuilder("Subject: big\r\n\r\n");
            for (int i = 0; i < 1100; i++) {
                big.append(line).append("\r\n");
            }
            out.write(big.toString().getBytes(StandardCharsets.US_ASCII));
            assertThat(say.apply(".")).startsWith("552");
            assertThat(say.apply("NOOP")).startsWith("250");
            assertThat(say.apply("VRFY postmaster")).startsWith("252");
            assertThat(say.apply("QUIT")).startsWith("221");
        }
    }

    private HttpResponse<String> classify(String key, String contentType, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url("/api/v1/inbound/classify")))
                .header("Authorization", "Bearer " + key).header("Content-Type", contentType).header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void classifyAnswersTheAnalysisAndRefusesWhatIsNotMail() throws Exception {
        TestWorkspace ws = newWorkspace(Role.ANALYST);
        String raw = dsn("gone@client-a.ru", "5.1.1", "550 5.1.1 The email account that you tried to reach does not exist", "x@y.ru");
        HttpResponse<String> ok = classify(ws.apiKey(), "message/rfc822", raw.getBytes(StandardCharsets.UTF_8));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        JsonNode body = json.readTree(ok.body());
        assertThat(body.get("kind").asString()).isEqualTo("bounce");
        JsonNode r = body.get("recipients").get(0);
        assertThat(r.get("address").asString()).isEqualTo("gone@client-a.ru");
        assertThat(r.get("status").asString()).isEqualTo("5.1.1");
        assertThat(r.get("replyCode").asString()).isEqualTo("550");
        assertThat(r.get("reason").asString()).isEqualTo("userunknown");
        assertThat(r.get("hard").asBoolean()).isTrue();
        // nothing was stored by classifying
        assertThat(get("/api/v1/inbound/messages", ws.apiKey()).body().get("items")).isEmpty();

        HttpResponse<String> notMail = classify(ws.apiKey(), "message/rfc822", "{\"hello\": \"world\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(notMail.statusCode()).isEqualTo(400);
        assertThat(notMail.headers().firstValue("Content-Type").orElse("")).contains("problem+json");
        assertThat(notMail.body()).contains("\"field\":\"body\"", "mail.invalid", "RFC 822").doesNotContain("Exception");

        HttpResponse<String> empty = classify(ws.apiKey(), "message/rfc822", new byte[0]);
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(empty.body()).contains("mail.empty");

        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(url("/api/v1/inbound/classify")))
                .header("Content-Type", "message/rfc822").POST(HttpRequest.BodyPublishers.ofString(raw)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }

    @Test
    void theApiIsDescribedInOpenApi() throws Exception {
        HttpResponse<String> doc = http.send(HttpRequest.newBuilder(URI.create(url("/api/docs/openapi.json"))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(doc.statusCode()).isEqualTo(200);
        JsonNode paths = json.readTree(doc.body()).get("paths");
        JsonNode classify = paths.get("/api/v1/inbound/classify").get("post");
        assertThat(classify.get("summary").asString()).isEqualTo("Classify a raw message");
        assertThat(classify.get("requestBody").get("content").has("message/rfc822")).isTrue();
        assertThat(paths.has("/api/v1/suppressions")).isTrue();
        assertThat(paths.has("/api/v1/suppressions/import")).isTrue();
        assertThat(paths.has("/api/v1/inbound/messages/{id}")).isTrue();
    }

    @Test
    void theSuppressionListIsKeptPerWorkspace() {
        TestWorkspace a = newWorkspace();
        TestWorkspace b = newWorkspace();
        Api added = post("/api/v1/suppressions", a.apiKey(), Map.of("address", "Only-A@Client-A.ru"));
        assertThat(added.status()).isEqualTo(201);
        assertThat(get("/api/v1/suppressions/check?address=only-a@client-a.ru", a.apiKey()).body().get("suppressed").asBoolean()).isTrue();
        assertThat(get("/api/v1/suppressions/check?address=only-a@client-a.ru", b.apiKey()).body().get("suppressed").asBoolean()).isFalse();
    }
}
