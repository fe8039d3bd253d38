package io.orbita.workspace.web;

import io.orbita.platform.Cursor;
import io.orbita.platform.FieldProblem;
import io.orbita.platform.JsonInput;
import io.orbita.platform.Page;
import io.orbita.platform.Problems;
import io.orbita.platform.ValidationException;
import io.orbita.workspace.Access;
import io.orbita.workspace.AuditLog;
import io.orbita.workspace.Members;
import io.orbita.workspace.OrbitaPrincipal;
import io.orbita.workspace.Role;
import io.orbita.workspace.internal.ApiKeys;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "Workspace", description = "Who the key acts as, the team, API keys and the audit log.")
class WorkspaceApi {

    record Me(long workspaceId, String workspaceName, String role, String actor) {
    }

    record MemberView(long userId, String displayName, String email, String position, String phone, String photoUrl,
                      String role) {
    }

    record KeyView(long id, String name, String prefix, String role, java.time.Instant createdAt,
                   java.time.Instant lastUsedAt, java.time.Instant revokedAt) {
        static KeyView of(ApiKeys.ApiKey k) {
            return new KeyView(k.id(), k.name(), k.prefix(), code(k.role()), k.createdAt(), k.lastUsedAt(), k.revokedAt());
        }
    }

    record CreatedKey(KeyView key, String secret) {
    }

    private final Members members;
    private final AuditLog audit;
    private final ApiKeys keys;

    WorkspaceApi(Members members, AuditLog audit, ApiKeys keys) {
        this.members = members;
        this.audit = audit;
        this.keys = keys;
    }

    @GetMapping("/me")
    @Access.Read
    @Operation(summary = "Who this key acts as", description = "The workspace and the role of the calling key or user.")
    Me me(@AuthenticationPrincipal OrbitaPrincipal me) {
        return new Me(me.workspace().value(), me.workspaceName(), code(me.role()), me.actor());
    }

    @GetMapping("/members")
    @Access.Read
    @Operation(summary = "Members of the workspace", description = "Users with their roles; use userId as a contact's or company's managerId.")
    List<MemberView> members(@AuthenticationPrincipal OrbitaPrincipal me) {
        return members.list(me.workspace()).stream().map(m -> new MemberView(m.userId(), m.displayName(), m.email(),
                m.position(), m.phone(), m.photoUrl(), code(m.role()))).toList();
    }

    @GetMapping("/audit-log")
    @Access.Administer
    @Operation(summary = "The audit log", description = "Who changed what, newest first, keyset-paginated; filter by entityType (contact, company, user, api_key...).")
    Page<AuditLog.Entry> auditLog(@AuthenticationPrincipal OrbitaPrincipal me, @RequestParam(required = false) String entityType,
                                  @RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit) {
        return audit.list(me.workspace(), entityType, cursor, Cursor.limit(limit, 500));
    }

    @GetMapping("/api-keys")
    @Access.Administer
    @Operation(summary = "API keys of the workspace", description = "Never the secrets: only names, prefixes and roles.")
    List<KeyView> apiKeys(@AuthenticationPrincipal OrbitaPrincipal me) {
        return keys.list(me.workspace()).stream().map(KeyView::of).toList();
    }

    @PostMapping("/api-keys")
    @Access.Administer
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create an API key", description = "Body: {name, role}. The secret is in this response only; it is stored hashed.")
    CreatedKey createKey(@AuthenticationPrincipal OrbitaPrincipal me, @RequestBody JsonNode body) {
        Problems p = new Problems();
        JsonInput j = JsonInput.of(body, p);
        Optional<String> name = j.text("name");
        Optional<String> role = j.text("role");
        j.rejectUnknown();
        p.throwIfAny();
        if (role == null || role.isEmpty()) {
            throw new ValidationException(FieldProblem.of("role", "field.required", "role is required"));
        }
        ApiKeys.CreatedKey created = keys.create(me, name == null ? null : name.orElse(null), Role.parse(role.get()));
        return new CreatedKey(KeyView.of(created.key()), created.secret());
    }

    @DeleteMapping("/api-keys/{id}")
    @Access.Administer
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Revoke an API key", description = "Requests with it fail from now on.")
    void revoke(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        keys.revoke(me, id);
    }

    static String code(Role role) {
        return role == null ? null : role.name().toLowerCase(Locale.ROOT);
    }
}
