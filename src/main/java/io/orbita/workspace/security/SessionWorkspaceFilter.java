package io.orbita.workspace.security;

import io.orbita.platform.WorkspaceId;
import io.orbita.workspace.OrbitaPrincipal;
import io.orbita.workspace.Role;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Turns the session's signed-in user into an {@link OrbitaPrincipal} for this request: the workspace chosen in the
 * session (or the user's first one) and the role the user has there now. A disabled user is signed out.
 */
class SessionWorkspaceFilter extends OncePerRequestFilter {

    static final String WORKSPACE_ATTRIBUTE = io.orbita.workspace.Workspaces.SESSION_ATTRIBUTE;

    private final JdbcClient jdbc;

    SessionWorkspaceFilter(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        var auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth != null && auth.getPrincipal() instanceof LoginUser user) {
            HttpSession session = request.getSession(false);
            Long chosen = session == null ? null : (Long) session.getAttribute(WORKSPACE_ATTRIBUTE);
            var principal = resolve(user.id(), chosen);
            var context = SecurityContextHolder.createEmptyContext();
            if (principal == null) {
                // The account was disabled or deleted since sign-in.
                if (session != null) {
                    session.invalidate();
                }
                SecurityContextHolder.setContext(context);
            } else {
                context.setAuthentication(new WorkspaceAuthentication(principal));
                SecurityContextHolder.setContext(context);
            }
        }
        chain.doFilter(request, response);
    }

    private OrbitaPrincipal resolve(long userId, Long chosenWorkspace) {
        return jdbc.sql("""
                        select u.id, u.display_name, u.email, w.id as ws, w.name as ws_name, m.role
                        from app_user u
                        left join lateral (
                            select workspace_id, role from membership
                            where user_id = u.id
                            order by (workspace_id = :chosen) desc, workspace_id limit 1) m on true
                        left join workspace w on w.id = m.workspace_id
                        where u.id = :user and u.enabled""")
                .param("user", userId).param("chosen", chosenWorkspace == null ? -1L : chosenWorkspace)
                .query((rs, n) -> {
                    long ws = rs.getLong("ws");
                    boolean member = !rs.wasNull();
                    return new OrbitaPrincipal(rs.getLong("id"), null, member ? WorkspaceId.of(ws) : null,
                            rs.getString("ws_name"), member ? Role.valueOf(rs.getString("role")) : null,
                            rs.getString("display_name"), rs.getString("email"));
                })
                .optional().orElse(null);
    }
}
