package io.orbita.tracking.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.orbita.platform.WorkspaceId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecentlyAnnouncedTest {

    static final Instant T = Instant.parse("2026-11-23T10:00:00Z");

    static Hit hit(long message, String kind, Instant at) {
        return new Hit(WorkspaceId.of(1), message, 7L, kind, null, at, "Mozilla/5.0 (X11)", "10.0.0.0/24", false, null, "pixel");
    }

    @Test
    void aRepeatOfTheSameLetterWithinHoursIsNoNewsAnythingElseIs() {
        RecentlyAnnounced recent = new RecentlyAnnounced(100);
        assertThat(recent.isNews(hit(1, Hit.OPEN, T))).isTrue();
        assertThat(recent.isNews(hit(1, Hit.OPEN, T.plus(Duration.ofHours(3))))).as("reopened").isFalse();
        assertThat(recent.isNews(hit(1, Hit.CLICK, T.plusSeconds(5)))).as("a click is another kind").isTrue();
        assertThat(recent.isNews(hit(2, Hit.OPEN, T.plusSeconds(5)))).as("another letter (another campaign)").isTrue();
        assertThat(recent.isNews(hit(1, Hit.OPEN, T.plus(RecentlyAnnounced.KEPT).plusSeconds(1)))).as("half a day later").isTrue();
    }

    @Test
    void clicksFoundToBeAScannersAndOldEntriesAreNewsAgain() {
        RecentlyAnnounced recent = new RecentlyAnnounced(2);
        recent.isNews(hit(1, Hit.CLICK, T));
        recent.forgetClicks(1, List.of(1L));
        assertThat(recent.isNews(hit(1, Hit.CLICK, T.plusSeconds(60)))).isTrue();
        recent.isNews(hit(2, Hit.OPEN, T));
        recent.isNews(hit(3, Hit.OPEN, T));
        assertThat(recent.isNews(hit(1, Hit.CLICK, T.plusSeconds(61)))).as("pushed out by newer letters").isTrue();
    }
}
