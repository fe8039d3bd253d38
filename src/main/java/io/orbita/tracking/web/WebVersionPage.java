package io.orbita.tracking.web;

import io.orbita.platform.web.PublicEndpoint;
import io.orbita.tracking.SentLetters;
import io.orbita.tracking.internal.Tokens;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * The web version of every letter: {@code /w/{token}} shows the letter as its recipient got it (the stored sent bytes,
 * so its links are still tracked and its open pixel still counts). The signed token is the only authority; a token
 * that is not ours gets the error page, a letter not sent yet (or deleted) the same page with 404.
 */
@Controller
@Hidden
class WebVersionPage {

    private final Tokens tokens;
    private final SentLetters letters;

    WebVersionPage(Tokens tokens, SentLetters letters) {
        this.tokens = tokens;
        this.letters = letters;
    }

    @GetMapping("/w/{token}")
    @PublicEndpoint
    ResponseEntity<byte[]> show(@PathVariable String token) {
        Tokens.MessageRef m = tokens.readWeb(token).orElseThrow(InvalidLink::new);
        String html = letters.html(m.workspace(), m.messageId()).orElseThrow(NotSent::new);
        return ResponseEntity.ok().contentType(new MediaType("text", "html", StandardCharsets.UTF_8))
                .header("Cache-Control", "no-store, private").header("X-Robots-Tag", "noindex")
                .header("Referrer-Policy", "no-referrer").body(html.getBytes(StandardCharsets.UTF_8));
    }

    @ExceptionHandler(InvalidLink.class)
    String invalid(HttpServletResponse response) {
        TrackingEndpoints.noCache(response);
        response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
        return "tracking/link-invalid";
    }

    @ExceptionHandler(NotSent.class)
    String notSent(HttpServletResponse response) {
        TrackingEndpoints.noCache(response);
        response.setStatus(HttpServletResponse.SC_NOT_FOUND);
        return "tracking/link-invalid";
    }

    /** The letter has not been sent yet, or is gone. */
    static final class NotSent extends RuntimeException {
        NotSent() {
            super("letter not available", null, false, false);
        }
    }
}
