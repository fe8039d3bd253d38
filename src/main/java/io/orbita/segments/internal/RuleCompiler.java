package io.orbita.segments.internal;

import io.orbita.audience.CustomField;
import io.orbita.audience.CustomFields;
import io.orbita.platform.FieldProblem;
import io.orbita.platform.Problems;
import io.orbita.platform.ValidationException;
import io.orbita.platform.WorkspaceId;
import io.orbita.segments.ConditionKind;
import io.orbita.segments.ConditionNode;
import io.orbita.segments.Predicate;
import io.orbita.segments.RuleContext;
import io.orbita.segments.Segment;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Reads a rule tree, checks every node and compiles it into one predicate about the contact {@code c}. Groups:
 * {@code {"type": "and"|"or", "rules": [...]}} and {@code {"type": "not", "rule": {...}}}; membership:
 * {@code {"type": "segment", "segment": id}} (a rule segment is inlined, so it is always current; a list is read from
 * its members; cycles are refused); any other type is a {@link ConditionKind}. Problems name the path of the node,
 * e.g. {@code rule.rules[1].rules[0].op}.
 */
@Component
public class RuleCompiler {

    public static final int MAX_DEPTH = 10;
    public static final int MAX_NODES = 300;

    private final Map<String, ConditionKind> kinds = new LinkedHashMap<>();
    private final SegmentStore segments;
    private final CustomFields customFields;
    private final JdbcClient jdbc;
    private final Clock clock;

    RuleCompiler(List<ConditionKind> kinds, SegmentStore segments, CustomFields customFields, JdbcClient jdbc, Clock clock) {
        kinds.forEach(k -> this.kinds.put(k.type(), k));
        this.segments = segments;
        this.customFields = customFields;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The condition types the compiler knows (groups and membership included). */
    public List<String> types() {
        List<String> out = new ArrayList<>(List.of("and", "or", "not", "segment"));
        out.addAll(kinds.keySet());
        return out;
    }

    /** Today, the time zone, the custom fields and the purchase cycle of the workspace, read once per compilation. */
    public RuleContext context(WorkspaceId ws) {
        String zone = jdbc.sql("select time_zone from workspace where id = ?").params(ws.value()).query(String.class).optional()
                .orElse("Europe/Moscow");
        ZoneId zoneId;
        try {
            zoneId = ZoneId.of(zone);
        } catch (RuntimeException e) {
            zoneId = ZoneId.of("Europe/Moscow");
        }
        int cycle = jdbc.sql("select purchase_cycle_days from segment_settings where workspace_id = ?").params(ws.value())
                .query(Integer.class).optional().orElse(180);
        Map<String, String> contactTypes = new HashMap<>();
        Map<String, List<String>> contactOptions = new HashMap<>();
        Map<String, String> companyTypes = new HashMap<>();
        Map<String, List<String>> companyOptions = new HashMap<>();
        for (CustomField f : customFields.list(ws, "contact")) {
            contactTypes.put(f.key(), f.type().code());
            contactOptions.put(f.key(), f.options());
        }
        for (CustomField f : customFields.list(ws, "company")) {
            companyTypes.put(f.key(), f.type().code());
            companyOptions.put(f.key(), f.options());
        }
        var now = clock.instant();
        return new RuleContext(ws, zoneId, now, now.atZone(zoneId).toLocalDate(), contactTypes, contactOptions,
                companyTypes, companyOptions, cycle, false);
    }

    /**
     * @param self the segment the rule belongs to (null for a rule not yet saved), for cycle detection
     * @param path where the rule sits in the request body, e.g. {@code rule}
     * @throws ValidationException listing every invalid node by its path
     */
    public Predicate compile(RuleContext context, Long self, JsonNode rule, String path) {
        Problems problems = new Problems();
        List<Long> stack = new ArrayList<>();
        if (self != null) {
            stack.add(self);
        }
        int[] nodes = {0};
        Predicate p = node(rule, path, 0, context, problems, stack, nodes);
        problems.throwIfAny();
        return p;
    }

    private Predicate node(JsonNode n, String path, int depth, RuleContext ctx, Problems problems, List<Long> stack, int[] nodes) {
        if (++nodes[0] > MAX_NODES) {
            if (nodes[0] == MAX_NODES + 1) {
                problems.add(path, "rule.tooBig", "a rule may have at most " + MAX_NODES + " nodes", MAX_NODES);
            }
            return null;
        }
        if (n == null || !n.isObject()) {
            problems.add(path, "rule.node", "each rule node must be an object with a type");
            return null;
        }
        JsonNode typeNode = n.get("type");
        String type = typeNode != null && typeNode.isString() ? typeNode.asString() : null;
        if (type == null) {
            problems.add(path.isEmpty() ? "type" : path + ".type", "rule.required", "type is required", "type");
            return null;
        }
        ConditionNode node = new ConditionNode(n, path, problems);
        switch (type) {
            case "and", "or": {
                JsonNode rules = node.raw("rules");
                node.finish();
                if (rules == null || !rules.isArray()) {
                    node.problem("rules", "rule.rules", "a group needs rules: an array of rule nodes");
                    return null;
                }
                if (depth >= MAX_DEPTH) {
                    node.problem("rules", "rule.tooDeep", "groups may be nested at most " + MAX_DEPTH + " deep", MAX_DEPTH);
                    return null;
                }
                List<Predicate> children = new ArrayList<>();
                for (int i = 0; i < rules.size(); i++) {
                    children.add(node(rules.get(i), node.path("rules[" + i + "]"), depth + 1, ctx, problems, stack, nodes));
                }
                if (children.contains(null) || !node.ok()) {
                    return null;
                }
                boolean and = type.equals("and");
                return sql -> {
                    if (children.isEmpty()) {
                        // An empty "and" is everyone (a new segment in the builder), an empty "or" nobody.
                        sql.append(and ? "true" : "false");
                        return;
                    }
                    sql.append("(");
                    for (int i = 0; i < children.size(); i++) {
                        if (i > 0) {
                            sql.append(and ? " and " : " or ");
                        }
                        children.get(i).appendTo(sql);
                    }
                    sql.append(")");
                };
            }
            case "not": {
                JsonNode inner = node.raw("rule");
                node.finish();
                if (inner == null) {
                    node.problem("rule", "rule.required", "not needs a rule", "rule");
                    return null;
                }
                if (depth >= MAX_DEPTH) {
                    node.problem("rule", "rule.tooDeep", "groups may be nested at most " + MAX_DEPTH + " deep", MAX_DEPTH);
                    return null;
                }
                Predicate child = node(inner, node.path("rule"), depth + 1, ctx, problems, stack, nodes);
                if (child == null || !node.ok()) {
                    return null;
                }
                // A condition on an empty field is null ("unknown"); counting it as false here makes "not" the exact
                // complement of what the inner rule selects.
                return sql -> {
                    sql.append("not coalesce((");
                    child.appendTo(sql);
                    sql.append("), false)");
                };
            }
            case "segment":
                return membership(node, ctx, problems, stack, depth, nodes);
            default: {
                ConditionKind kind = kinds.get(type);
                if (kind == null) {
                    node.problem("type", "rule.unknownType", "unknown condition type '" + type + "'", type);
                    return null;
                }
                Predicate p = kind.read(node, ctx);
                return node.ok() ? p : null;
            }
        }
    }

    /**
     * Whether a change of this source can change the rule's answer for a contact (through referenced segments too).
     * Null source: a list's members changed, which only rules with membership conditions read.
     */
    public boolean reactsTo(WorkspaceId ws, JsonNode rule, ConditionKind.Source source) {
        java.util.Set<String> types = typesOf(ws, rule);
        for (String type : types) {
            // Conditions that react to nothing are relative to all contacts (RFM quintiles): a segment using one is
            // as costly to evaluate for one contact as for all, so it follows the periodic refresh only.
            if (kinds.containsKey(type) && kinds.get(type).reactsTo().isEmpty()) {
                return false;
            }
        }
        if (source == ConditionKind.Source.CONTACT) {
            // A new contact can enter any segment ("no purchase yet", "has not visited"), so contact changes reach all.
            return true;
        }
        for (String type : types) {
            if (source == null ? type.equals("segment") : kinds.containsKey(type) && kinds.get(type).reactsTo().contains(source)) {
                return true;
            }
        }
        return false;
    }

    /** Every condition type a rule uses, through the segments it refers to, so a change re-evaluates only the segments it can affect. */
    public java.util.Set<String> typesOf(WorkspaceId ws, JsonNode rule) {
        java.util.Set<String> out = new java.util.HashSet<>();
        collect(ws, rule, out, new java.util.HashSet<>());
        return out;
    }

    private void collect(WorkspaceId ws, JsonNode n, java.util.Set<String> out, java.util.Set<Long> seen) {
        if (n == null) {
            return;
        }
        if (n.isArray()) {
            n.forEach(x -> collect(ws, x, out, seen));
            return;
        }
        if (!n.isObject()) {
            return;
        }
        JsonNode type = n.get("type");
        if (type != null && type.isString()) {
            out.add(type.asString());
            if (type.asString().equals("segment") && n.path("segment").canConvertToLong() && seen.add(n.path("segment").asLong())) {
                segments.find(ws, n.path("segment").asLong()).filter(x -> !x.isList()).ifPresent(x -> collect(ws, x.rule(), out, seen));
            }
        }
        collect(ws, n.get("rules"), out, seen);
        collect(ws, n.get("rule"), out, seen);
    }

    private Predicate membership(ConditionNode node, RuleContext ctx, Problems problems, List<Long> stack, int depth, int[] nodes) {
        List<Long> ids = node.ids("segment", true);
        node.finish();
        if (ids == null || !node.ok()) {
            return null;
        }
        long id = ids.getFirst();
        Segment target = segments.find(ctx.workspace(), id).orElse(null);
        if (target == null) {
            node.problem("segment", "rule.segmentUnknown", "no segment or list " + id + " in this workspace", id);
            return null;
        }
        if (target.isList()) {
            return sql -> sql.append("exists (select 1 from segment_member sm where sm.workspace_id = c.workspace_id and sm.segment_id = ")
                    .bind(id).append(" and sm.contact_id = c.id)");
        }
        if (stack.contains(id)) {
            node.problem("segment", "rule.cycle", "segment " + id + " refers back to itself through membership conditions", id);
            return null;
        }
        stack.add(id);
        Problems inner = new Problems();
        Predicate p = node(target.rule(), "", depth + 1, ctx, inner, stack, nodes);
        stack.removeLast();
        if (!inner.isEmpty()) {
            FieldProblem first = inner.list().getFirst();
            if (first.code().equals("rule.cycle")) {
                node.problem("segment", "rule.cycle", "segment " + id + " refers back to this one through membership conditions", id);
            } else {
                node.problem("segment", "rule.segmentInvalid", "the rule of segment " + id + " is invalid: " + first.message(), id);
            }
            return null;
        }
        return sql -> {
            sql.append("(");
            p.appendTo(sql);
            sql.append(")");
        };
    }
}
