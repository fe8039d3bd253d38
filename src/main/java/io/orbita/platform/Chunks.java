package io.orbita.platform;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A long list cut into lists of at most {@code size}, in order: module events about many contacts are published in
 * chunks, so that one import or one busy second never makes one huge event (a huge registry row, a long listener
 * transaction).
 */
public final class Chunks {

    private Chunks() {
    }

    /** Immutable copies, safe to keep in an event; none for an empty collection. */
    public static <T> List<List<T>> of(Collection<T> items, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("chunk size must be positive: " + size);
        }
        List<T> all = List.copyOf(items);
        List<List<T>> chunks = new ArrayList<>((all.size() + size - 1) / size);
        for (int i = 0; i < all.size(); i += size) {
            chunks.add(all.subList(i, Math.min(i + size, all.size())));
        }
        return chunks;
    }
}
