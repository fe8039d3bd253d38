package io.orbita.platform;

import java.util.List;

/**
 * The shape of every bulk call: items go in one by one, and each comes back with its own outcome, so one bad item never
 * fails or hides the others.
 */
public final class Bulk {

    private Bulk() {
    }

    /** Applies {@code upsert} to each readable item in order; unreadable items become errors without being applied. */
    public static <T> Result each(List<Item<T>> items, ItemUpsert<T> upsert) {
        List<ItemResult> results = new java.util.ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            Item<T> item = items.get(i);
            results.add(item.input() == null ? ItemResult.error(i, item.problems()) : upsert.apply(i, item.input()));
        }
        return Result.of(results);
    }

    /** Upserts one item of a bulk call. */
    @FunctionalInterface
    public interface ItemUpsert<T> {
        ItemResult apply(int index, T input);
    }

    /** Reads {@code {"items": [...]}}: an item that cannot be read becomes a failed item, never a failed call. */
    public static <T> List<Item<T>> read(tools.jackson.databind.JsonNode body, int max,
                                         java.util.function.Function<tools.jackson.databind.JsonNode, T> reader) {
        return read(body, "items", max, reader);
    }

    /** As {@link #read(tools.jackson.databind.JsonNode, int, java.util.function.Function)} for an array named {@code field}. */
    public static <T> List<Item<T>> read(tools.jackson.databind.JsonNode body, String field, int max,
                                         java.util.function.Function<tools.jackson.databind.JsonNode, T> reader) {
        tools.jackson.databind.JsonNode items = body == null ? null : body.get(field);
        if (items == null || !items.isArray()) {
            throw new ValidationException(FieldProblem.of(field, "field.required", field + " must be an array"));
        }
        if (items.size() > max) {
            throw new ValidationException(FieldProblem.of(field, "bulk.tooMany", "at most " + max + " items per call", max));
        }
        List<Item<T>> out = new java.util.ArrayList<>(items.size());
        for (tools.jackson.databind.JsonNode item : items) {
            try {
                out.add(Item.of(reader.apply(item)));
            } catch (ValidationException e) {
                out.add(Item.invalid(e.problems()));
            }
        }
        return out;
    }

    /** One item of a bulk call: an input, or the problems that kept it from being read. */
    public record Item<T>(T input, List<FieldProblem> problems) {
        public static <T> Item<T> of(T input) {
            return new Item<>(input, List.of());
        }

        public static <T> Item<T> invalid(List<FieldProblem> problems) {
            return new Item<>(null, problems);
        }
    }

    /** The outcome for one item: created, updated, unchanged or error (with the problems). */
    public record ItemResult(int index, String status, Long id, List<FieldProblem> errors) {
        public static ItemResult error(int index, List<FieldProblem> errors) {
            return new ItemResult(index, "error", null, errors);
        }

        public boolean failed() {
            return "error".equals(status);
        }
    }

    /** What a bulk call did, item by item, with totals. */
    public record Result(int created, int updated, int unchanged, int failed, List<ItemResult> items) {
        public static Result of(List<ItemResult> items) {
            int created = 0;
            int updated = 0;
            int unchanged = 0;
            int failed = 0;
            for (ItemResult r : items) {
                switch (r.status()) {
                    case "created" -> created++;
                    case "updated" -> updated++;
                    case "unchanged" -> unchanged++;
                    default -> failed++;
                }
            }
            return new Result(created, updated, unchanged, failed, List.copyOf(items));
        }
    }
}
