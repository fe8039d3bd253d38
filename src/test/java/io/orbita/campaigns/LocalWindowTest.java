package io.orbita.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** The earliest send time in a recipient's local time, at fixed instants (a stopped clock). */
class LocalWindowTest {

    static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");
    static final ZoneId VLADIVOSTOK = ZoneId.of("Asia/Vladivostok");
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final LocalWindow TEN_TO_NOON = LocalWindow.parse("10:00-12:00").orElseThrow();
    static final LocalWindow NIGHT = LocalWindow.parse("21:00–8:00").orElseThrow();

    @Test
    void parsesAndRefuses() {
        assertThat(NIGHT.start()).isEqualTo(LocalTime.of(21, 0));
        assertThat(NIGHT.end()).isEqualTo(LocalTime.of(8, 0));
        assertThat(LocalWindow.parse(" ")).isEmpty();
        assertThatThrownBy(() -> LocalWindow.parse("10-12")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LocalWindow.parse("10:00-10:00")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LocalWindow.parse("25:00-26:00")).isInstanceOf(IllegalArgumentException.class);
        assertThat(NIGHT.contains(LocalTime.of(23, 0))).isTrue();
        assertThat(NIGHT.contains(LocalTime.of(7, 59))).isTrue();
        assertThat(NIGHT.contains(LocalTime.of(8, 0))).isFalse();
        assertThat(TEN_TO_NOON.contains(LocalTime.of(12, 0))).isFalse();
    }

    @Test
    void theWindowIsMetInEachRecipientsOwnTimeZone() {
        // 09:00 in Moscow is 16:00 in Vladivostok.
        Instant nineMoscow = Instant.parse("2026-11-24T06:00:00Z");
        assertThat(LocalWindow.earliest(nineMoscow, MOSCOW, TEN_TO_NOON, null)).isEqualTo(Instant.parse("2026-11-24T07:00:00Z"));
        // Vladivostok's window today has passed: tomorrow 10:00 there, 00:00 UTC.
        assertThat(LocalWindow.earliest(nineMoscow, VLADIVOSTOK, TEN_TO_NOON, null)).isEqualTo(Instant.parse("2026-11-25T00:00:00Z"));
        // Inside the window already: at once.
        Instant elevenMoscow = Instant.parse("2026-11-24T08:00:00Z");
        assertThat(LocalWindow.earliest(elevenMoscow, MOSCOW, TEN_TO_NOON, null)).isEqualTo(elevenMoscow);
        // Nothing asked: at once.
        assertThat(LocalWindow.earliest(elevenMoscow, MOSCOW, null, null)).isEqualTo(elevenMoscow);
    }

    @Test
    void quietHoursWrapMidnightAndHoldUntilMorning() {
        Instant elevenPm = Instant.parse("2026-11-24T20:00:00Z"); // 23:00 Moscow
        assertThat(LocalWindow.earliest(elevenPm, MOSCOW, null, NIGHT)).isEqualTo(Instant.parse("2026-11-25T05:00:00Z"));
        Instant twoAm = Instant.parse("2026-11-24T23:00:00Z"); // 02:00 Moscow on the 25th
        assertThat(LocalWindow.earliest(twoAm, MOSCOW, null, NIGHT)).isEqualTo(Instant.parse("2026-11-25T05:00:00Z"));
        Instant noon = Instant.parse("2026-11-24T09:00:00Z");
        assertThat(LocalWindow.earliest(noon, MOSCOW, null, NIGHT)).isEqualTo(noon);
    }

    @Test
    void aWindowAndQuietHoursTogether() {
        // Window 07:00-10:00, quiet until 08:00: the letter goes at 08:00.
        LocalWindow early = LocalWindow.parse("07:00-10:00").orElseThrow();
        Instant midnight = Instant.parse("2026-11-24T21:00:00Z"); // 00:00 Moscow on the 25th
        assertThat(LocalWindow.earliest(midnight, MOSCOW, early, NIGHT)).isEqualTo(Instant.parse("2026-11-25T05:00:00Z"));
        // A window wholly inside the quiet hours: the marketer's explicit window wins.
        LocalWindow night = LocalWindow.parse("22:00-23:00").orElseThrow();
        Instant noon = Instant.parse("2026-11-24T09:00:00Z");
        assertThat(LocalWindow.earliest(noon, MOSCOW, night, NIGHT)).isEqualTo(Instant.parse("2026-11-24T19:00:00Z"));
    }

    @Test
    void aStartSkippedByTheClockChangeGoesJustAfterIt() {
        // Berlin springs forward on 2026-03-29 from 02:00 to 03:00: a 02:30 start that night is 03:30 local.
        LocalWindow w = LocalWindow.parse("02:30-04:00").orElseThrow();
        Instant evening = Instant.parse("2026-03-28T20:00:00Z");
        Instant at = LocalWindow.earliest(evening, BERLIN, w, null);
        assertThat(at).isEqualTo(Instant.parse("2026-03-29T01:30:00Z"));
        assertThat(w.contains(at.atZone(BERLIN).toLocalTime())).isTrue();
    }
}
