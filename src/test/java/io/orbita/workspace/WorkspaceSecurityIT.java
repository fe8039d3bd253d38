package io.orbita.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import io.orbita.OrbitaIT;
import io.orbita.workspace.internal.UserAccounts;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class WorkspaceSecurityIT extends OrbitaIT {

    @Autowired
    JdbcClient jdbc;

    @Test
    void initialApiKeyFromTheEnvironmentActsInTheFirstWorkspace() {
        var r = get("/api/v1/contacts", "test-init-api-key-0123456789abcdef");
        assertThat(r.status()).isEqualTo(200);
    }

    @Test
    void repeatedWrongPasswordsLockTheLoginEvenForTheRightPassword() {
        TestWorkspace ws = newWorkspace();
        Session s = new Session();
        for (int i = 0; i < 5; i++) {
            var r = s.post("/login", Map.of("email", ws.ownerEmail(), "password", "wrong-password-" + i));
            assertThat(r.headers().firstValue("Location").orElse("")).endsWith("/login?error");
        }
        var locked = s.post("/login", Map.of("email", ws.ownerEmail(), "password", ws.ownerPassword()));
        assertThat(locked.headers().firstValue("Location").orElse("")).endsWith("/login?locked");
    }

    @Test
    void sessionsLiveInPostgresqlAndLogoutEndsThem() {
        TestWorkspace ws = newWorkspace();
        Session s = login(ws.ownerEmail(), ws.ownerPassword());
        assertThat(s.get("/contacts").statusCode()).isEqualTo(200);
        long sessions = jdbc.sql("select count(*) from spring_session where principal_name = ?").param(ws.ownerEmail())
                .query(Long.class).single();
        assertThat(sessions).isEqualTo(1);
        assertThat(s.post("/logout", Map.of()).statusCode()).isEqualTo(302);
        var after = s.get("/contacts");
        assertThat(after.statusCode()).isEqualTo(302);
        assertThat(after.headers().firstValue("Location").orElse("")).contains("/login");
    }

    @Test
    void formsWithoutCsrfTokenAreRefused() {
        TestWorkspace ws = newWorkspace();
        Session s = login(ws.ownerEmail(), ws.ownerPassword());
        var r = s.send("POST", "/contacts/new");   // sends X-CSRF-TOKEN: accepted
        assertThat(r.statusCode()).isEqualTo(200); // the form comes back with "email is required"
        var forged = s.postWithoutCsrf("/contacts/new", "email=forged@example.ru");
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(get("/api/v1/contacts?email=forged@example.ru", ws.apiKey()).body().get("items").size()).isZero();
    }

    @Test
    void analystsReadButCannotChange() {
        TestWorkspace ws = newWorkspace();
        accounts.addMember(ws.owner(), new UserAccounts.NewMember("analyst-" + ws.id() + "@orbita.test", "Analyst", null,
                null, Role.ANALYST, "analyst-password-1"));
        Session analyst = login("analyst-" + ws.id() + "@orbita.test", "analyst-password-1");
        assertThat(analyst.get("/contacts").statusCode()).isEqualTo(200);
        assertThat(analyst.get("/contacts/new").statusCode()).isEqualTo(403);
        assertThat(analyst.post("/contacts/new", Map.of("email", "x@example.ru")).statusCode()).isEqualTo(403);
        assertThat(get("/api/v1/contacts?email=x@example.ru", ws.apiKey()).body().get("items").size()).isZero();
        assertThat(analyst.get("/settings/api-keys").statusCode()).isEqualTo(403);
    }

    @Test
    void auditLogRecordsWhoChangedWhat() {
        TestWorkspace ws = newWorkspace();
        long id = post("/api/v1/contacts", ws.apiKey(), Map.of("email", "audited@example.ru")).body().get("id").asLong();
        api("PATCH", "/api/v1/contacts/" + id, ws.apiKey(), Map.of("firstName", "Аудит"));
        var entries = jdbc.sql("select action, actor, details::text from audit_log where workspace_id = ? and entity_type = 'contact' order by id")
                .param(ws.id().value()).query((rs, n) -> rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3)).list();
        assertThat(entries).hasSize(2);
        assertThat(entries.get(0)).startsWith("contact.created|api-key:");
        assertThat(entries.get(1)).startsWith("contact.updated|api-key:").contains("firstName");
    }
}
