package io.orbita.audience;

import static org.assertj.core.api.Assertions.assertThat;

import io.orbita.audience.AddressCheck.Verdict;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressValidatorTest {

    private final AddressValidator validator = new AddressValidator(MailDomains.OFF);

    @ParameterizedTest
    @CsvSource({
            "ivan@gmial.com, ivan@gmail.com",
            "ivan@yadex.ru, ivan@yandex.ru",
            "ivan@mail.ry, ivan@mail.ru",
            "ivan@gmail.co, ivan@gmail.com",
            "ivan@rambler.ry, ivan@rambler.ru",
            "ivan@hotmial.com, ivan@hotmail.com"})
    void suggestsTheProviderAMisspeltDomainMeant(String input, String suggestion) {
        AddressCheck c = validator.check(input);
        assertThat(c.verdict()).isEqualTo(Verdict.RISKY);
        assertThat(c.reason().code()).isEqualTo("possible_typo");
        assertThat(c.suggestion()).isEqualTo(suggestion);
    }

    @ParameterizedTest
    @CsvSource({"ivan@gmail.com", "ivan@ya.ru", "ivan@mail.rt.ru", "ivan@bk.ru", "ivan@tochpribor.ru", "ivan@пример.рф"})
    void leavesRealDomainsAlone(String input) {
        AddressCheck c = validator.check(input);
        assertThat(c.verdict()).as(input).isEqualTo(Verdict.VALID);
        assertThat(c.suggestion()).isNull();
    }

    @Test
    void aNumberedMailboxKeepsItsRoleButOnlyOneSeparatorGoes() {
        assertThat(AddressValidator.withoutNumber("sales2")).isEqualTo("sales");
        assertThat(AddressValidator.withoutNumber("info-01")).isEqualTo("info");
        assertThat(AddressValidator.withoutNumber("office.7")).isEqualTo("office");
        assertThat(AddressValidator.withoutNumber("hr__3")).isEqualTo("hr_");
        assertThat(AddressValidator.withoutNumber("ivanov")).isEqualTo("ivanov");
        assertThat(AddressValidator.withoutNumber("2024")).isEmpty();
        assertThat(AddressValidator.withoutNumber("")).isEmpty();
        assertThat(validator.check("info-01@tochpribor.ru").reason().code()).isEqualTo("role_address");
        assertThat(validator.check("ivanov12@tochpribor.ru").verdict()).isEqualTo(Verdict.VALID);
    }

    @Test
    void rolesAreRiskyDisposableAndNoReplyInvalid() {
        assertThat(validator.check("info@tochpribor.ru").reason().code()).isEqualTo("role_address");
        assertThat(validator.check("sales2@tochpribor.ru").verdict()).isEqualTo(Verdict.RISKY);
        assertThat(validator.check("someone@mailinator.com").reason().code()).isEqualTo("disposable");
        assertThat(validator.check("x@sub.yopmail.com").verdict()).isEqualTo(Verdict.INVALID);
        assertThat(validator.check("no-reply@tochpribor.ru").reason().code()).isEqualTo("no_reply");
        assertThat(validator.check("ivan@").reason().code()).isEqualTo("syntax");
        assertThat(validator.check("ivan@").normalized()).isNull();
    }

    @Test
    void readsDisplayNameFormAndNormalizes() {
        AddressCheck c = validator.check("Иван Петров <Ivan@ПРИМЕР.рф>");
        assertThat(c.verdict()).isEqualTo(Verdict.VALID);
        assertThat(c.normalized()).isEqualTo("Ivan@пример.рф");
    }

    @Test
    void domainsWithoutMailAreInvalidWhenLookupsAreOn() {
        MailDomains dns = domain -> Optional.of(!domain.equals("nomail.example.ru"));
        AddressValidator withDns = new AddressValidator(dns);
        assertThat(withDns.check("a@nomail.example.ru").reason().code()).isEqualTo("no_mail_server");
        assertThat(withDns.check("a@xn--e1afmkfd.xn--p1ai").verdict()).isEqualTo(Verdict.VALID);
        AddressValidator timedOut = new AddressValidator(domain -> Optional.empty());
        assertThat(timedOut.check("a@nomail.example.ru").verdict()).isEqualTo(Verdict.VALID);
    }

    /** The typo distance kept in three rows agrees with the whole table, wherever it matters (up to two edits). */
    @Test
    void typoDistanceAgreesWithTheWholeTable() {
        assertThat(AddressValidator.distance("gmial.com", "gmail.com")).isEqualTo(1);
        assertThat(AddressValidator.distance("yadex.ru", "yandex.ru")).isEqualTo(1);
        assertThat(AddressValidator.distance("mail.ru", "mail.ru")).isZero();
        assertThat(AddressValidator.distance("ca", "abc")).isEqualTo(3);
        assertThat(AddressValidator.distance("", "bk.ru")).isEqualTo(5);
        java.util.Random random = new java.util.Random(11);
        for (int n = 0; n < 20_000; n++) {
            String a = randomWord(random);
            String b = random.nextBoolean() ? randomWord(random) : mutate(a, random);
            int whole = wholeTable(a, b);
            int rows = AddressValidator.distance(a, b);
            if (whole <= 2) {
                assertThat(rows).as("%s / %s", a, b).isEqualTo(whole);
            } else {
                assertThat(rows).as("%s / %s", a, b).isGreaterThan(2);
            }
        }
    }

    private static String randomWord(java.util.Random random) {
        StringBuilder b = new StringBuilder();
        for (int i = random.nextInt(9); i > 0; i--) {
            b.append("abc.".charAt(random.nextInt(4)));
        }
        return b.toString();
    }

    private static String mutate(String s, java.util.Random random) {
        StringBuilder b = new StringBuilder(s);
        for (int edits = random.nextInt(4); edits > 0; edits--) {
            int at = b.isEmpty() ? 0 : random.nextInt(b.length());
            switch (random.nextInt(4)) {
                case 0 -> b.insert(at, 'x');
                case 1 -> { if (!b.isEmpty()) { b.deleteCharAt(at); } }
                case 2 -> { if (!b.isEmpty()) { b.setCharAt(at, 'y'); } }
                default -> { if (at + 1 < b.length()) { char c = b.charAt(at); b.setCharAt(at, b.charAt(at + 1)); b.setCharAt(at + 1, c); } }
            }
        }
        return b.toString();
    }

    /** The textbook optimal string alignment table, kept whole. */
    private static int wholeTable(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
