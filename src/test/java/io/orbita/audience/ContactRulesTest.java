package io.orbita.audience;

import static org.assertj.core.api.Assertions.assertThat;

import io.orbita.platform.Problems;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class ContactRulesTest {

    private static final CustomFields.Schema NO_FIELDS = new CustomFields.Schema(Map.of());
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 22);
    private final JsonMapper json = JsonMapper.builder().build();

    private ContactData existing() {
        return new ContactData("anna@example.ru", "Анна", "Смирнова", null, "CFO", "+74951234567", LocalDate.of(1985, 4, 12),
                null, ContactType.CORPORATE_CLIENT, "Expo", SourceKind.OFFLINE_EVENT, null, List.of("vip"), Map.of());
    }

    @Test
    void absentFieldsStayAndNullClears() {
        ContactInput in = ContactInput.fromJson(json.readTree("{\"position\": null, \"lastName\": \"Иванова\"}"));
        Problems p = new Problems();
        ContactData after = ContactRules.apply(existing(), in, NO_FIELDS, new AddressValidator(MailDomains.OFF)::check, TODAY, p);
        assertThat(p.isEmpty()).isTrue();
        assertThat(after.position()).isNull();
        assertThat(after.lastName()).isEqualTo("Иванова");
        assertThat(after.firstName()).isEqualTo("Анна");
        assertThat(after.tags()).containsExactly("vip");
    }

    @Test
    void unknownAndMistypedJsonFieldsAreErrorsNotSilentDrops() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(io.orbita.platform.ValidationException.class,
                () -> ContactInput.fromJson(json.readTree("{\"fistName\": \"Anna\", \"tags\": \"vip\", \"companyId\": \"x\"}")));
        assertThat(e.problems()).extracting(io.orbita.platform.FieldProblem::field)
                .containsExactlyInAnyOrder("fistName", "tags", "companyId");
    }

    @Test
    void neutralisesHeaderInjectionByRefusingControlCharacters() {
        ContactInput in = ContactInput.fromJson(json.readTree("{\"firstName\": \"Anna\\r\\nBcc: all@example.ru\"}"));
        Problems p = new Problems();
        ContactRules.apply(existing(), in, NO_FIELDS, new AddressValidator(MailDomains.OFF)::check, TODAY, p);
        assertThat(p.list()).extracting(io.orbita.platform.FieldProblem::code).containsExactly("field.controlChars");
    }

    @Test
    void normalizesRussianPhonesAndDates() {
        Problems p = new Problems();
        assertThat(FieldRules.phone(Optional.of("8 (912) 345-67-89"), null, p)).isEqualTo("+79123456789");
        assertThat(FieldRules.phone(Optional.of("+7 912 345 67 89"), null, p)).isEqualTo("+79123456789");
        assertThat(FieldRules.phone(Optional.of("+49 30 1234567"), null, p)).isEqualTo("+49301234567");
        assertThat(FieldRules.date(Optional.of("12.04.1985"), null, "birthday", TODAY, p)).isEqualTo(LocalDate.of(1985, 4, 12));
        assertThat(p.isEmpty()).isTrue();
        FieldRules.date(Optional.of("2030-01-01"), null, "birthday", TODAY, p);
        FieldRules.phone(Optional.of("12"), null, p);
        assertThat(p.list()).extracting(io.orbita.platform.FieldProblem::code).containsExactly("date.range", "phone.invalid");
    }

    @Test
    void tagsAreTrimmedAndDeduplicatedIgnoringCase() {
        Problems p = new Problems();
        assertThat(FieldRules.tags(Optional.of(List.of(" VIP ", "vip", "expo", "")), List.of(), p)).containsExactly("VIP", "expo");
    }

    @Test
    void customFieldValuesAreNormalizedByType() {
        var schema = new CustomFields.Schema(Map.of(
                "seats", new CustomField(1, "contact", "seats", "Seats", CustomFieldType.NUMBER, List.of()),
                "renewal", new CustomField(2, "contact", "renewal", "Renewal", CustomFieldType.DATE, List.of()),
                "partner", new CustomField(3, "contact", "partner", "Partner", CustomFieldType.BOOLEAN, List.of()),
                "level", new CustomField(4, "contact", "level", "Level", CustomFieldType.CHOICE, List.of("Gold", "Silver"))));
        Problems p = new Problems();
        Map<String, Object> v = schema.apply(Map.of(), Map.of("seats", "1 200,5", "renewal", "01.03.2027", "partner", "да",
                "level", "gold"), p);
        assertThat(p.isEmpty()).isTrue();
        assertThat(v).containsEntry("seats", new java.math.BigDecimal("1200.5")).containsEntry("renewal", "2027-03-01")
                .containsEntry("partner", true).containsEntry("level", "Gold");
    }
}
