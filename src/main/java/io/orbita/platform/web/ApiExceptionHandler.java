package io.orbita.platform.web;

import io.orbita.platform.ConflictException;
import io.orbita.platform.FieldProblem;
import io.orbita.platform.NotFoundException;
import io.orbita.platform.ValidationException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Turns every failure of a REST endpoint into {@code application/problem+json}. Validation problems carry an
 * {@code errors} list of {field, code, message}; unexpected failures get an id to quote to support and never a stack trace.
 */
@RestControllerAdvice(annotations = RestController.class)
@Order(0)
public class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);
    private static final MediaType PROBLEM = MediaType.APPLICATION_PROBLEM_JSON;

    @ExceptionHandler(ValidationException.class)
    ResponseEntity<ProblemDetail> invalid(ValidationException e) {
        return validation(e.problems());
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ResponseEntity<ProblemDetail> invalid(MethodArgumentNotValidException e) {
        List<FieldProblem> problems = e.getBindingResult().getFieldErrors().stream()
                .map(f -> FieldProblem.of(f.getField(), "field.invalid", f.getDefaultMessage()))
                .toList();
        return validation(problems);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e) {
        String detail = e.getMostSpecificCause().getMessage();
        // Jackson's messages name the offending property and position; cut the part that echoes internal class names.
        detail = detail == null ? "request body is not valid JSON" : detail.replaceAll("\\(class [^)]*\\)", "").lines().findFirst().orElse(detail);
        return problem(HttpStatus.BAD_REQUEST, "Malformed request body", detail, "malformed-body");
    }

    @ExceptionHandler({MissingServletRequestParameterException.class, MethodArgumentTypeMismatchException.class})
    ResponseEntity<ProblemDetail> badParameter(Exception e) {
        String name = e instanceof MissingServletRequestParameterException m ? m.getParameterName()
                : ((MethodArgumentTypeMismatchException) e).getName();
        return validation(List.of(FieldProblem.of(name, "parameter.invalid", "parameter '" + name + "' is missing or malformed")));
    }

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(NotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Not found", e.getMessage(), "not-found");
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ProblemDetail> noRoute(NoResourceFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Not found", "no such endpoint", "not-found");
    }

    @ExceptionHandler(ConflictException.class)
    ResponseEntity<ProblemDetail> conflict(ConflictException e) {
        ResponseEntity<ProblemDetail> response = problem(HttpStatus.CONFLICT, "Conflict", e.getMessage(), "conflict");
        response.getBody().setProperty("errors", List.of(asMap(e.problem())));
        return response;
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<ProblemDetail> denied(AccessDeniedException e) {
        return problem(HttpStatus.FORBIDDEN, "Forbidden", "your role does not allow this action", "forbidden");
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ProblemDetail> method(HttpRequestMethodNotSupportedException e) {
        return problem(HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed", e.getMessage(), "method-not-allowed");
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> mediaType(HttpMediaTypeNotSupportedException e) {
        return problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type", e.getMessage(), "unsupported-media-type");
    }

    @ExceptionHandler(org.springframework.web.server.ResponseStatusException.class)
    ResponseEntity<ProblemDetail> status(org.springframework.web.server.ResponseStatusException e) {
        HttpStatus s = HttpStatus.resolve(e.getStatusCode().value());
        s = s == null ? HttpStatus.BAD_REQUEST : s;
        return problem(s, s.getReasonPhrase(), e.getReason() == null ? s.getReasonPhrase() : e.getReason(),
                s.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
    }

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    ResponseEntity<ProblemDetail> tooLarge(MaxUploadSizeExceededException e) {
        return problem(HttpStatus.CONTENT_TOO_LARGE, "Upload too large", e.getMessage(), "too-large");
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        String id = UUID.randomUUID().toString();
        log.error("Unexpected API failure {}", id, e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
                "something went wrong on our side; quote error id " + id + " to your administrator", "internal");
    }

    private static ResponseEntity<ProblemDetail> validation(List<FieldProblem> problems) {
        ResponseEntity<ProblemDetail> response = problem(HttpStatus.BAD_REQUEST, "Validation failed",
                problems.size() == 1 ? problems.getFirst().field() + ": " + problems.getFirst().message()
                        : problems.size() + " fields are invalid", "validation");
        response.getBody().setProperty("errors", problems.stream().map(ApiExceptionHandler::asMap).toList());
        return response;
    }

    private static Map<String, Object> asMap(FieldProblem p) {
        return Map.of("field", p.field() == null ? "" : p.field(), "code", p.code(), "message", p.message());
    }

    static ResponseEntity<ProblemDetail> problem(HttpStatus status, String title, String detail, String type) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        body.setTitle(title);
        body.setType(URI.create("https://orbita.io/problems/" + type));
        return ResponseEntity.status(status).contentType(PROBLEM).body(body);
    }
}
