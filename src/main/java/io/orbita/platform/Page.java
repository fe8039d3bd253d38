package io.orbita.platform;

import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * One page of a keyset-paginated listing. {@code nextCursor} is null on the last page. Keyset (not offset) paging keeps
 * page 10,000 of a million contacts as fast as page 1.
 */
public record Page<T>(List<T> items, String nextCursor) {

    /** Builds a page from a query that fetched {@code limit + 1} rows: the extra row only says that more exist. */
    public static <T> Page<T> of(List<T> fetched, int limit, ToLongFunction<T> key) {
        if (fetched.size() <= limit) {
            return new Page<>(fetched, null);
        }
        List<T> items = fetched.subList(0, limit);
        return new Page<>(List.copyOf(items), Cursor.encode(key.applyAsLong(items.get(limit - 1))));
    }

    public <R> Page<R> map(Function<T, R> mapper) {
        return new Page<>(items.stream().map(mapper).toList(), nextCursor);
    }
}
