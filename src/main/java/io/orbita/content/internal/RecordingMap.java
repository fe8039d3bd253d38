package io.orbita.content.internal;

import java.util.LinkedHashMap;
import java.util.Set;

/**
 * Letter data that notices lookups of keys it does not have. Known fields are always present (null when empty), so an
 * optional field that is blank never warns while a misspelt one ({@code contact.frist_name}) does; liqp's own strict
 * mode cannot tell the two apart.
 */
final class RecordingMap extends LinkedHashMap<String, Object> {

    private final String path;
    private final Set<String> misses;

    RecordingMap(String path, Set<String> misses) {
        this.path = path;
        this.misses = misses;
    }

    RecordingMap with(String key, Object value) {
        put(key, value);
        return this;
    }

    @Override
    public Object get(Object key) {
        if (!containsKey(key) && !"size".equals(key) && !"first".equals(key) && !"last".equals(key)) {
            misses.add(path.isEmpty() ? String.valueOf(key) : path + "." + key);
        }
        return super.get(key);
    }
}
