package io.orbita.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import io.orbita.OrbitaIT;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class WorkspaceApiIT extends OrbitaIT {

    @Test
    void keysKnowTheirWorkspaceAndRole() {
        var ws = newWorkspace(Role.MARKETER);
        JsonNode me = get("/api/v1/me", ws.apiKey()).body();
        assertThat(me.get("workspaceId").asLong()).isEqualTo(ws.id().value());
        assertThat(me.get("role").asString()).isEqualTo("marketer");
        JsonNode members = get("/api/v1/members", ws.apiKey()).body();
        assertThat(members.size()).isEqualTo(1);
        assertThat(members.get(0).get("role").asString()).isEqualTo("owner");
        assertThat(get("/api/v1/audit-log", ws.apiKey()).status()).isEqualTo(403);
        assertThat(get("/api/v1/api-keys", ws.apiKey()).status()).isEqualTo(403);
    }

    @Test
    void adminKeysCreateShowOnceAndRevokeKeys() {
        var ws = newWorkspace(Role.ADMIN);
        var created = post("/api/v1/api-keys", ws.apiKey(), Map.of("name", "CRM sync", "role", "sales_manager"));
        assertThat(created.status()).isEqualTo(201);
        String secret = created.body().get("secret").asString();
        long id = created.body().get("key").get("id").asLong();
        assertThat(get("/api/v1/me", secret).body().get("role").asString()).isEqualTo("sales_manager");
        JsonNode list = get("/api/v1/api-keys", ws.apiKey()).body();
        assertThat(list.toString()).doesNotContain(secret);
        assertThat(post("/api/v1/api-keys", ws.apiKey(), Map.of("name", "too mighty", "role", "owner")).status()).isEqualTo(400);
        assertThat(post("/api/v1/api-keys", ws.apiKey(), Map.of("name", "x", "role", "wizard")).status()).isEqualTo(400);
        assertThat(api("DELETE", "/api/v1/api-keys/" + id, ws.apiKey(), null).status()).isEqualTo(204);
        assertThat(get("/api/v1/me", secret).status()).isEqualTo(401);
        JsonNode audit = get("/api/v1/audit-log?entityType=api_key", ws.apiKey()).body().get("items");
        assertThat(audit.get(0).get("action").asString()).isEqualTo("apiKey.revoked");
        assertThat(audit.toString()).doesNotContain(secret);
    }
}
