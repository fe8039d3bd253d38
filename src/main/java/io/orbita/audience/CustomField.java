package io.orbita.audience;

import java.util.List;

/**
 * A field a workspace added to its contacts or companies ("industry segment", "contract number", "loyalty level").
 *
 * @param entity  {@code contact} or {@code company}
 * @param key     the name used in the API, imports and templates ({@code loyalty_level})
 * @param options the allowed values of a {@code choice} field
 */
public record CustomField(long id, String entity, String key, String label, CustomFieldType type, List<String> options) {
}
