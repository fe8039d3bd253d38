package io.orbita.platform.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a handler that is deliberately open to everyone (the login page, error pages, the website tracker). Every other
 * handler declares a role rule; {@code AccessRulesTest} fails the build when one has neither.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface PublicEndpoint {
}
