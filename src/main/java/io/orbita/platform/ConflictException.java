package io.orbita.platform;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/** The request clashes with data that already exists (a duplicate email, say). */
@ResponseStatus(HttpStatus.CONFLICT)
public class ConflictException extends RuntimeException {

    private final FieldProblem problem;

    public ConflictException(FieldProblem problem) {
        super(problem.message());
        this.problem = problem;
    }

    public FieldProblem problem() {
        return problem;
    }
}
