package io.orbita.campaigns;

import io.orbita.platform.JsonInput;
import io.orbita.platform.Problems;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** A campaign as written by the API and the form; null fields are left unchanged by an update. */
public record CampaignInput(String name, String kind, List<Long> segmentIds, List<Long> excludeSegmentIds, Long templateId,
                            Optional<String> fromName, Optional<String> fromEmail, Optional<String> subject,
                            Optional<String> preheader) {

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
        j.rejectUnknown();
        CampaignInput in = new CampaignInput(name == null ? null : name.orElse(""), kind == null ? null : kind.orElse(""),
                ids(include, "segmentIds", p), ids(exclude, "excludeSegmentIds", p),
                template == null ? null : template.orElse(0L), fromName, fromEmail, subject, preheader);
        p.throwIfAny();
        return in;
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
