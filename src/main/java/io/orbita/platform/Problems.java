package io.orbita.platform;

import java.util.ArrayList;
import java.util.List;

/** Collects field problems while input is checked, then throws them all at once. */
public final class Problems {

    private final List<FieldProblem> list = new ArrayList<>();

    public Problems add(String field, String code, String message, Object... args) {
        list.add(FieldProblem.of(field, code, message, args));
        return this;
    }

    public Problems add(FieldProblem problem) {
        list.add(problem);
        return this;
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    public List<FieldProblem> list() {
        return List.copyOf(list);
    }

    public void throwIfAny() {
        if (!list.isEmpty()) {
            throw new ValidationException(list);
        }
    }
}
