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
}
