package io.orbita.platform.web;

import io.orbita.platform.ValidationException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.ModelAndView;

/**
 * Pages whose own code does not handle bad input (a tampered page link, a malformed id) answer with the error page and
 * 400, not 500. Forms handle their validation themselves, field by field.
 */
@ControllerAdvice(annotations = Controller.class)
class PageExceptionHandler {

    @ExceptionHandler({ValidationException.class, MethodArgumentTypeMismatchException.class})
    ModelAndView badRequest() {
        ModelAndView page = new ModelAndView("error", HttpStatus.BAD_REQUEST);
        page.addObject("status", 400);
        return page;
    }
}
