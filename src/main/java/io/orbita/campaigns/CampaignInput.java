package io.orbita.campaigns;

import io.orbita.platform.JsonInput;
import io.orbita.platform.Problems;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** A campaign as written by the API and the form; null fields are left unchanged by an update. */
public record CampaignInput(String name, String kind, List<Long> segmentIds, List<Long> excludeSegmentIds, Long templateId,
                            Optional<String> fromName, Optional<String> fromEmail, Optional<String> subject,
                            Optional<String> preheader, Optional<AbInput> abTest) {

    /**
     * An A/B test as written: 2 to 5 variants (values of {@code kind}: subject, from_name, template, send_time), share 2
     * to 90 percent, metric, minutes to wait, default variant.
     */
    public record AbInput(List<String> subjects, int share, String metric, int waitMinutes, int defaultVariant, String kind) {

        public AbInput(List<String> subjects, int share, String metric, int waitMinutes, int defaultVariant) {
            this(subjects, share, metric, waitMinutes, defaultVariant, "subject");
        }
    }

    public static final List<String> AB_KINDS = List.of("subject", "from_name", "template", "send_time");

    public static CampaignInput fromJson(JsonNode body) {
        Problems p = new Problems();
        JsonInput j = JsonInput.of(body, p);
        Optional<String> name = j.text("name");
        Optional<String> kind = j.text("kind");
        Optional<List<String>> include = j.strings("segmentIds");
        Optional<List<String>> exclude = j.strings("excludeSegmentIds");
        Optional<Long> template = j.id("templateId");
        Optional<String> fromName = j.text("fromName");
        Optional<String> fromEmail = j.text("fromEmail");
        Optional<String> subject = j.text("subject");
        Optional<String> preheader = j.text("preheader");
        Optional<Map<String, Object>> ab = j.object("abTest");
        j.rejectUnknown();
        Optional<AbInput> abTest = null;
        if (ab != null) {
            abTest = ab.isEmpty() ? Optional.empty() : Optional.ofNullable(ab(body.get("abTest"), p));
        }
        CampaignInput in = new CampaignInput(name == null ? null : name.orElse(""), kind == null ? null : kind.orElse(""),
                ids(include, "segmentIds", p), ids(exclude, "excludeSegmentIds", p),
                template == null ? null : template.orElse(0L), fromName, fromEmail, subject, preheader, abTest);
        p.throwIfAny();
        return in;
    }

    private static AbInput ab(JsonNode node, Problems p) {
        JsonInput j = JsonInput.of(node, p).nested(node, "abTest.");
        Optional<String> kindRaw = j.text("kind");
        Optional<List<String>> subjects = j.strings("subjects");
        Optional<List<String>> variants = j.strings("variants");
        Optional<Long> share = j.id("share");
        Optional<String> metric = j.text("metric");
        Optional<Long> wait = j.id("waitMinutes");
        Optional<Long> def = j.id("defaultVariant");
        j.rejectUnknown();
        return abTest(kindRaw == null ? null : kindRaw.orElse(""), variants != null ? variants : subjects,
                share == null ? null : share.orElse(0L), metric == null ? null : metric.orElse(""),
                wait == null ? null : wait.orElse(-1L), def == null ? null : def.orElse(0L), p);
    }

    /**
     * Checks an A/B test as written by the API or the form, adding what is wrong to {@code p} under {@code abTest.*}.
     * Null arguments were not given and take their defaults (kind subject, share 20, open_rate, 240 minutes, variant
     * 1); the form passes numbers it could not read as out-of-range values so they fail with the API's message.
     *
     * @param variants the variants' values (subjects, sender names, template ids or local times HH:MM), or null
     */
    public static AbInput abTest(String kindRaw, Optional<List<String>> variants, Long share, String metric, Long waitMinutes,
                                 Long defaultVariant, Problems p) {
        String kind = kindRaw == null ? "subject" : kindRaw.strip();
        if (!AB_KINDS.contains(kind)) {
            p.add("abTest.kind", "campaign.ab.kind", "abTest.kind must be one of " + String.join(", ", AB_KINDS));
        }
        List<String> s = variants == null ? List.of() : variants.orElse(List.of()).stream().map(String::strip).toList();
        if (s.size() < 2 || s.size() > 5 || s.stream().anyMatch(x -> x.isEmpty() || x.length() > 500)) {
            p.add("abTest.variants", "campaign.ab.subjects", "abTest.variants (or subjects) must have 2 to 5 values of 1 to 500 characters");
        } else if (kind.equals("template") && s.stream().anyMatch(x -> !x.matches("\\d{1,18}"))) {
            p.add("abTest.variants", "campaign.ab.template", "abTest.variants of kind template must be template ids");
        } else if (kind.equals("send_time") && s.stream().anyMatch(x -> !x.matches("([01]?\\d|2[0-3]):[0-5]\\d"))) {
            p.add("abTest.variants", "campaign.ab.time", "abTest.variants of kind send_time must be local times HH:MM");
        } else if (kind.equals("from_name") && s.stream().anyMatch(x -> x.length() > 200 || x.chars().anyMatch(Character::isISOControl))) {
            p.add("abTest.variants", "campaign.ab.fromName", "abTest.variants of kind from_name must be one line of at most 200 characters");
        }
        long sh = share == null ? 20 : share;
        if (sh < 2 || sh > 90) {
            p.add("abTest.share", "campaign.ab.share", "abTest.share must be 2 to 90 (percent of the recipients)");
        }
        String m = metric == null ? "open_rate" : metric;
        if (!m.equals("open_rate") && !m.equals("click_rate") && !m.equals("revenue")) {
            p.add("abTest.metric", "campaign.ab.metric", "abTest.metric must be open_rate, click_rate or revenue");
        }
        long w = waitMinutes == null ? 240 : waitMinutes;
        if (w < 0 || w > 10080) {
            p.add("abTest.waitMinutes", "campaign.ab.wait", "abTest.waitMinutes must be 0 to 10080");
        }
        long d = defaultVariant == null ? 1 : defaultVariant;
        if (d < 1 || d > Math.max(2, s.size())) {
            p.add("abTest.defaultVariant", "campaign.ab.default", "abTest.defaultVariant must name a variant (1 to the number of subjects)");
        }
        return new AbInput(kind.equals("send_time") ? s.stream().map(x -> x.length() == 4 ? "0" + x : x).toList() : s,
                (int) Math.clamp(sh, 0, 100), m, (int) Math.clamp(w, -1, 100_000), (int) Math.clamp(d, 0, 10), kind);
    }

    private static List<Long> ids(Optional<List<String>> raw, String field, Problems p) {
        if (raw == null) {
            return null;
        }
        List<Long> out = new ArrayList<>();
        for (String s : raw.orElse(List.of())) {
            if (!s.strip().matches("\\d{1,18}")) {
                p.add(field, "json.type", field + " must be an array of ids");
                return null;
            }
            long id = Long.parseLong(s.strip());
            if (!out.contains(id)) {
                out.add(id);
            }
        }
        return out;
    }
}
