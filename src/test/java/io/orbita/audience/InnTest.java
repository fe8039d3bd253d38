package io.orbita.audience;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InnTest {

    /** Real, published INNs (Sberbank, Yandex, Gazprom) and a valid 12-digit individual INN. */
    @ParameterizedTest
    @ValueSource(strings = {"7707083893", "7736207543", "7736050003", "500100732259"})
    void acceptsValidNumbers(String inn) {
        assertThat(Inn.isValid(inn)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"7707083894", "500100732258", "500100732269", "123456789", "77070838931", "770708389a", "",
            "7707 083893"})
    void rejectsWrongCheckDigitsLengthsAndCharacters(String inn) {
        assertThat(Inn.isValid(inn)).isFalse();
    }
}
