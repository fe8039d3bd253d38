package io.orbita.tracking.web;

import io.orbita.platform.web.PublicEndpoint;
import io.orbita.tracking.internal.Hits;
import io.orbita.tracking.internal.Tokens;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;

/**
 * Click redirects in sent letters (the open pixel is {@link OpenPixelFilter}). Hidden from the API documentation: these
 * are links in mail, not an API (see the README, "Tracking and unsubscribe"). Each hit is judged and queued in memory;
 * the answer never waits for the database.
 */
@Controller
@Hidden
class TrackingEndpoints {

    private final Tokens tokens;
    private final Hits hits;

    TrackingEndpoints(Tokens tokens, Hits hits) {
        this.tokens = tokens;
        this.hits = hits;
    }

    /** A redirect to the URL the token names, or for a token that is not ours an error page and no redirect at all. */
    @RequestMapping(path = "/t/c/{token}", method = {RequestMethod.GET, RequestMethod.HEAD})
    @PublicEndpoint
    void click(@PathVariable String token, HttpServletRequest request, HttpServletResponse response) {
        Tokens.Click click = tokens.readClick(token).orElseThrow(InvalidLink::new);
        hits.click(click, "HEAD".equals(request.getMethod()), request.getHeader("User-Agent"), request.getRemoteAddr());
        noCache(response);
        response.setStatus(HttpServletResponse.SC_FOUND);
        response.setHeader("Location", Locations.ascii(click.url()));
        response.setHeader("Referrer-Policy", "no-referrer");
    }

    @ExceptionHandler(InvalidLink.class)
    String invalid(HttpServletResponse response) {
        noCache(response);
        response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
        return "tracking/link-invalid";
    }

    static void noCache(HttpServletResponse response) {
        response.setHeader("Cache-Control", "no-store, no-cache, must-revalidate, max-age=0, private");
        response.setHeader("Pragma", "no-cache");
        response.setHeader("Expires", "0");
    }
}
