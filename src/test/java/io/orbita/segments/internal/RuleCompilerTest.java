package io.orbita.segments.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orbita.platform.FieldProblem;
import io.orbita.platform.ValidationException;
import io.orbita.platform.WorkspaceId;
import io.orbita.segments.ConditionKind;
import io.orbita.segments.RuleContext;
import io.orbita.segments.Sql;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The compiler without a database: rule values only ever become bind parameters, and problems name their node. */
class RuleCompilerTest {

    static final String EVIL = "x'); drop table contact; --";

    final JsonMapper json = JsonMapper.builder().build();
    final RuleContext ctx = new RuleContext(WorkspaceId.of(7), ZoneId.of("Europe/Moscow"), Instant.parse("2026-11-23T10:00:00Z"),
            LocalDate.parse("2026-11-23"), Map.of("loyalty", "choice", "note", "text"), Map.of("loyalty", List.of("gold")),
            Map.of(), Map.of(), 180, false);

    RuleCompiler compiler() {
        List<ConditionKind> kinds = new ArrayList<>();
        PurchaseConditions p = new PurchaseConditions();
        BehaviourConditions b = new BehaviourConditions();
        kinds.addAll(List.of(new FieldConditions(), new DateConditions(), p.boughtCondition(), p.ordersCondition(),
                p.lastPurchaseCondition(), p.activityCondition(), p.rfmCondition(), b.contractCondition(), b.eventCondition(),
                b.abandonedCartCondition(Duration.ofHours(1))));
        return new RuleCompiler(kinds, null, null, null, null);
    }

    @Test
    void ruleValuesNeverReachTheSqlText() {
        String rule = """
                {"type":"or","rules":[
                  {"type":"field","field":"firstName","op":"contains","value":"%1$s"},
                  {"type":"field","field":"custom.note","op":"eq","value":"%1$s"},
                  {"type":"field","field":"tags","op":"has_any","values":["%1$s"]},
                  {"type":"field","field":"company.industry","op":"in","values":["%1$s"]},
                  {"type":"bought","categories":["%1$s"],"period":{"lastDays":30}},
                  {"type":"contract","state":"active","plans":["%1$s"]},
                  {"type":"not","rule":{"type":"event","event":"%1$s","properties":{"path":"%1$s"},"count":2}}]}""".formatted(EVIL);
        Sql sql = new Sql();
        compiler().compile(ctx, null, json.readTree(rule), "rule").appendTo(sql);
        assertThat(sql.text()).doesNotContainIgnoringCase("drop table").contains("c.workspace_id");
        assertThat(sql.params()).anySatisfy(p -> assertThat(String.valueOf(p)).contains("drop table"));
        assertThat(sql.params()).contains(7L);
        assertThat(sql.text().chars().filter(c -> c == '?').count()).isEqualTo(sql.params().size());
    }

    @Test
    void everyProblemIsReportedAtItsPath() {
        String rule = """
                {"type":"and","rules":[
                  {"type":"field","field":"custom.loyalty","op":"eq","value":"platinum"},
                  {"type":"or","rules":[{"type":"orders","measure":"count","op":"between","min":5,"max":2}]},
                  {"type":"not","rule":{"type":"anniversary","field":"email","direction":"next","days":400}},
                  {"type":"event","period":{"lastDays":0}},
                  {"type":"and"}]}""";
        assertThatThrownBy(() -> compiler().compile(ctx, null, json.readTree(rule), "rule"))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems()).extracting(FieldProblem::field)
                        .containsExactlyInAnyOrder("rule.rules[0].value", "rule.rules[1].rules[0].max", "rule.rules[2].rule.field",
                                "rule.rules[2].rule.days", "rule.rules[3].event", "rule.rules[3].period.lastDays", "rule.rules[4].rules"));
    }

    @Test
    void aModuleAddsAConditionKindByDeclaringABean() {
        // What the tracking module will do for "opened any mailing within N days": a bean, unknown to the compiler.
        ConditionKind opened = new ConditionKind() {
            @Override
            public String type() {
                return "opened";
            }

            @Override
            public io.orbita.segments.Predicate read(io.orbita.segments.ConditionNode node, RuleContext context) {
                Integer days = node.integer("days", 1, 3650, true);
                node.finish();
                return days == null ? null : sql -> sql.append("exists (select 1 from mail_open mo where mo.workspace_id = c.workspace_id"
                        + " and mo.contact_id = c.id and mo.at >= ").bind(java.sql.Timestamp.from(context.startOf(context.today().minusDays(days)))).append(")");
            }

            @Override
            public java.util.Set<Source> reactsTo() {
                return java.util.Set.of(Source.EVENTS);
            }
        };
        RuleCompiler compiler = new RuleCompiler(List.of(new FieldConditions(), opened), null, null, null, null);
        Sql sql = new Sql();
        compiler.compile(ctx, null, json.readTree("{\"type\":\"not\",\"rule\":{\"type\":\"opened\",\"days\":30}}"), "rule").appendTo(sql);
        assertThat(sql.text()).isEqualTo("not coalesce((exists (select 1 from mail_open mo where mo.workspace_id = c.workspace_id"
                + " and mo.contact_id = c.id and mo.at >= ?)), false)");
        assertThat(compiler.types()).contains("opened");
        assertThatThrownBy(() -> compiler.compile(ctx, null, json.readTree("{\"type\":\"opened\"}"), "rule"))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems().getFirst().field()).isEqualTo("rule.days"));
    }

    @Test
    void tooDeepRulesAreRefused() {
        String rule = "{\"type\":\"bought\"}";
        for (int i = 0; i < RuleCompiler.MAX_DEPTH + 1; i++) {
            rule = "{\"type\":\"not\",\"rule\":" + rule + "}";
        }
        String deep = rule;
        assertThatThrownBy(() -> compiler().compile(ctx, null, json.readTree(deep), "rule"))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems().getFirst().code()).isEqualTo("rule.tooDeep"));
    }
}
