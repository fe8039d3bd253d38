package io.orbita.campaigns;

import java.time.Instant;
import java.util.List;

/**
 * A one-off mailing: a template to segments and static lists, sent once.
 *
 * @param kind news, content, event, promo or service (service letters ignore preferences and the frequency cap)
 * @param segmentIds segments and static lists to send to; a contact in several counts once
 * @param excludeSegmentIds segments and static lists whose members get nothing
 * @param fromName the sender for recipients without a personal manager (with fromEmail); null: the campaign's author
 * @param subject Liquid subject replacing the template's, or null
 * @param state draft, scheduled, sending, paused, sent or cancelled
 * @param sendWindow each recipient gets the letter only inside this stretch of their local time ("10:00-12:00"), or
 *        null: at once
 */
public record Campaign(long id, String name, String kind, String state, List<Long> segmentIds, List<Long> excludeSegmentIds,
                       long templateId, String fromName, String fromEmail, String subject, String preheader,
                       Instant scheduledAt, Instant startedAt, Instant finishedAt, Instant createdAt, Instant updatedAt,
                       AbSettings abTest, String sendWindow) {

    /**
     * An A/B test of subjects: {@code share} percent of the recipients get the {@code subjects} (variant n is
     * subjects[n - 1]) split evenly; {@code waitMinutes} after they were queued the variant with the best
     * {@code metric} (open_rate or click_rate) goes to the rest when a two-proportion z-test at 95% finds it better
     * than every other, else {@code defaultVariant}. {@code winner} and {@code significant} are set at the decision.
     */
    public record AbSettings(List<String> subjects, int share, String metric, int waitMinutes, int defaultVariant,
                             Instant decideAt, Integer winner, Boolean significant) {
    }

    public boolean editable() {
        return state.equals("draft") || state.equals("scheduled");
    }
}
