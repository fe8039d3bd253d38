package io.orbita.campaigns;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * A daily stretch of local wall-clock time, from {@code start} (inclusive) to {@code end} (exclusive); it may wrap
 * midnight (22:00–07:00). Used for a campaign's send window (letters go out only inside it, in each recipient's time
 * zone) and for the workspace's quiet hours (no marketing letters inside them).
 */
public record LocalWindow(LocalTime start, LocalTime end) {

    public LocalWindow {
        if (start == null || end == null || start.equals(end)) {
            throw new IllegalArgumentException("a window needs a start and a different end");
        }
    }

    /** "10:00-12:00" (also with an en dash); empty for null or blank; throws IllegalArgumentException when malformed. */
    public static Optional<LocalWindow> parse(String s) {
        if (s == null || s.isBlank()) {
            return Optional.empty();
        }
        String[] parts = s.strip().split("\\s*[-–]\\s*");
        if (parts.length != 2) {
            throw new IllegalArgumentException("a window is written as HH:MM-HH:MM, e.g. 10:00-12:00");
        }
        try {
            return Optional.of(new LocalWindow(LocalTime.parse(pad(parts[0])), LocalTime.parse(pad(parts[1]))));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("a window is written as HH:MM-HH:MM, e.g. 10:00-12:00");
        }
    }

    private static String pad(String t) {
        return t.length() == 4 && t.charAt(1) == ':' ? "0" + t : t;
    }

    public boolean contains(LocalTime t) {
        return start.isBefore(end) ? !t.isBefore(start) && t.isBefore(end) : !t.isBefore(start) || t.isBefore(end);
    }

    @Override
    public String toString() {
        return start + "-" + end;
    }

    /**
     * The earliest instant at or after {@code from} whose local time in {@code zone} is inside {@code window} (when
     * given) and outside {@code quiet} (when given). A window lying wholly inside the quiet hours can never be met: then
     * the quiet hours give way to the window (the marketer asked for that window explicitly).
     */
    public static Instant earliest(Instant from, ZoneId zone, LocalWindow window, LocalWindow quiet) {
        ZonedDateTime t = from.atZone(zone);
        for (int i = 0; i < 6; i++) {
            boolean moved = false;
            if (window != null && !window.contains(t.toLocalTime())) {
                t = next(t, window.start());
                moved = true;
            }
            if (quiet != null && quiet.contains(t.toLocalTime())) {
                t = next(t, quiet.end());
                moved = true;
            }
            if (!moved) {
                return t.toInstant();
            }
        }
        if (window == null) {
            return t.toInstant();
        }
        ZonedDateTime f = from.atZone(zone);
        return window.contains(f.toLocalTime()) ? from : next(f, window.start()).toInstant();
    }

    /** The next moment at or after {@code t} when local time is {@code at} (a time skipped by a DST change: just after). */
    private static ZonedDateTime next(ZonedDateTime t, LocalTime at) {
        ZonedDateTime c = ZonedDateTime.of(t.toLocalDate(), at, t.getZone());
        return c.isBefore(t) ? ZonedDateTime.of(t.toLocalDate().plusDays(1), at, t.getZone()) : c;
    }
}
