package io.orbita.platform;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Remembers the answers of a pure function for keys that come back often (an import's few thousand domains, the
 * addresses of events sent by email), forgetting everything at once when it holds {@code limit} keys: no eviction
 * bookkeeping per hit, memory bounded, and keys that matter come back at once. Safe for concurrent use; two threads
 * may compute the same answer once each. Null answers are not remembered (wrap them in an Optional to keep them).
 */
public final class BoundedMemo<K, V> {

    private final Map<K, V> answers = new ConcurrentHashMap<>();
    private final int limit;

    public BoundedMemo(int limit) {
        this.limit = limit;
    }

    public V get(K key, Function<? super K, ? extends V> compute) {
        V known = answers.get(key);
        if (known != null) {
            return known;
        }
        // Computed outside the map: computeIfAbsent would hold a bin lock through a possibly slow computation.
        V answer = compute.apply(key);
        if (answer != null) {
            if (answers.size() >= limit) {
                answers.clear();
            }
            answers.put(key, answer);
        }
        return answer;
    }

    int size() {
        return answers.size();
    }
}
