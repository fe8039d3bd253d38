package io.orbita.tracking.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The recipient's door: pixel, click redirects, unsubscribe and preference pages. Open to everyone, because the signed
 * token in the path is the only authority; no session and no CSRF token, because mail clients post the RFC 8058
 * one-click unsubscribe without either (a forged post would need the token, which already allows the change).
 */
@Configuration(proxyBeanMethods = false)
class TrackingSecurity {

    @Bean
    @Order(0)
    SecurityFilterChain recipientLinks(HttpSecurity http) throws Exception {
        return recipientChain(http, "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; "
                + "frame-ancestors 'none'; base-uri 'none'", "/t/o/**", "/t/c/**", "/u/**", "/p/**");
    }

    /**
     * The web version of a letter: like the links above, but the letter's own images and styles come from anywhere
     * (as in the mail client); still no scripts, forms or framing.
     */
    @Bean
    @Order(0)
    SecurityFilterChain webVersion(HttpSecurity http) throws Exception {
        return recipientChain(http, "default-src 'none'; style-src 'unsafe-inline' https: http:; "
                + "img-src https: http: data:; font-src https: http:; form-action 'none'; frame-ancestors 'none'; "
                + "base-uri 'none'", "/w/**");
    }

    /** Pages a recipient opens from a letter: no session, no sign-in, no CSRF token (the signed token is the proof). */
    private static SecurityFilterChain recipientChain(HttpSecurity http, String contentSecurityPolicy, String... paths)
            throws Exception {
        return http.securityMatcher(paths)
                .csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(c -> c.disable())
                .securityContext(c -> c.disable())
                .anonymous(a -> a.disable())
                .authorizeHttpRequests(a -> a.anyRequest().permitAll())
                .headers(h -> h
                        .cacheControl(c -> c.disable()) // each handler says how it may be cached
                        .contentSecurityPolicy(c -> c.policyDirectives(contentSecurityPolicy)))
                .build();
    }
}
