package io.orbita.tracking.web;

import io.orbita.tracking.internal.Hits;
import io.orbita.tracking.internal.Tokens;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The open pixel, answered before the rest of the web stack (session lookup, security chains, MVC dispatch): it is the
 * most frequent request Orbita gets (every opened letter, often in bursts from mail proxies), it needs none of that, and
 * the stack cost more than the hit itself. Always the pixel, even for a bad token (a broken image in a letter helps no
 * one); only good tokens are recorded, queued in memory, so the answer never waits for the database.
 */
class OpenPixelFilter extends OncePerRequestFilter {

    /** The smallest transparent GIF: 1×1, 43 bytes. */
    static final byte[] PIXEL = {
            0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, (byte) 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
            (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x21, (byte) 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00,
            0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b};

    static final String PREFIX = "/t/o/";

    // Looked up at the first hit: filters are built while the web server starts, before the database is up, and
    // these two need it (the signing secret, the hit writer).
    private final ObjectProvider<Tokens> tokens;
    private final ObjectProvider<Hits> hits;

    OpenPixelFilter(ObjectProvider<Tokens> tokens, ObjectProvider<Hits> hits) {
        this.tokens = tokens;
        this.hits = hits;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String method = request.getMethod();
        String path = request.getRequestURI().substring(request.getContextPath().length());
        boolean head = "HEAD".equals(method);
        if (!(head || "GET".equals(method)) || !path.startsWith(PREFIX) || path.indexOf('/', PREFIX.length()) >= 0) {
            chain.doFilter(request, response); // anything else under /t/o/ gets the normal answers (405, 404)
            return;
        }
        tokens.getObject().readOpen(path.substring(PREFIX.length()))
                .ifPresent(m -> hits.getObject().open(m, head, request.getHeader("User-Agent"), request.getRemoteAddr()));
        TrackingEndpoints.noCache(response);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentType("image/gif");
        response.setContentLength(PIXEL.length);
        if (!head) {
            response.getOutputStream().write(PIXEL);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Registration {

        @Bean
        FilterRegistrationBean<OpenPixelFilter> openPixelFilter(ObjectProvider<Tokens> tokens, ObjectProvider<Hits> hits) {
            FilterRegistrationBean<OpenPixelFilter> bean = new FilterRegistrationBean<>(new OpenPixelFilter(tokens, hits));
            bean.addUrlPatterns(PREFIX + "*");
            bean.setOrder(Ordered.HIGHEST_PRECEDENCE);
            return bean;
        }
    }
}
