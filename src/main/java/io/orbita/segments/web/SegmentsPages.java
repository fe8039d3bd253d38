package io.orbita.segments.web;

import io.orbita.platform.FieldProblem;
import io.orbita.platform.NotFoundException;
import io.orbita.platform.ValidationException;
import io.orbita.platform.WorkspaceId;
import io.orbita.segments.RuleContext;
import io.orbita.segments.Segment;
import io.orbita.segments.Segments;
import io.orbita.segments.internal.FieldCatalogue;
import io.orbita.segments.internal.RuleCompiler;
import io.orbita.workspace.Access;
import io.orbita.workspace.OrbitaPrincipal;
import io.orbita.workspace.Role;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.context.MessageSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Segment list, the builder with live count and sample, size over time, and static lists. */
@Controller
class SegmentsPages {

    private final Segments segments;
    private final RuleCompiler compiler;
    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final MessageSource messages;

    SegmentsPages(Segments segments, RuleCompiler compiler, JdbcClient jdbc, JsonMapper json, MessageSource messages) {
        this.segments = segments;
        this.compiler = compiler;
        this.jdbc = jdbc;
        this.json = json;
        this.messages = messages;
    }

    @GetMapping("/segments")
    @Access.Read
    String list(@AuthenticationPrincipal OrbitaPrincipal me, Model model) {
        model.addAttribute("segments", segments.list(me.workspace(), "rule", null, 500).items());
        model.addAttribute("lists", segments.list(me.workspace(), "list", null, 500).items());
        model.addAttribute("settings", segments.settings(me.workspace()));
        return "segments/segments";
    }

    @GetMapping("/segments/new")
    @Access.Market
    String create(@AuthenticationPrincipal OrbitaPrincipal me, Model model, Locale locale) {
        return builder(me, null, "", "{\"type\":\"and\",\"rules\":[]}", List.of(), model, locale);
    }

    @PostMapping("/segments/new")
    @Access.Market
    String save(@AuthenticationPrincipal OrbitaPrincipal me, @RequestParam(defaultValue = "") String name,
                @RequestParam(defaultValue = "") String rule, Model model, Locale locale) {
        try {
            Segment s = segments.create(me, "rule", input(name, rule));
            return "redirect:/segments/" + s.id();
        } catch (ValidationException e) {
            return builder(me, null, name, rule, e.problems(), model, locale);
        }
    }

    @GetMapping("/segments/{id}")
    @Access.Read
    String show(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id, Model model, Locale locale) {
        Segment s = segments.get(me.workspace(), "rule", id);
        return builder(me, s, s.name(), s.rule().toString(), List.of(), model, locale);
    }

    @PostMapping("/segments/{id}")
    @Access.Market
    String update(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id, @RequestParam(defaultValue = "") String name,
                  @RequestParam(required = false) String rule, Model model, Locale locale) {
        Segment s = segments.get(me.workspace(), "rule", id);
        String r = s.builtIn() != null || rule == null ? s.rule().toString() : rule;
        try {
            segments.update(me, "rule", id, input(name, r));
            return "redirect:/segments/" + id;
        } catch (ValidationException e) {
            return builder(me, s, name, r, e.problems(), model, locale);
        }
    }

    @PostMapping("/segments/{id}/delete")
    @Access.Market
    String delete(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        segments.delete(me, "rule", id);
        return "redirect:/segments";
    }

    @PostMapping("/segments/{id}/refresh")
    @Access.Market
    String refresh(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        segments.refresh(me.workspace(), id);
        return "redirect:/segments/" + id;
    }

    /** The live count and a sample while the rule is edited (htmx). */
    @PostMapping("/segments/preview")
    @Access.Read
    String preview(@AuthenticationPrincipal OrbitaPrincipal me, @RequestParam(defaultValue = "") String rule,
                   @RequestParam(required = false) Long self, Model model) {
        try {
            JsonNode node = parse(rule);
            long started = System.nanoTime();
            model.addAttribute("count", segments.count(me.workspace(), self, node));
            model.addAttribute("millis", (System.nanoTime() - started) / 1_000_000);
            model.addAttribute("sample", segments.sample(me.workspace(), self, node, 10));
            model.addAttribute("problems", List.of());
        } catch (ValidationException e) {
            model.addAttribute("problems", e.problems());
        }
        return "segments/preview :: preview";
    }

    @PostMapping("/segments/settings")
    @Access.Market
    String settings(@AuthenticationPrincipal OrbitaPrincipal me, @RequestParam(defaultValue = "") String purchaseCycleDays) {
        Integer days;
        try {
            days = Integer.valueOf(purchaseCycleDays.strip());
        } catch (NumberFormatException e) {
            days = null;
        }
        segments.changeSettings(me, days);
        return "redirect:/segments";
    }

    @PostMapping("/lists/new")
    @Access.Market
    String createList(@AuthenticationPrincipal OrbitaPrincipal me, @RequestParam(defaultValue = "") String name) {
        Segment s = segments.create(me, "list", new Segments.SegmentInput(name.strip().isEmpty() ? "—" : name.strip(), null, null));
        return "redirect:/lists/" + s.id();
    }

    @GetMapping("/lists/{id}")
    @Access.Read
    String showList(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id, @RequestParam(required = false) String cursor,
                    Model model) {
        Segment s = segments.get(me.workspace(), "list", id);
        model.addAttribute("list", s);
        model.addAttribute("page", segments.members(me.workspace(), "list", id, cursor, 100));
        return "segments/list";
    }

    @PostMapping("/lists/{id}/add")
    @Access.EditAudience
    String addToList(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id, @RequestParam(defaultValue = "") String emails,
                     Model model) {
        segments.get(me.workspace(), "list", id);
        List<String> wanted = List.of(emails.split("[\\s,;]+")).stream().map(String::strip).filter(e -> !e.isEmpty()).toList();
        List<Long> ids = wanted.isEmpty() ? List.of() : jdbc.sql("select id from contact where workspace_id = ? and lower(email) = any(cast(? as text[]))")
                .params(me.workspace().value(), wanted.stream().map(e -> e.toLowerCase(Locale.ROOT)).toArray(String[]::new))
                .query(Long.class).list();
        if (!ids.isEmpty()) {
            segments.addToList(me, id, ids);
        }
        return "redirect:/lists/" + id;
    }

    @PostMapping("/lists/{id}/delete")
    @Access.Market
    String deleteList(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        segments.delete(me, "list", id);
        return "redirect:/segments";
    }

    private Segments.SegmentInput input(String name, String rule) {
        JsonNode node = parse(rule);
        String n = name.strip();
        if (n.isEmpty() || n.length() > 200) {
            throw new ValidationException(FieldProblem.of("name", "name.required", "name must have 1 to 200 characters"));
        }
        return new Segments.SegmentInput(n, null, node);
    }

    private JsonNode parse(String rule) {
        try {
            JsonNode node = json.readTree(rule.isBlank() ? "{}" : rule);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException();
            }
            return node;
        } catch (RuntimeException e) {
            throw new ValidationException(FieldProblem.of("rule", "rule.json", "the rule is not valid JSON"));
        }
    }

    private String builder(OrbitaPrincipal me, Segment s, String name, String rule, List<FieldProblem> problems, Model model, Locale locale) {
        WorkspaceId ws = me.workspace();
        RuleContext ctx = compiler.context(ws);
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("types", compiler.types());
        schema.put("fields", FieldCatalogue.all(ctx).stream().map(f -> Map.of("name", f.name(), "type", f.type(), "options", f.options())).toList());
        Map<String, List<String>> ops = new LinkedHashMap<>();
        FieldCatalogue.OPERATORS.forEach((type, set) -> ops.put(type, FieldCatalogue.OPERATOR_ORDER.stream().filter(set::contains).toList()));
        schema.put("operators", ops);
        schema.put("rfmGroups", List.of("champions", "loyal", "promising", "needs_attention", "at_risk", "hibernating"));
        List<Map<String, Object>> refs = new ArrayList<>();
        for (String kind : List.of("list", "rule")) {
            for (Segment x : segments.list(ws, kind, null, 500).items()) {
                if (s == null || x.id() != s.id()) {
                    refs.add(Map.of("id", x.id(), "name", (kind.equals("list") ? "☰ " : "") + display(x, locale)));
                }
            }
        }
        schema.put("segments", refs);
        schema.put("products", jdbc.sql("select id, name from product where workspace_id = ? order by name limit 500").params(ws.value())
                .query((rs, n) -> Map.of("id", rs.getLong(1), "name", rs.getString(2))).list());
        model.addAttribute("categories", jdbc.sql("select distinct category from product where workspace_id = ? and category is not null order by 1 limit 300")
                .params(ws.value()).query(String.class).list());
        model.addAttribute("tags", jdbc.sql("select distinct t from (select unnest(tags) t from contact where workspace_id = ? and cardinality(tags) > 0 limit 20000) x order by 1 limit 300")
                .params(ws.value()).query(String.class).list());
        model.addAttribute("managers", jdbc.sql("select u.id, u.display_name from membership m join app_user u on u.id = m.user_id where m.workspace_id = ? order by 2")
                .params(ws.value()).query((rs, n) -> Map.of("id", rs.getLong(1), "name", rs.getString(2))).list());
        model.addAttribute("events", jdbc.sql("select distinct type from activity_event where workspace_id = ? and occurred_at > now() - interval '90 days' limit 100")
                .params(ws.value()).query(String.class).list());
        model.addAttribute("schemaJson", json.writeValueAsString(schema));
        model.addAttribute("labelsJson", json.writeValueAsString(labels(ctx, locale)));
        model.addAttribute("segment", s);
        model.addAttribute("name", s != null && name.isEmpty() ? s.name() : name);
        model.addAttribute("displayName", s == null ? "" : display(s, locale));
        model.addAttribute("rule", rule);
        model.addAttribute("problems", problems);
        if (s != null) {
            List<Segments.SizePoint> sizes = segments.sizes(ws, "rule", s.id(), 90);
            model.addAttribute("sizes", sizes);
            model.addAttribute("chart", chart(sizes));
            model.addAttribute("changes", segments.changes(ws, "rule", s.id(), 20));
            if (me.role() != null && me.role().ordinal() <= Role.ADMIN.ordinal()) {
                try {
                    model.addAttribute("compiled", segments.compiled(ws, s.id()));
                } catch (ValidationException e) {
                    model.addAttribute("compiled", null);
                }
            }
        }
        return "segments/builder";
    }

    /** A segment's name in the user's language: built-in segments have translated names. */
    String display(Segment s, Locale locale) {
        return s.builtIn() == null ? s.name() : messages.getMessage("segments.builtin." + s.builtIn(), null, s.name(), locale);
    }

    private Map<String, String> labels(RuleContext ctx, Locale locale) {
        List<String> keys = new ArrayList<>(List.of("not", "remove", "addCondition", "addGroup", "group.and", "group.or",
                "hint.any", "hint.anyProduct", "hint.ever"));
        compiler.types().forEach(t -> keys.add("type." + t));
        FieldCatalogue.OPERATOR_ORDER.forEach(o -> keys.add("op." + o));
        FieldCatalogue.all(ctx).forEach(f -> keys.add("field." + f.name()));
        for (String p : List.of("field", "direction", "days", "products", "categories", "period", "measure", "op", "value", "group",
                "state", "plans", "event", "count", "idleHours", "segment")) {
            keys.add("param." + p);
        }
        for (String v : List.of("direction.next", "direction.last", "measure.count", "measure.total", "measure.average",
                "op.at_least", "op.at_most", "op.none", "state.potential", "state.active", "state.former", "state.renews_within",
                "state.expired", "group.champions", "group.loyal", "group.promising", "group.needs_attention", "group.at_risk",
                "group.hibernating", "contactType.private_person", "contactType.corporate_client", "contactType.partner",
                "contactType.media", "contactType.supplier", "consent.subscribed", "consent.unsubscribed", "consent.bounced",
                "consent.complained")) {
            keys.add(v);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : keys) {
            String text = messages.getMessage("seg." + k, null, null, locale);
            if (text != null) {
                out.put(k, text);
            } else if (k.startsWith("field.custom.") || k.startsWith("field.company.custom.")) {
                out.put(k, k.substring(6));
            }
        }
        return out;
    }

    /** Points of an inline SVG line chart, 600×120, of the daily sizes. */
    private static String chart(List<Segments.SizePoint> sizes) {
        if (sizes.size() < 2) {
            return null;
        }
        long max = Math.max(1, sizes.stream().mapToLong(Segments.SizePoint::size).max().orElse(1));
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < sizes.size(); i++) {
            double x = 600.0 * i / (sizes.size() - 1);
            double y = 115 - 110.0 * sizes.get(i).size() / max;
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        }
        return points.toString().strip();
    }
}
