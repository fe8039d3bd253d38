package io.orbita.workspace;

import io.orbita.platform.WorkspaceId;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The people of a workspace as other modules see them: personal managers of contacts and companies, senders of
 * letters. Read-only; changing members is the users page's business.
 */
@Service
public class Members {

    /** A member with the details a letter's "your personal manager" block needs. */
    public record Member(long userId, String displayName, String email, String position, String phone, String photoUrl,
                         Role role) {
    }

    private final JdbcClient jdbc;

    Members(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public List<Member> list(WorkspaceId workspace) {
        return jdbc.sql(SELECT + " where m.workspace_id = ? order by u.display_name, u.id")
                .param(workspace.value()).query(Members::map).list();
    }

    public Optional<Member> find(WorkspaceId workspace, long userId) {
        return jdbc.sql(SELECT + " where m.workspace_id = ? and u.id = ?")
                .params(workspace.value(), userId).query(Members::map).optional();
    }

    private static final String SELECT = """
            select u.id, u.display_name, u.email, u.position, u.phone, u.photo_url, m.role
            from membership m join app_user u on u.id = m.user_id""";

    private static Member map(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new Member(rs.getLong("id"), rs.getString("display_name"), rs.getString("email"), rs.getString("position"),
                rs.getString("phone"), rs.getString("photo_url"), Role.valueOf(rs.getString("role")));
    }
}
