package io.orbita.audience;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FieldRulesTest {

    /** The shortcut for text that cannot start or end with white space gives exactly what String.strip() gives. */
    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t", "Иван", " Иван ", "\u3000Иван\u3000", "\u2028x", "x\u205F", "\u1680x\u1680",
            "\u00A0x\u00A0", "x\u0085", "Менеджер по закупкам", "a", "\u001Fa\u001C", "🎄", " 🎄 "})
    void stripsAsStringStripDoes(String s) {
        assertThat(FieldRules.strip(s)).isEqualTo(s.strip());
    }
}
