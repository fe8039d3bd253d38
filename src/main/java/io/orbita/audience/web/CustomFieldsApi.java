package io.orbita.audience.web;

import io.orbita.audience.CustomField;
import io.orbita.audience.CustomFields;
import io.orbita.platform.FieldProblem;
import io.orbita.platform.ValidationException;
import io.orbita.workspace.Access;
import io.orbita.workspace.OrbitaPrincipal;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/custom-fields")
@Tag(name = "Custom fields", description = "Workspace-defined fields of contacts and companies, with typed, validated values.")
class CustomFieldsApi {

    record Definition(@Schema(description = "contact or company") String entity,
                      @Schema(description = "a-z, 0-9 and _, starting with a letter", example = "loyalty_level") String key,
                      @Schema(example = "Loyalty level") String label,
                      @Schema(description = "text, number, date, boolean or choice") String type,
                      @Schema(description = "allowed values of a choice field") List<String> options) {
    }

    private final CustomFields fields;

    CustomFieldsApi(CustomFields fields) {
        this.fields = fields;
    }

    @GetMapping
    @Access.Read
    @Operation(summary = "List custom fields of contacts or companies")
    List<CustomField> list(@AuthenticationPrincipal OrbitaPrincipal me, @RequestParam(defaultValue = "contact") String entity) {
        if (!CustomFields.ENTITIES.contains(entity)) {
            throw new ValidationException(FieldProblem.of("entity", "customField.entity", "entity must be contact or company"));
        }
        return fields.list(me.workspace(), entity);
    }

    @PostMapping
    @Access.Market
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Define a custom field")
    CustomField define(@AuthenticationPrincipal OrbitaPrincipal me, @RequestBody Definition d) {
        return fields.define(me, d.entity(), d.key(), d.label(), d.type(), d.options());
    }

    @DeleteMapping("/{id}")
    @Access.Market
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a custom field and its values")
    void delete(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        fields.delete(me, id);
    }
}
