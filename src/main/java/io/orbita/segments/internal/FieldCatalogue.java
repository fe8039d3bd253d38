package io.orbita.segments.internal;

import io.orbita.segments.RuleContext;
import io.orbita.segments.Sql;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fields a rule can test, with their types: the operators a field accepts follow from its type. Standard columns
 * of contacts and companies have fixed names; custom fields are {@code custom.<key>} and {@code company.custom.<key>},
 * typed by their definition in the workspace.
 */
public final class FieldCatalogue {

    /** How a field's value is written in SQL, given the alias of its row ({@code c} or a company alias). */
    public interface Column {
        void appendTo(Sql sql, String alias, RuleContext context);
    }

    /**
     * @param type    text, choice, number, date, boolean, id or tags
     * @param company true when the field lives on the contact's company
     */
    public record Field(String name, String type, boolean company, List<String> options, Column column, boolean custom) {
    }

    public static final Map<String, Set<String>> OPERATORS = Map.of(
            "text", Set.of("eq", "neq", "contains", "not_contains", "starts_with", "in", "not_in", "is_set", "is_not_set"),
            "choice", Set.of("eq", "neq", "in", "not_in", "is_set", "is_not_set"),
            "number", Set.of("eq", "neq", "gt", "gte", "lt", "lte", "between", "is_set", "is_not_set"),
            "date", Set.of("on", "before", "after", "between", "within_last_days", "within_next_days", "more_than_days_ago",
                    "is_set", "is_not_set"),
            "boolean", Set.of("is_true", "is_false", "is_set", "is_not_set"),
            "id", Set.of("eq", "neq", "in", "not_in", "is_set", "is_not_set"),
            "tags", Set.of("has", "has_any", "has_all", "has_none"));

    /** Operator order for pickers (the sets above are unordered). */
    public static final List<String> OPERATOR_ORDER = List.of("eq", "neq", "contains", "not_contains", "starts_with", "in",
            "not_in", "gt", "gte", "lt", "lte", "between", "on", "before", "after", "within_last_days", "within_next_days",
            "more_than_days_ago", "is_true", "is_false", "has", "has_any", "has_all", "has_none", "is_set", "is_not_set");

    private static final Map<String, Field> STANDARD = new LinkedHashMap<>();

    static {
        column("email", "text", false, "email");
        column("firstName", "text", false, "first_name");
        column("lastName", "text", false, "last_name");
        column("middleName", "text", false, "middle_name");
        column("position", "text", false, "position");
        column("phone", "text", false, "phone");
        column("birthday", "date", false, "birthday");
        choice("contactType", false, "contact_type", "private_person", "corporate_client", "partner", "media", "supplier");
        column("source", "text", false, "source_label");
        choice("sourceKind", false, "source_kind", "import", "form", "api", "manual", "offline_event");
        choice("consent", false, "consent_status", "subscribed", "unsubscribed", "bounced", "complained");
        column("manager", "id", false, "manager_id");
        column("company", "id", false, "company_id");
        column("tags", "tags", false, "tags");
        STANDARD.put("createdAt", new Field("createdAt", "date", false, List.of(),
                (sql, a, ctx) -> sql.append("(" + a + ".created_at at time zone ").bind(ctx.zone().getId()).append(")::date"), false));
        column("company.name", "text", true, "name");
        column("company.inn", "text", true, "inn");
        column("company.industry", "text", true, "industry");
        choice("company.size", true, "size", "micro", "small", "medium", "large", "enterprise");
        column("company.website", "text", true, "website");
        column("company.foundedOn", "date", true, "founded_on");
        column("company.cooperationStartedOn", "date", true, "cooperation_started_on");
        column("company.manager", "id", true, "manager_id");
    }

    private FieldCatalogue() {
    }

    private static void column(String name, String type, boolean company, String column) {
        STANDARD.put(name, new Field(name, type, company, List.of(), (sql, a, ctx) -> sql.append(a + "." + column), false));
    }

    private static void choice(String name, boolean company, String column, String... options) {
        STANDARD.put(name, new Field(name, "choice", company, List.of(options), (sql, a, ctx) -> sql.append(a + "." + column), false));
    }

    /** The field by name, or null when the workspace has no such field. */
    public static Field find(String name, RuleContext context) {
        Field standard = STANDARD.get(name);
        if (standard != null) {
            return standard;
        }
        boolean company = name.startsWith("company.custom.");
        String key = company ? name.substring("company.custom.".length()) : name.startsWith("custom.") ? name.substring(7) : null;
        if (key == null) {
            return null;
        }
        String type = (company ? context.companyFields() : context.contactFields()).get(key);
        if (type == null) {
            return null;
        }
        List<String> options = (company ? context.companyOptions() : context.contactOptions()).getOrDefault(key, List.of());
        Column col = switch (type) {
            case "number" -> (sql, a, ctx) -> sql.append("(case when jsonb_typeof(" + a + ".custom_fields -> ").bind(key)
                    .append(") = 'number' then (" + a + ".custom_fields ->> ").bind(key).append(")::numeric end)");
            case "date" -> (sql, a, ctx) -> sql.append("(case when (" + a + ".custom_fields ->> ").bind(key)
                    .append(") ~ '^\\d{4}-\\d{2}-\\d{2}$' then (" + a + ".custom_fields ->> ").bind(key).append(")::date end)");
            case "boolean" -> (sql, a, ctx) -> sql.append("(case when jsonb_typeof(" + a + ".custom_fields -> ").bind(key)
                    .append(") = 'boolean' then (" + a + ".custom_fields ->> ").bind(key).append(")::boolean end)");
            default -> (sql, a, ctx) -> sql.append("(" + a + ".custom_fields ->> ").bind(key).append(")");
        };
        return new Field(name, type, company, options, col, true);
    }

    /** Every field of the workspace, for the builder's field picker. */
    public static List<Field> all(RuleContext context) {
        List<Field> out = new ArrayList<>(STANDARD.values());
        context.contactFields().keySet().forEach(k -> out.add(find("custom." + k, context)));
        context.companyFields().keySet().forEach(k -> out.add(find("company.custom." + k, context)));
        return out;
    }
}
