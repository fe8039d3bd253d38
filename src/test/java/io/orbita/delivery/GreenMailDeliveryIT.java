package io.orbita.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.orbita.OrbitaIT;
import io.orbita.delivery.smtp.RelayPool;
import io.orbita.delivery.smtp.RelaySettings;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Orbita's relay pointed at GreenMail: what a third-party SMTP server receives from us, template letters and test sends. */
class GreenMailDeliveryIT extends OrbitaIT {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());

    @Autowired
    RelayPool relays;

    @BeforeEach
    void toGreenMail() {
        relays.use(List.of(new RelaySettings("greenmail", "127.0.0.1", greenMail.getSmtp().getPort(), "none", null, null, 2, 0)));
    }

    @AfterEach
    void back() {
        relays.useInitial();
    }

    private void awaitSent(TestWorkspace ws, long id) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(get("/api/v1/messages/" + id, ws.apiKey()).body().get("status").asString()).isEqualTo("sent"));
    }

    @Test
    void templateLetterArrivesSignedWithOneClickUnsubscribe() throws Exception {
        TestWorkspace ws = newWorkspace();
        JsonNode domain = post("/api/v1/sending-domains", ws.apiKey(), Map.of("domain", "shop.example")).body();
        long contact = post("/api/v1/contacts", ws.apiKey(), Map.of("email", "ivan@client.example", "firstName", "Иван",
                "lastName", "Петров", "consentStatus", "subscribed")).body().get("id").asLong();
        Api template = post("/api/v1/templates", ws.apiKey(), Map.of("name", "Отгрузка", "kind", "news",
                "subject", "{{ contact.first_name }}, заказ {{ data.order }} отгружен",
                "html", "<p>Здравствуйте, {{ contact.first_name }}!</p><p>Заказ {{ data.order }} в пути.</p>"));
        assertThat(template.status()).as(String.valueOf(template.body())).isEqualTo(201);
        Map<String, Object> body = new HashMap<>();
        body.put("contactId", contact);
        body.put("templateId", template.body().get("id").asLong());
        body.put("kind", "marketing");
        body.put("fromEmail", "anna@shop.example");
        body.put("fromName", "Анна Смирнова");
        body.put("data", Map.of("order", "A-17"));
        Api sent = post("/api/v1/messages", ws.apiKey(), body);
        assertThat(sent.status()).as(String.valueOf(sent.body())).isEqualTo(201);
        awaitSent(ws, sent.body().get("id").asLong());

        MimeMessage[] received = greenMail.getReceivedMessages();
        assertThat(received).hasSize(1);
        MimeMessage m = received[0];
        assertThat(m.getSubject()).isEqualTo("Иван, заказ A-17 отгружен");
        assertThat(((InternetAddress) m.getFrom()[0]).getPersonal()).isEqualTo("Анна Смирнова");
        assertThat(((InternetAddress) m.getAllRecipients()[0]).getPersonal()).isEqualTo("Иван Петров");
        assertThat(m.getHeader("List-Unsubscribe-Post", null)).isEqualTo("List-Unsubscribe=One-Click");
        assertThat(m.getHeader("List-Unsubscribe", null)).contains("<http", "<mailto:");
        assertThat(m.getHeader("Message-ID", null)).endsWith("@shop.example>");
        assertThat(m.getHeader("Return-Path", null)).contains("@bounce.orbita.local");
        MimeMultipart alt = (MimeMultipart) m.getContent();
        assertThat(alt.getContentType()).startsWith("multipart/alternative");
        assertThat(alt.getBodyPart(0).getContent().toString()).contains("Заказ A-17 в пути.");
        assertThat(alt.getBodyPart(1).getContent().toString()).contains("<p>Здравствуйте, Иван!</p>");

        if (DkimVerifier.available()) {
            Map<String, String> dns = new HashMap<>();
            for (JsonNode r : domain.get("records")) {
                if (r.get("purpose").asString().startsWith("dkim")) {
                    dns.put(r.get("name").asString(), r.get("value").asString());
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            m.writeTo(out);
            assertThat(DkimVerifier.verify(out.toByteArray(), dns)).isEqualTo("ok");
        } else {
            System.out.println("python3-dkim is not installed: DKIM signature not verified independently");
        }
    }

    @Test
    void testSendOfASavedTemplateFromTheEditor() throws Exception {
        TestWorkspace ws = newWorkspace();
        long templateId = post("/api/v1/templates", ws.apiKey(), Map.of("name", "Новости", "kind", "news",
                "subject", "Новости декабря", "html", "<p>Привет, {{ contact.first_name | default: 'коллега' }}!</p>"))
                .body().get("id").asLong();
        Session user = login(ws.ownerEmail(), ws.ownerPassword());
        var r = user.post("/templates/" + templateId + "/test-send", Map.of("testEmail", "tester@client.example"));
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location").orElse("")).endsWith("/templates/" + templateId);
        await().atMost(Duration.ofSeconds(20)).until(() -> greenMail.getReceivedMessages().length == 1);
        MimeMessage m = greenMail.getReceivedMessages()[0];
        assertThat(m.getSubject()).isEqualTo("Новости декабря");
        assertThat(((InternetAddress) m.getFrom()[0]).getAddress()).isEqualTo(ws.ownerEmail());
        // An unknown template is a 404, not a test letter.
        assertThat(user.post("/templates/999999999/test-send", Map.of("testEmail", "tester@client.example")).statusCode()).isEqualTo(404);
    }
}
