package io.orbita.workspace.security;

import io.orbita.workspace.OrbitaPrincipal;
import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * The per-request authentication: who acts, in which workspace, with the role they have there right now. It is
 * rebuilt on every request (never stored in the session), so a changed or removed role takes effect at once.
 */
final class WorkspaceAuthentication extends AbstractAuthenticationToken {

    private final OrbitaPrincipal principal;

    WorkspaceAuthentication(OrbitaPrincipal principal) {
        super(principal.role() == null ? List.of(new SimpleGrantedAuthority("ROLE_NO_WORKSPACE"))
                : List.of(new SimpleGrantedAuthority(principal.role().authority())));
        this.principal = principal;
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public OrbitaPrincipal getPrincipal() {
        return principal;
    }

    @Override
    public String getName() {
        return principal.email() != null ? principal.email() : principal.displayName();
    }
}
