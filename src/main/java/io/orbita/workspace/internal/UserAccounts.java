package io.orbita.workspace.internal;

import io.orbita.platform.ConflictException;
import io.orbita.platform.FieldProblem;
import io.orbita.platform.NotFoundException;
import io.orbita.platform.Problems;
import io.orbita.platform.ValidationException;
import io.orbita.platform.WorkspaceId;
import io.orbita.workspace.AuditLog;
import io.orbita.workspace.OrbitaPrincipal;
import io.orbita.workspace.Role;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Users, the workspaces they belong to and their roles there. */
@Service
public class UserAccounts {

    /** A login account as the security layer needs it. */
    public record Account(long id, String email, String displayName, String passwordHash, boolean enabled) {
    }

    /** A workspace a user belongs to, with the user's role in it. */
    public record WorkspaceMembership(long workspaceId, String name, Role role) {
    }

    /** What adding a member did: the user's id, and whether a new account was created (so a new password applies). */
    public record Added(long userId, boolean newAccount) {
    }

    /** Input for a new member. A null password means "generate one and show it once". */
    public record NewMember(String email, String displayName, String position, String phone, Role role, String password) {
    }

    private final JdbcClient jdbc;
    private final Passwords passwords;
    private final AuditLog audit;
    private final Clock clock;
    private final org.springframework.context.ApplicationEventPublisher events;

    UserAccounts(JdbcClient jdbc, Passwords passwords, AuditLog audit, Clock clock,
                 org.springframework.context.ApplicationEventPublisher events) {
        this.events = events;
        this.jdbc = jdbc;
        this.passwords = passwords;
        this.audit = audit;
        this.clock = clock;
    }

    public Optional<Account> findByEmail(String email) {
        return jdbc.sql("select id, email, display_name, password_hash, enabled from app_user where lower(email) = lower(?)")
                .param(email.trim()).query((rs, n) -> new Account(rs.getLong(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getBoolean(5))).optional();
    }

    public List<WorkspaceMembership> workspacesOf(long userId) {
        return jdbc.sql("""
                        select w.id, w.name, m.role from membership m join workspace w on w.id = m.workspace_id
                        where m.user_id = ? order by w.name, w.id""")
                .param(userId).query((rs, n) -> new WorkspaceMembership(rs.getLong(1), rs.getString(2),
                        Role.valueOf(rs.getString(3)))).list();
    }

    /** A user's own editable details: displayName, position, phone, photoUrl, and the email. */
    public Map<String, String> profile(long userId) {
        return jdbc.sql("select display_name, position, phone, photo_url, email from app_user where id = ?").param(userId)
                .query((rs, n) -> {
                    Map<String, String> m = new java.util.LinkedHashMap<>();
                    m.put("displayName", rs.getString(1));
                    m.put("position", rs.getString(2));
                    m.put("phone", rs.getString(3));
                    m.put("photoUrl", rs.getString(4));
                    m.put("email", rs.getString(5));
                    return m;
                }).single();
    }

    public long countUsers() {
        return jdbc.sql("select count(*) from app_user").query(Long.class).single();
    }

    @Transactional
    public long createWorkspace(String name, long ownerUserId) {
        String clean = name == null ? "" : name.strip();
        if (clean.isEmpty() || clean.length() > 200) {
            throw new ValidationException(FieldProblem.of("name", "workspace.name", "workspace name must have 1 to 200 characters"));
        }
        long id = jdbc.sql("insert into workspace (name, created_at) values (?, ?) returning id")
                .params(clean, now()).query(Long.class).single();
        jdbc.sql("insert into membership (workspace_id, user_id, role, created_at) values (?, ?, 'OWNER', ?)")
                .params(id, ownerUserId, now()).update();
        audit.record(WorkspaceId.of(id), "user:" + ownerUserId, "workspace.created", "workspace", id, Map.of("name", clean));
        events.publishEvent(new io.orbita.workspace.WorkspaceCreated(WorkspaceId.of(id)));
        return id;
    }

    /** Creates the user if the email is new, then adds them to the workspace. */
    @Transactional
    public Added addMember(OrbitaPrincipal by, NewMember member) {
        Problems problems = new Problems();
        String email = member.email() == null ? "" : member.email().strip();
        if (!email.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
            problems.add("email", "email.invalid", "a valid email address is required");
        }
        String name = member.displayName() == null ? "" : member.displayName().strip();
        if (name.isEmpty() || name.length() > 200) {
            problems.add("displayName", "field.required", "name is required (up to 200 characters)");
        }
        if (member.role() == null) {
            problems.add("role", "field.required", "role is required");
        } else if (member.role() == Role.OWNER && by.role() != Role.OWNER) {
            problems.add("role", "role.ownerOnly", "only an owner can make someone an owner");
        }
        if (member.position() != null && member.position().length() > 200) {
            problems.add("position", "field.tooLong", "must be at most 200 characters", 200);
        }
        if (member.phone() != null && member.phone().length() > 40) {
            problems.add("phone", "field.tooLong", "must be at most 40 characters", 40);
        }
        problems.throwIfAny();
        Optional<Long> existing = findByEmail(email).map(Account::id);
        long userId = existing.orElseGet(() -> jdbc.sql("""
                        insert into app_user (email, display_name, position, phone, password_hash, created_at)
                        values (?, ?, ?, ?, ?, ?) returning id""")
                .params(email, name, blankToNull(member.position()), blankToNull(member.phone()),
                        passwords.hash("password", member.password()), now())
                .query(Long.class).single());
        int added = jdbc.sql("""
                        insert into membership (workspace_id, user_id, role, created_at) values (?, ?, ?, ?)
                        on conflict do nothing""")
                .params(by.workspace().value(), userId, member.role().name(), now()).update();
        if (added == 0) {
            throw new ConflictException(FieldProblem.of("email", "member.exists", "this user is already a member of the workspace"));
        }
        audit.record(by, "member.added", "user", userId, Map.of("email", email, "role", member.role().name()));
        return new Added(userId, existing.isEmpty());
    }

    @Transactional
    public void changeRole(OrbitaPrincipal by, long userId, Role role) {
        Role current = roleOf(by.workspace(), userId);
        if ((role == Role.OWNER || current == Role.OWNER) && by.role() != Role.OWNER) {
            throw new ValidationException(FieldProblem.of("role", "role.ownerOnly", "only an owner can give or take the owner role"));
        }
        if (current == Role.OWNER && role != Role.OWNER) {
            requireAnotherOwner(by.workspace(), userId);
        }
        jdbc.sql("update membership set role = ? where workspace_id = ? and user_id = ?")
                .params(role.name(), by.workspace().value(), userId).update();
        audit.record(by, "member.roleChanged", "user", userId, Map.of("from", current.name(), "to", role.name()));
    }

    @Transactional
    public void removeMember(OrbitaPrincipal by, long userId) {
        Role current = roleOf(by.workspace(), userId);
        if (current == Role.OWNER) {
            if (by.role() != Role.OWNER) {
                throw new ValidationException(FieldProblem.of("role", "role.ownerOnly", "only an owner can remove an owner"));
            }
            requireAnotherOwner(by.workspace(), userId);
        }
        jdbc.sql("delete from membership where workspace_id = ? and user_id = ?").params(by.workspace().value(), userId).update();
        audit.record(by, "member.removed", "user", userId, Map.of());
    }

    @Transactional
    public void updateProfile(OrbitaPrincipal me, String displayName, String position, String phone, String photoUrl) {
        String name = displayName == null ? "" : displayName.strip();
        if (name.isEmpty() || name.length() > 200) {
            throw new ValidationException(FieldProblem.of("displayName", "field.required", "name is required (up to 200 characters)"));
        }
        if (position != null && position.length() > 200) {
            throw new ValidationException(FieldProblem.of("position", "field.tooLong", "must be at most 200 characters", 200));
        }
        if (phone != null && phone.length() > 40) {
            throw new ValidationException(FieldProblem.of("phone", "field.tooLong", "must be at most 40 characters", 40));
        }
        if (photoUrl != null && photoUrl.length() > 500) {
            throw new ValidationException(FieldProblem.of("photoUrl", "field.tooLong", "must be at most 500 characters", 500));
        }
        if (photoUrl != null && !photoUrl.isBlank() && !photoUrl.strip().matches("(?i)https?://\\S+")) {
            throw new ValidationException(FieldProblem.of("photoUrl", "url.invalid", "photo URL must start with http:// or https://"));
        }
        jdbc.sql("update app_user set display_name = ?, position = ?, phone = ?, photo_url = ? where id = ?")
                .params(name, blankToNull(position), blankToNull(phone), blankToNull(photoUrl), me.userId()).update();
        if (me.workspace() != null) {
            audit.record(me, "user.profileUpdated", "user", me.userId(), Map.of("displayName", name));
        }
    }

    @Transactional
    public void changePassword(OrbitaPrincipal me, String current, String next) {
        String hash = jdbc.sql("select password_hash from app_user where id = ?").param(me.userId()).query(String.class).single();
        if (!passwords.matches(current, hash)) {
            throw new ValidationException(FieldProblem.of("currentPassword", "password.wrong", "current password is wrong"));
        }
        jdbc.sql("update app_user set password_hash = ? where id = ?").params(passwords.hash("newPassword", next), me.userId()).update();
        if (me.workspace() != null) {
            audit.record(me, "user.passwordChanged", "user", me.userId(), Map.of());
        }
    }

    /** Creates the very first owner and workspace; used once, at first start. */
    @Transactional
    public long createFirstOwner(String email, String password, String workspaceName) {
        long userId = jdbc.sql("""
                        insert into app_user (email, display_name, password_hash, created_at)
                        values (?, ?, ?, ?) returning id""")
                .params(email, email.substring(0, email.indexOf('@')), passwords.hash("ORBITA_ADMIN_PASSWORD", password), now())
                .query(Long.class).single();
        return createWorkspace(workspaceName, userId);
    }

    private Role roleOf(WorkspaceId ws, long userId) {
        return jdbc.sql("select role from membership where workspace_id = ? and user_id = ?").params(ws.value(), userId)
                .query(String.class).optional().map(Role::valueOf).orElseThrow(() -> new NotFoundException("user", userId));
    }

    private void requireAnotherOwner(WorkspaceId ws, long userId) {
        long others = jdbc.sql("select count(*) from membership where workspace_id = ? and role = 'OWNER' and user_id <> ?")
                .params(ws.value(), userId).query(Long.class).single();
        if (others == 0) {
            throw new ValidationException(FieldProblem.of("role", "role.lastOwner", "a workspace must keep at least one owner"));
        }
    }

    private Timestamp now() {
        return Timestamp.from(clock.instant());
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

}
