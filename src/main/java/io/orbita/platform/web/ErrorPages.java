package io.orbita.platform.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * The one place for errors that happen outside controllers (unknown addresses, filters): the API gets problem+json,
 * people get the error page in their language. Never a stack trace.
 */
@Controller
class ErrorPages implements ErrorController {

    @RequestMapping("/error")
    @PublicEndpoint
    Object error(HttpServletRequest request, Model model) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i ? i : 500;
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        if (uri != null && uri.toString().startsWith("/api/")) {
            HttpStatus s = HttpStatus.resolve(status) == null ? HttpStatus.INTERNAL_SERVER_ERROR : HttpStatus.valueOf(status);
            ProblemDetail body = ProblemDetail.forStatusAndDetail(s, s == HttpStatus.NOT_FOUND ? "no such endpoint" : s.getReasonPhrase());
            body.setTitle(s.getReasonPhrase());
            body.setType(URI.create("https://orbita.io/problems/" + (s == HttpStatus.NOT_FOUND ? "not-found" : "error")));
            return ResponseEntity.status(s).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
        }
        model.addAttribute("status", status);
        return new org.springframework.web.servlet.ModelAndView("error", model.asMap(), HttpStatus.valueOf(status));
    }
}
