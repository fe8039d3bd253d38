package io.orbita.segments.internal;

import io.orbita.platform.WorkspaceId;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The segments every workspace has from the product brief: by contact type, by purchase activity (the purchase cycle
 * is the workspace's setting, read when the rule is compiled) and the RFM groups. They are created lazily (when
 * segments are listed, and by the periodic refresh for every workspace), so old and new workspaces get them without the
 * workspace module knowing about segments. Built-in segments can be renamed but not deleted or re-ruled.
 */
@Component
public class BuiltInSegments {

    /** Key to {English name, rule JSON}. */
    public static final Map<String, String[]> ALL = new LinkedHashMap<>();

    static {
        type("private_person", "Private persons");
        type("corporate_client", "Corporate clients");
        type("partner", "Partners");
        type("media", "Media");
        type("supplier", "Suppliers");
        ALL.put("activity_potential", new String[] {"Potential clients (no purchase yet)", "{\"type\":\"activity\",\"state\":\"potential\"}"});
        ALL.put("activity_active", new String[] {"Active clients (bought within the purchase cycle)", "{\"type\":\"activity\",\"state\":\"active\"}"});
        ALL.put("activity_former", new String[] {"Formerly active clients", "{\"type\":\"activity\",\"state\":\"former\"}"});
        rfm("champions", "RFM: champions");
        rfm("loyal", "RFM: loyal");
        rfm("promising", "RFM: promising");
        rfm("needs_attention", "RFM: need attention");
        rfm("at_risk", "RFM: at risk");
        rfm("hibernating", "RFM: hibernating");
    }

    private static void type(String code, String name) {
        ALL.put("type_" + code, new String[] {name,
                "{\"type\":\"field\",\"field\":\"contactType\",\"op\":\"eq\",\"value\":\"" + code + "\"}"});
    }

    private static void rfm(String group, String name) {
        ALL.put("rfm_" + group, new String[] {name, "{\"type\":\"rfm\",\"group\":\"" + group + "\"}"});
    }

    private final JdbcClient jdbc;
    private final Clock clock;

    BuiltInSegments(JdbcClient jdbc, Clock clock, JsonMapper json) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Creates the built-in segments the workspace lacks (not filled: see Membership#fillLater); true if it made any. */
    public boolean ensure(WorkspaceId ws) {
        long have = jdbc.sql("select count(*) from segment where workspace_id = ? and built_in is not null").params(ws.value())
                .query(Long.class).single();
        if (have >= ALL.size()) {
            return false;
        }
        Timestamp now = Timestamp.from(clock.instant());
        ALL.forEach((key, v) -> jdbc.sql("""
                        insert into segment (workspace_id, kind, name, rule, built_in, created_at, updated_at)
                        values (?, 'rule', ?, cast(? as jsonb), ?, ?, ?)
                        on conflict (workspace_id, built_in) where built_in is not null do nothing""")
                .params(ws.value(), v[0], v[1], key, now, now).update());
        return true;
    }
}
