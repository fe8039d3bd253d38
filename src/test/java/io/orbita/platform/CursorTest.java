package io.orbita.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CursorTest {

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 42, 9_876_543_210L, Long.MAX_VALUE - 1})
    void decodesWhatItEncoded(long id) {
        assertThat(Cursor.decode(Cursor.encode(id))).isEqualTo(id);
    }

    /** Cursors travel in query strings, so they must need no escaping there. */
    @Test
    void encodesToAUrlSafeTokenThatIsNotTheBareNumber() {
        String cursor = Cursor.encode(1_000_000L);
        assertThat(cursor).matches("[A-Za-z0-9_-]+").isNotEqualTo("1000000");
    }

    @Test
    void noCursorMeansTheFirstPage() {
        assertThat(Cursor.decode(null)).isEqualTo(Long.MAX_VALUE);
        assertThat(Cursor.decode("  ")).isEqualTo(Long.MAX_VALUE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"not a cursor!", "123", "a2FiYw"})
    void rejectsTokensItDidNotIssue(String cursor) {
        assertInvalid(() -> Cursor.decode(cursor), "cursor", "cursor.invalid");
    }

    @Test
    void rejectsAWellFormedTokenWithoutTheMarker() {
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString("42".getBytes(StandardCharsets.US_ASCII));
        assertInvalid(() -> Cursor.decode(forged), "cursor", "cursor.invalid");
    }

    @Test
    void limitDefaultsToFiftyButNeverAboveTheMaximum() {
        assertThat(Cursor.limit(null, 500)).isEqualTo(50);
        assertThat(Cursor.limit(null, 20)).isEqualTo(20);
    }

    @Test
    void limitAcceptsTheWholeRangeInclusive() {
        assertThat(Cursor.limit(1, 500)).isEqualTo(1);
        assertThat(Cursor.limit(500, 500)).isEqualTo(500);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 501})
    void limitOutsideTheRangeIsAFieldProblemCarryingTheMaximum(int requested) {
        assertThatThrownBy(() -> Cursor.limit(requested, 500))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> {
                            assertThat(p.field()).isEqualTo("limit");
                            assertThat(p.code()).isEqualTo("limit.range");
                            assertThat(p.args()).containsExactly(500);
                        }));
    }

    private static void assertInvalid(Runnable call, String field, String code) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> {
                            assertThat(p.field()).isEqualTo(field);
                            assertThat(p.code()).isEqualTo(code);
                        }));
    }
}
