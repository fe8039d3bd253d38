package io.orbita.audience;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Map;
import java.util.Optional;

/** A change to a company. As with contacts: omitted fields stay, null clears, a value sets. */
@Schema(description = "Company fields to set. Omitted fields stay unchanged; null clears a field.")
public record CompanyInput(
        @Schema(example = "ООО «Точные приборы»") Optional<String> name,
        @Schema(description = "Russian tax id (10 or 12 digits, checksum verified); unique in the workspace", example = "7707083893")
        Optional<String> inn,
        @Schema(example = "Machine building") Optional<String> industry,
        @Schema(description = "micro (up to 15 people), small (up to 100), medium (up to 250), large (up to 1000), enterprise")
        Optional<String> size,
        @Schema(example = "https://tochpribor.ru") Optional<String> website,
        @Schema(description = "YYYY-MM-DD or DD.MM.YYYY") Optional<String> foundedOn,
        @Schema(description = "When cooperation with us started; YYYY-MM-DD or DD.MM.YYYY") Optional<String> cooperationStartedOn,
        @Schema(description = "User id of the personal manager") Optional<Long> managerId,
        @Schema(description = "Custom field values by key; a null value removes that field")
        Optional<Map<String, Object>> customFields) {

    /**
     * Reads the JSON of a company change.
     *
     * @throws io.orbita.platform.ValidationException naming every mistyped or unknown field
     */
    public static CompanyInput fromJson(tools.jackson.databind.JsonNode node) {
        io.orbita.platform.Problems p = new io.orbita.platform.Problems();
        io.orbita.platform.JsonInput j = io.orbita.platform.JsonInput.of(node, p);
        CompanyInput in = new CompanyInput(j.text("name"), j.text("inn"), j.text("industry"), j.text("size"),
                j.text("website"), j.text("foundedOn"), j.text("cooperationStartedOn"), j.id("managerId"),
                j.scalars("customFields"));
        j.rejectUnknown();
        p.throwIfAny();
        return in;
    }
}
