package io.orbita.audience;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A change to a contact as the API, forms and imports send it. Each field has three states: absent (the Java value is
 * {@code null}: leave the field as it is), JSON {@code null} ({@code Optional.empty()}: clear it) or a value (set it).
 * That is what lets an upsert from a CRM update only the fields the CRM knows.
 */
@Schema(description = "Contact fields to set. Omitted fields stay unchanged; null clears a field.")
public record ContactInput(
        @Schema(description = "Email address; normalized (trimmed, domain lower-cased, IDN domains in Unicode)", example = "ivan.petrov@пример.рф")
        Optional<String> email,
        @Schema(example = "Иван") Optional<String> firstName,
        @Schema(example = "Петров") Optional<String> lastName,
        @Schema(example = "Сергеевич") Optional<String> middleName,
        @Schema(example = "Chief engineer") Optional<String> position,
        @Schema(description = "Phone; Russian numbers are normalized to +7XXXXXXXXXX", example = "+7 (495) 123-45-67")
        Optional<String> phone,
        @Schema(description = "Birthday as YYYY-MM-DD or DD.MM.YYYY", example = "1985-04-12") Optional<String> birthday,
        @Schema(description = "Id of a company of the same workspace") Optional<Long> companyId,
        @Schema(description = "private_person, corporate_client, partner, media or supplier", example = "corporate_client")
        Optional<String> type,
        @Schema(description = "Where the contact came from, free text", example = "Exhibition Metalworking-2026")
        Optional<String> sourceLabel,
        @Schema(description = "import, form, api, manual or offline_event", example = "offline_event") Optional<String> sourceKind,
        @Schema(description = "User id of the personal manager (a member of the workspace)") Optional<Long> managerId,
        @Schema(description = "Tags; replaces the whole list") Optional<List<String>> tags,
        @Schema(description = "Custom field values by key; a null value removes that field; other keys stay")
        Optional<Map<String, Object>> customFields,
        @Schema(description = "subscribed, unsubscribed, bounced or complained; a change is written to the consent history")
        Optional<String> consentStatus) {

    /**
     * Reads the JSON of a contact change.
     *
     * @throws io.orbita.platform.ValidationException naming every mistyped or unknown field
     */
    public static ContactInput fromJson(tools.jackson.databind.JsonNode node) {
        io.orbita.platform.Problems p = new io.orbita.platform.Problems();
        io.orbita.platform.JsonInput j = io.orbita.platform.JsonInput.of(node, p);
        ContactInput in = new ContactInput(j.text("email"), j.text("firstName"), j.text("lastName"), j.text("middleName"),
                j.text("position"), j.text("phone"), j.text("birthday"), j.id("companyId"), j.text("type"),
                j.text("sourceLabel"), j.text("sourceKind"), j.id("managerId"), j.strings("tags"), j.scalars("customFields"),
                j.text("consentStatus"));
        j.rejectUnknown();
        p.throwIfAny();
        return in;
    }

    /** An input that sets exactly the given email and nothing else. */
    public static ContactInput ofEmail(String email) {
        return new ContactInput(Optional.of(email), null, null, null, null, null, null, null, null, null, null, null,
                null, null, null);
    }
}
