package io.orbita.activity;

import io.orbita.platform.FieldProblem;
import io.orbita.platform.Page;
import io.orbita.platform.TimelineSource;
import io.orbita.platform.ValidationException;
import io.orbita.platform.WorkspaceId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * A contact's timeline: every module's entries merged newest first. Paged by a cursor that remembers the last entry's
 * time, kind and id, so entries of the same instant are neither repeated nor skipped between pages.
 */
@Service
public class Timeline {

    static final Comparator<TimelineSource.Entry> NEWEST_FIRST = Comparator.comparing(TimelineSource.Entry::at).reversed()
            .thenComparing(TimelineSource.Entry::kind).thenComparing(Comparator.comparingLong(TimelineSource.Entry::id).reversed());

    private final List<TimelineSource> sources;

    Timeline(List<TimelineSource> sources) {
        this.sources = sources;
    }

    public Page<TimelineSource.Entry> of(WorkspaceId ws, long contactId, String cursor, int limit) {
        TimelineSource.Entry after = decode(cursor);
        Instant notAfter = after == null ? Instant.parse("9999-12-31T00:00:00Z") : after.at();
        List<TimelineSource.Entry> all = new ArrayList<>();
        // Each source may return entries of the boundary instant that the previous page already showed: fetch a few more.
        for (TimelineSource s : sources) {
            all.addAll(s.entries(ws, contactId, notAfter, limit + 50));
        }
        all.sort(NEWEST_FIRST);
        List<TimelineSource.Entry> page = all.stream().filter(e -> after == null || NEWEST_FIRST.compare(e, after) > 0)
                .limit(limit + 1L).toList();
        if (page.size() <= limit) {
            return new Page<>(page, null);
        }
        List<TimelineSource.Entry> items = page.subList(0, limit);
        TimelineSource.Entry last = items.getLast();
        return new Page<>(List.copyOf(items), encode(last));
    }

    private static String encode(TimelineSource.Entry e) {
        String raw = e.at().toString() + "|" + e.kind() + "|" + e.id();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static TimelineSource.Entry decode(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            String[] p = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|");
            return new TimelineSource.Entry(Instant.parse(p[0]), p[1], "", Long.parseLong(p[2]), "", java.util.Map.of());
        } catch (RuntimeException e) {
            throw new ValidationException(FieldProblem.of("cursor", "cursor.invalid", "cursor is not one this API returned"));
        }
    }
}
