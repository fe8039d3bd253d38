package io.orbita.workspace;

/**
 * What a member may do in a workspace. Each role includes everything the roles below it may do
 * (see {@code SecurityConfiguration#roleHierarchy}): owner > admin > marketer > sales manager > analyst.
 */
public enum Role {
    /** Everything, including giving the owner role and deleting the workspace. */
    OWNER,
    /** Users, API keys, settings and the audit log. */
    ADMIN,
    /** The audience, content, campaigns and journeys. */
    MARKETER,
    /** A personal manager: works with the contacts and companies. */
    SALES_MANAGER,
    /** Reads everything, changes nothing. */
    ANALYST;

    public String authority() {
        return "ROLE_" + name();
    }

    public boolean includes(Role other) {
        return ordinal() <= other.ordinal();
    }

    public static Role parse(String value) {
        try {
            return Role.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (RuntimeException e) {
            throw new io.orbita.platform.ValidationException(io.orbita.platform.FieldProblem.of("role", "role.unknown",
                    "role must be one of owner, admin, marketer, sales_manager, analyst"));
        }
    }
}
