package io.orbita;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** What operators and integrators reach without signing in: health, metrics and the API documentation. */
class OperationsIT extends OrbitaIT {

    private HttpResponse<String> fetch(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url(path))).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthAndPrometheusMetricsAreServed() throws Exception {
        var health = fetch("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"UP\"");
        var metrics = fetch("/actuator/prometheus");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_memory_used_bytes", "hikaricp_connections");
    }

    @Test
    void openApiDocumentDescribesTheApi() throws Exception {
        var doc = fetch("/api/docs/openapi.json");
        assertThat(doc.statusCode()).isEqualTo(200);
        var json = this.json.readTree(doc.body());
        assertThat(json.get("paths").has("/api/v1/contacts")).isTrue();
        assertThat(json.get("paths").has("/api/v1/contacts/bulk")).isTrue();
        assertThat(json.get("paths").has("/api/v1/companies/{id}")).isTrue();
        assertThat(json.get("paths").get("/api/v1/contacts").get("get").get("summary").asString()).isEqualTo("List contacts");
        assertThat(doc.body()).contains("ContactInput");
        var ui = fetch("/api/docs");
        assertThat(ui.statusCode()).isIn(200, 302);
    }

    @Test
    void unknownAddressesAnswerInTheirOwnLanguage() throws Exception {
        var api = get("/api/v1/no-such-thing", "test-init-api-key-0123456789abcdef");
        assertThat(api.status()).isEqualTo(404);
        assertThat(api.contentType()).startsWith("application/problem+json");
        Session s = login("owner@orbita.test", "owner-password-1");
        var page = s.get("/no-such-page");
        assertThat(page.statusCode()).isEqualTo(404);
        assertThat(page.body()).contains("<html").doesNotContain("Exception", "at io.orbita");
    }

    @Test
    void signedOutVisitorsAreSentToTheLoginPage() throws Exception {
        var home = fetch("/contacts");
        assertThat(home.statusCode()).isEqualTo(302);
        assertThat(home.headers().firstValue("Location").orElse("")).endsWith("/login");
    }
}
