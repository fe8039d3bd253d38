package io.orbita.audience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CustomFieldTypeTest {

    /** Dates as users type them: day.month.year with one or two digits for day and month, or ISO. */
    @ParameterizedTest
    @CsvSource({
            "31.12.1990, 1990-12-31",
            "1.2.1990, 1990-02-01",
            "01.2.2000, 2000-02-01",
            "9.11.2026, 2026-11-09",
            "' 29.02.2024 ', 2024-02-29",
            "1990-12-31, 1990-12-31",
    })
    void readsRussianAndIsoDates(String text, LocalDate expected) {
        assertThat(CustomFieldType.Dates.parse(text)).isEqualTo(expected);
    }

    /** Anything else is refused, as before: no guessing at what a half-typed or impossible date meant. */
    @ParameterizedTest
    @ValueSource(strings = {"31.02.1990", "32.01.1990", "1.13.1990", "123.1.1990", "1.123.1990", "1.1.90", "1.1.19900",
            "1..1990", ".1.1990", "1.1.199a", "a1.1.1990", "1,1,1990", "１.1.1990", "1990/12/31", "", "завтра"})
    void refusesWhatIsNotADate(String text) {
        assertThatThrownBy(() -> CustomFieldType.Dates.parse(text)).isInstanceOf(RuntimeException.class);
    }
}
