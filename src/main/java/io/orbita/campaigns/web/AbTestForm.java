package io.orbita.campaigns.web;

import io.orbita.campaigns.Campaign;
import io.orbita.campaigns.CampaignInput;
import io.orbita.platform.Problems;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The campaign form's A/B test section as typed: five variant rows (empty ones are ignored), numbers kept as text so a
 * typo comes back as a form error next to what was typed rather than as a 400. It is checked by the same
 * {@link CampaignInput#abTest} as the API's {@code abTest}.
 *
 * @param ab "on" when the test is wanted; unticking it on an edit removes a saved test
 * @param abVariants the values of subject, from_name and send_time tests, one per row
 * @param abTemplates the template ids of a template test, one per row (a select per row)
 * @param abWaitUnit minutes or hours: abWait is read in it
 * @param abDefault the row (1 to 5) of the default variant
 */
public record AbTestForm(String ab, String abKind, List<String> abVariants, List<String> abTemplates, String abShare,
                         String abMetric, String abWait, String abWaitUnit, String abDefault) {

    static final int ROWS = 5;
    static final List<String> METRICS = List.of("open_rate", "click_rate", "revenue");

    static AbTestForm none() {
        return new AbTestForm(null, "subject", List.of(), List.of(), "20", "open_rate", "4", "hours", "1");
    }

    /** The saved test as the form shows it; the wait in hours when it is whole hours. */
    static AbTestForm of(Campaign.AbSettings a) {
        if (a == null) {
            return none();
        }
        boolean template = a.kind().equals("template");
        boolean hours = a.waitMinutes() > 0 && a.waitMinutes() % 60 == 0;
        return new AbTestForm("on", a.kind(), template ? List.of() : a.subjects(), template ? a.subjects() : List.of(),
                Integer.toString(a.share()), a.metric(), Integer.toString(hours ? a.waitMinutes() / 60 : a.waitMinutes()),
                hours ? "hours" : "minutes", Integer.toString(a.defaultVariant()));
    }

    public boolean on() {
        return "on".equals(ab) || "true".equals(ab);
    }

    public String kind() {
        return abKind == null || abKind.isBlank() ? "subject" : abKind;
    }

    /** Row {@code i} (0-based) of the text variants, "" when empty. */
    public String variant(int i) {
        return cell(abVariants, i);
    }

    /** Row {@code i} (0-based) of the template variants, "" when empty. */
    public String template(int i) {
        return cell(abTemplates, i);
    }

    /** Whether row {@code i} (0-based) is the default variant. */
    public boolean isDefault(int i) {
        return Integer.toString(i + 1).equals(abDefault == null ? "1" : abDefault.strip());
    }

    public boolean templateChosen(int i, long templateId) {
        return template(i).strip().equals(Long.toString(templateId));
    }

    public List<Integer> rows() {
        return java.util.stream.IntStream.range(0, ROWS).boxed().toList();
    }

    /**
     * The test to save: empty when not wanted (so an edit removes it); problems go to {@code p}. The default variant
     * is the chosen row counted among the filled rows, so leaving row 2 empty does not shift it; an empty chosen row
     * fails as naming no variant.
     */
    Optional<CampaignInput.AbInput> input(Problems p) {
        if (!on()) {
            return Optional.empty();
        }
        boolean template = kind().equals("template");
        List<String> values = new ArrayList<>();
        Long defaultVariant = number(abDefault);
        Long position = 0L;
        for (int i = 0; i < ROWS; i++) {
            String v = template ? template(i) : variant(i);
            if (!v.isBlank()) {
                values.add(v);
            }
            if (defaultVariant != null && defaultVariant == i + 1) {
                position = v.isBlank() ? 0L : values.size();
            }
        }
        Long wait = number(abWait);
        if (wait != null && wait > 0 && "hours".equals(abWaitUnit)) {
            wait = Math.min(wait, 1_000_000L) * 60;
        }
        return Optional.of(CampaignInput.abTest(kind(), Optional.of(values), number(abShare),
                abMetric == null || abMetric.isBlank() ? null : abMetric, wait, defaultVariant == null ? null : position, p));
    }

    private static String cell(List<String> list, int i) {
        return list == null || i >= list.size() || list.get(i) == null ? "" : list.get(i);
    }

    /** Blank: not given (the default); not a whole number: -1, which every range check refuses. */
    private static Long number(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return -1L;
        }
    }
}
