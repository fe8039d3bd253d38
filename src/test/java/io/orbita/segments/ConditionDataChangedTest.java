package io.orbita.segments;

import static org.assertj.core.api.Assertions.assertThat;

import io.orbita.delivery.ReturnedMailChanged;
import io.orbita.platform.WorkspaceId;
import io.orbita.tracking.EngagementRecorded;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The event registry stores publications as JSON and reads them back to re-run listeners that did not complete (after
 * a crash): the events segments listen for through {@link ConditionDataChanged} must survive that round trip whole,
 * the source included (it is a method of the type, not a stored field).
 */
class ConditionDataChangedTest {

    final JsonMapper json = JsonMapper.builder().build();

    @Test
    void eventsOfTheOwningModulesSurviveTheRegistrysRoundTrip() {
        var engaged = new EngagementRecorded(WorkspaceId.of(7), List.of(1L, 2L));
        var returned = new ReturnedMailChanged(WorkspaceId.of(7), List.of(3L));

        ConditionDataChanged e = json.readValue(json.writeValueAsString(engaged), EngagementRecorded.class);
        ConditionDataChanged r = json.readValue(json.writeValueAsString(returned), ReturnedMailChanged.class);

        assertThat(e).isEqualTo(engaged);
        assertThat(e.source()).isEqualTo(ConditionKind.Source.ENGAGEMENT);
        assertThat(r).isEqualTo(returned);
        assertThat(r.source()).isEqualTo(ConditionKind.Source.RETURNED_MAIL);
    }
}
