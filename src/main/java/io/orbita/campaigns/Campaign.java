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
     * An A/B test: {@code share} percent of the recipients get the variants split evenly; variant n is
     * {@code subjects[n - 1]}, a value of the {@code kind} tested: subject (a Liquid subject), from_name (a sender
     * name), template (a template id: other content) or send_time (a local time HH:MM at which that variant's letters
     * go, in each recipient's time zone). {@code waitMinutes} after the test letters went out the variant with the best
     * {@code metric} (open_rate, click_rate or revenue: attributed revenue per delivered letter) goes to the rest when it
     * beats every other significantly at 95% (two-proportion z-test for rates, Welch's t-test for revenue), else
     * {@code defaultVariant}. {@code winner} and {@code significant} are set at the decision.
     */
    public record AbSettings(List<String> subjects, int share, String metric, int waitMinutes, int defaultVariant,
                             Instant decideAt, Integer winner, Boolean significant, String kind) {

        public AbSettings(List<String> subjects, int share, String metric, int waitMinutes, int defaultVariant,
                          Instant decideAt, Integer winner, Boolean significant) {
            this(subjects, share, metric, waitMinutes, defaultVariant, decideAt, winner, significant, "subject");
        }

        /** The value of variant {@code n} (1-based) when the test is of {@code kind}, else null. */
        public String value(String kind, Integer n) {
            return n == null || !this.kind.equals(kind) ? null : subjects.get(n - 1);
        }
    }

    public boolean editable() {
        return state.equals("draft") || state.equals("scheduled");
    }
}
