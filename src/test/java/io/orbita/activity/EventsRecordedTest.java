package io.orbita.activity;

import static org.assertj.core.api.Assertions.assertThat;

import io.orbita.platform.WorkspaceId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventsRecordedTest {

    private static ActivityEvent event(String type) {
        return new ActivityEvent(1L, type, 7L, null, Instant.parse("2026-11-23T10:00:00Z"), Map.of(), "api");
    }

    @Test
    void tellsWhetherABatchHoldsAnEventOfTheGivenTypes() {
        var batch = new EventsRecorded(WorkspaceId.of(1), List.of(event("page_viewed"), event("cart_updated")));
        assertThat(batch.includesAny("cart_updated", "order_placed")).isTrue();
        assertThat(batch.includesAny("order_placed")).isFalse();
        assertThat(new EventsRecorded(WorkspaceId.of(1), List.of()).includesAny("cart_updated")).isFalse();
    }
}
