package io.orbita;

import io.orbita.platform.WorkspaceId;
import io.orbita.workspace.OrbitaPrincipal;
import io.orbita.workspace.Role;
import io.orbita.workspace.internal.ApiKeys;
import io.orbita.workspace.internal.UserAccounts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Base of the integration tests: the whole application on a random port with a real (throw-away) embedded PostgreSQL,
 * talked to over real HTTP. One Spring context is shared by all subclasses; each test makes its own workspaces so
 * tests never see each other's data.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
public abstract class OrbitaIT {

    @LocalServerPort
    protected int port;

    @Autowired
    protected UserAccounts accounts;

    @Autowired
    protected ApiKeys apiKeys;

    @Autowired
    protected JsonMapper json;

    protected final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    /** A fresh workspace with an owner (a real user who can sign in) and an API key of the given role. */
    protected record TestWorkspace(WorkspaceId id, long ownerId, String ownerEmail, String ownerPassword, String apiKey,
                                   OrbitaPrincipal owner) {
    }

    protected TestWorkspace newWorkspace(Role keyRole) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String email = "owner-" + suffix + "@orbita.test";
        String password = "password-" + suffix;
        long ws = accounts.createFirstOwner(email, password, "Workspace " + suffix);
        long userId = accounts.findByEmail(email).orElseThrow().id();
        OrbitaPrincipal owner = new OrbitaPrincipal(userId, null, WorkspaceId.of(ws), "Workspace " + suffix, Role.OWNER,
                email, email);
        String key = apiKeys.create(owner, "test key", keyRole).secret();
        return new TestWorkspace(WorkspaceId.of(ws), userId, email, password, key, owner);
    }

    protected TestWorkspace newWorkspace() {
        return newWorkspace(Role.ADMIN);
    }

    protected String url(String path) {
        return "http://localhost:" + port + path;
    }

    /** A JSON API response: status and parsed body (null when empty). */
    public record Api(int status, JsonNode body, String contentType) {
    }

    protected Api api(String method, String path, String key, Object body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path)))
                    .header("Accept", "application/json");
            if (key != null) {
                b.header("Authorization", "Bearer " + key);
            }
            if (body == null) {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                String text = body instanceof String s ? s : json.writeValueAsString(body);
                b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8));
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            JsonNode node = r.body() == null || r.body().isBlank() ? null : json.readTree(r.body());
            return new Api(r.statusCode(), node, r.headers().firstValue("Content-Type").orElse(""));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A signed-in browser-like session: cookies kept, CSRF token read from the pages. */
    protected final class Session {
        private final HttpClient client = HttpClient.newBuilder().cookieHandler(new java.net.CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();

        public Session() {
        }

        public HttpResponse<String> get(String path) {
            return send(HttpRequest.newBuilder(URI.create(url(path))).GET().build());
        }

        /** Posts a form with the session's CSRF token added. */
        public HttpResponse<String> post(String path, java.util.Map<String, String> form) {
            var all = new java.util.LinkedHashMap<>(form);
            all.put("_csrf", csrf());
            String body = all.entrySet().stream()
                    .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                    .collect(java.util.stream.Collectors.joining("&"));
            return send(HttpRequest.newBuilder(URI.create(url(path)))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        }

        /** Posts a form exactly as given: no CSRF token added (to prove forged posts are refused). */
        public HttpResponse<String> postWithoutCsrf(String path, String formBody) {
            return send(HttpRequest.newBuilder(URI.create(url(path)))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(formBody)).build());
        }

        public HttpResponse<String> send(String method, String path) {
            return send(HttpRequest.newBuilder(URI.create(url(path))).header("X-CSRF-TOKEN", csrf())
                    .method(method, HttpRequest.BodyPublishers.noBody()).build());
        }

        String csrf() {
            String html = get("/login").body();
            var m = java.util.regex.Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(html);
            if (!m.find()) {
                throw new IllegalStateException("no CSRF token on the login page");
            }
            return m.group(1);
        }

        private HttpResponse<String> send(HttpRequest request) {
            try {
                return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Signs in through the real login form. */
    protected Session login(String email, String password) {
        Session session = new Session();
        var r = session.post("/login", java.util.Map.of("email", email, "password", password));
        if (r.statusCode() != 302 || r.headers().firstValue("Location").orElse("").contains("error")) {
            throw new IllegalStateException("login failed: " + r.statusCode() + " " + r.headers().map());
        }
        return session;
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    protected Api get(String path, String key) {
        return api("GET", path, key, null);
    }

    protected Api post(String path, String key, Object body) {
        return api("POST", path, key, body);
    }
}
