package io.orbita.audience;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EmailAddressTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "  Ivan.Petrov@Example.RU  | Ivan.Petrov@example.ru",
            "иван@ПРИМЕР.РФ | иван@пример.рф",
            "ivan@xn--e1afmkfd.xn--p1ai | ivan@пример.рф",
            "user+tag@sub.example.com | user+tag@sub.example.com",
            "o'brien@example.ie | o'brien@example.ie",
            "\"quoted.local\"@example.org | \"quoted.local\"@example.org"})
    void normalizesTrimsAndLowerCasesOnlyTheDomain(String raw, String expected) {
        EmailAddress.Parsed parsed = EmailAddress.parse(raw);
        assertThat(parsed.valid()).as(raw).isTrue();
        assertThat(parsed.address().value()).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "plain", "@example.ru", "ivan@", "ivan@localhost", "iv an@example.ru", "ivan..p@example.ru",
            ".ivan@example.ru", "ivan.@example.ru", "ivan@exa_mple.ru", "ivan@-example.ru", "ivan@example.ru.",
            "ivan@[127.0.0.1]", "ivan@example.123", "a\r\nBcc: x@evil.ru"})
    void rejectsWhatCannotBeSentTo(String raw) {
        EmailAddress.Parsed parsed = EmailAddress.parse(raw);
        assertThat(parsed.valid()).as(raw).isFalse();
        assertThat(parsed.rejection().message()).isNotBlank();
    }

    @Test
    void rejectsLocalPartLongerThan64Bytes() {
        assertThat(EmailAddress.parse("a".repeat(65) + "@example.ru").rejection().code()).isEqualTo("email.localTooLong");
        assertThat(EmailAddress.parse("a".repeat(64) + "@example.ru").valid()).isTrue();
    }

    @Test
    void knowsWhenSmtpUtf8IsNeededAndGivesTheAsciiDomain() {
        EmailAddress cyrillic = EmailAddress.parse("иван@пример.рф").address();
        assertThat(cyrillic.needsSmtpUtf8()).isTrue();
        assertThat(cyrillic.asciiDomain()).isEqualTo("xn--e1afmkfd.xn--p1ai");
        assertThat(EmailAddress.parse("ivan@пример.рф").address().needsSmtpUtf8()).isFalse();
    }

    @Test
    void composesDecomposedLettersAndRefusesEveryKindOfSpace() {
        // "é" typed as e + combining acute (U+0301) is stored as the one letter U+00E9, as NFC says; "й" likewise.
        assertThat(EmailAddress.parse("jose\u0301@example.es").address().value()).isEqualTo("jos\u00e9@example.es");
        assertThat(EmailAddress.parse("и\u0306ван@пример.рф").address().value()).isEqualTo("\u0439ван@пример.рф");
        // Spaces and controls anywhere inside: ASCII, ideographic, line separator, NUL, DEL, a C1 control.
        for (String inside : new String[] {" ", "\t", "\u3000", "\u2028", "\u0000", "\u007f", "\u0085"}) {
            assertThat(EmailAddress.parse("iv" + inside + "an@example.ru").rejection().code()).as("U+%04X", (int) inside.charAt(0))
                    .isEqualTo("email.whitespace");
        }
    }
}
