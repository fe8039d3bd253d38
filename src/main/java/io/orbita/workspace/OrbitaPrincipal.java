package io.orbita.workspace;

import io.orbita.platform.WorkspaceId;

/**
 * Who is acting, in which workspace and with which role: a signed-in user in the UI, or an API key. Controllers get it
 * with {@code @AuthenticationPrincipal}; every read and write takes its {@link #workspace()}.
 *
 * @param userId   the user, or null when an API key acts
 * @param apiKeyId the API key, or null when a user acts
 */
public record OrbitaPrincipal(Long userId, Long apiKeyId, WorkspaceId workspace, String workspaceName, Role role,
                              String displayName, String email) {

    /** How the audit log names this actor. */
    public String actor() {
        return userId != null ? "user:" + userId + " " + email : "api-key:" + apiKeyId + " " + displayName;
    }

    public boolean isUser() {
        return userId != null;
    }
}
