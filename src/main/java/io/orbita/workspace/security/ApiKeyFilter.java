package io.orbita.workspace.security;

import io.orbita.platform.WorkspaceId;
import io.orbita.workspace.OrbitaPrincipal;
import io.orbita.workspace.internal.ApiKeys;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/** {@code Authorization: Bearer <api key>} for the REST API. A wrong key is refused at once with problem+json. */
class ApiKeyFilter extends OncePerRequestFilter {

    private final ApiKeys keys;

    ApiKeyFilter(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            var owner = keys.authenticate(header.substring(7).strip());
            if (owner.isEmpty()) {
                ProblemResponses.write(response, 401, "Unauthorized", "the API key is unknown or revoked", "unauthorized");
                return;
            }
            var k = owner.get();
            var principal = new OrbitaPrincipal(null, k.keyId(), WorkspaceId.of(k.workspaceId()), k.workspaceName(),
                    k.role(), k.keyName(), null);
            var context = SecurityContextHolder.createEmptyContext();
            context.setAuthentication(new WorkspaceAuthentication(principal));
            SecurityContextHolder.setContext(context);
        }
        chain.doFilter(request, response);
    }
}
