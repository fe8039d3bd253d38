package io.orbita.workspace;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.security.access.prepost.PreAuthorize;

/**
 * The role checks every endpoint declares, named after what they protect. {@code AccessRulesTest} fails the build when
 * a handler method has none of them (or is not explicitly a {@link io.orbita.platform.web.PublicEndpoint}).
 */
public final class Access {

    private Access() {
    }

    /** Any member, the read-only analyst included. */
    @Target({ElementType.METHOD, ElementType.TYPE})
    @Retention(RetentionPolicy.RUNTIME)
    @PreAuthorize("hasRole('ANALYST')")
    public @interface Read {
    }

    /** Changing contacts and companies: personal managers and up. */
    @Target({ElementType.METHOD, ElementType.TYPE})
    @Retention(RetentionPolicy.RUNTIME)
    @PreAuthorize("hasRole('SALES_MANAGER')")
    public @interface EditAudience {
    }

    /** Workspace-wide marketing setup (custom fields, later templates and campaigns): marketers and up. */
    @Target({ElementType.METHOD, ElementType.TYPE})
    @Retention(RetentionPolicy.RUNTIME)
    @PreAuthorize("hasRole('MARKETER')")
    public @interface Market {
    }

    /** Users, API keys, the audit log: admins and owners. */
    @Target({ElementType.METHOD, ElementType.TYPE})
    @Retention(RetentionPolicy.RUNTIME)
    @PreAuthorize("hasRole('ADMIN')")
    public @interface Administer {
    }

    /** Any signed-in user, even one without a workspace yet (profile, workspace switching). */
    @Target({ElementType.METHOD, ElementType.TYPE})
    @Retention(RetentionPolicy.RUNTIME)
    @PreAuthorize("isAuthenticated()")
    public @interface SignedIn {
    }
}
