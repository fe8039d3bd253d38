package io.orbita.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FieldProblemTest {

    @Test
    void underPrefixesTheFieldPathAndKeepsEverythingElse() {
        FieldProblem problem = FieldProblem.of("email", "email.invalid", "not an address", "x@");

        FieldProblem nested = problem.under("items[3]");

        assertThat(nested.field()).isEqualTo("items[3].email");
        assertThat(nested.code()).isEqualTo("email.invalid");
        assertThat(nested.message()).isEqualTo("not an address");
        assertThat(nested.args()).containsExactly("x@");
    }

    /** A problem about the item as a whole (no field) is reported at the item itself, not at "items[3].null". */
    @Test
    void underWithoutAFieldReportsAtThePrefix() {
        FieldProblem whole = FieldProblem.of(null, "bulk.duplicate", "duplicate item");

        assertThat(whole.under("items[3]").field()).isEqualTo("items[3]");
    }

    @Test
    void prefixesNestAcrossLevels() {
        FieldProblem problem = FieldProblem.of("value", "field.required", "required");

        assertThat(problem.under("fields[0]").under("items[2]").field()).isEqualTo("items[2].fields[0].value");
    }

    @Test
    void argsAreCopiedSoTheCallerCannotChangeThemLater() {
        List<Object> args = new ArrayList<>(List.of(10));
        FieldProblem problem = new FieldProblem("name", "name.tooLong", "too long", args);

        args.add(20);

        assertThat(problem.args()).containsExactly(10);
        assertThat(new FieldProblem("name", "c", "m", null).args()).isEmpty();
    }
}
