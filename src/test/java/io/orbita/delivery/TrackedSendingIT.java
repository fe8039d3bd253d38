package io.orbita.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orbita.OrbitaIT;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Sending and tracking together, as a recipient meets them: the letter's link is a signed redirect to the original
 * address, the List-Unsubscribe one-click POST unsubscribes, and the next marketing letter is not sent.
 */
class TrackedSendingIT extends OrbitaIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aRecipientClicksThenUnsubscribesInOneClickAndGetsNoMoreMarketingMail() throws Exception {
        TestWorkspace ws = newWorkspace();
        long contact = post("/api/v1/contacts", ws.apiKey(), Map.of("email", "olga@client.example", "firstName", "Ольга"))
                .body().get("id").asLong();

        long first = send(ws, contact);
        String raw = new String(raw(ws, awaitSent(ws, first)), StandardCharsets.US_ASCII);

        Matcher click = Pattern.compile("(http://localhost:\\d+/t/c/[A-Za-z0-9_.\\-=%]+)").matcher(unfold(raw));
        assertThat(click.find()).as("a tracked link in the letter").isTrue();
        HttpResponse<String> redirect = http.send(HttpRequest.newBuilder(URI.create(click.group(1))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(redirect.statusCode()).isEqualTo(302);
        assertThat(redirect.headers().firstValue("Location")).contains("https://shop.example/catalog?utm=mail");
        assertThat(unfold(raw)).contains("/t/o/");

        Matcher unsubscribe = Pattern.compile("List-Unsubscribe: <(http[^>]+)>").matcher(unfold(raw));
        assertThat(unsubscribe.find()).isTrue();
        HttpResponse<String> oneClick = http.send(HttpRequest.newBuilder(URI.create(unsubscribe.group(1)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(oneClick.statusCode()).isEqualTo(200);
        assertThat(get("/api/v1/contacts/" + contact, ws.apiKey()).body().get("consentStatus").asString()).isEqualTo("unsubscribed");

        long second = send(ws, contact);
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(get("/api/v1/messages/" + second, ws.apiKey()).body().get("status").asString()).isEqualTo("suppressed"));
    }

    private long send(TestWorkspace ws, long contact) {
        Map<String, Object> m = new HashMap<>();
        m.put("contactId", contact);
        m.put("kind", "marketing");
        m.put("fromEmail", "anna@shop.example");
        m.put("fromName", "Анна");
        m.put("subject", "Новинки каталога");
        m.put("html", "<p>{{ contact.first_name }}, посмотрите <a href=\"https://shop.example/catalog?utm=mail\">каталог</a>.</p>"
                + "<p><a href=\"{{ links.unsubscribe }}\">Отписаться</a></p>");
        Api r = post("/api/v1/messages", ws.apiKey(), m);
        assertThat(r.status()).as(String.valueOf(r.body())).isEqualTo(201);
        return r.body().get("id").asLong();
    }

    private long awaitSent(TestWorkspace ws, long id) {
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode m = get("/api/v1/messages/" + id, ws.apiKey()).body();
            assertThat(m.get("status").asString()).isEqualTo("sent");
        });
        return id;
    }

    private byte[] raw(TestWorkspace ws, long id) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url("/api/v1/messages/" + id + "/raw")))
                .header("Authorization", "Bearer " + ws.apiKey()).GET().build(), HttpResponse.BodyHandlers.ofByteArray()).body();
    }

    /** Undoes header folding and quoted-printable soft line breaks, so URLs read whole. */
    private static String unfold(String raw) {
        return raw.replace("=\r\n", "").replace("\r\n ", " ").replace("\r\n\t", " ").replace("=3D", "=");
    }
}
