package io.orbita.audience;

import io.orbita.platform.Bulk;
import io.orbita.platform.WorkspaceId;
import io.orbita.workspace.OrbitaPrincipal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** Imports companies, matched by INN or else by name, through the same upsert as the API. */
@Component
class CompanyImportTarget implements ImportTarget {

    private final Companies companies;
    private final CustomFields customFields;

    CompanyImportTarget(Companies companies, CustomFields customFields) {
        this.companies = companies;
        this.customFields = customFields;
    }

    @Override
    public String kind() {
        return "companies";
    }

    @Override
    public String table() {
        return "company";
    }

    @Override
    public List<Field> fields(WorkspaceId ws) {
        List<Field> out = new ArrayList<>(List.of(
                new Field("name", "company.name", true, List.of("название", "наименование", "компания", "организация", "name", "company")),
                new Field("inn", "company.inn", false, List.of("инн", "inn", "tax id")),
                new Field("industry", "company.industry", false, List.of("отрасль", "industry", "сфера")),
                new Field("size", "company.size", false, List.of("размер", "size")),
                new Field("website", "company.website", false, List.of("сайт", "website", "web", "url")),
                new Field("foundedOn", "company.foundedOn", false, List.of("дата основания", "founded")),
                new Field("cooperationStartedOn", "company.cooperationStartedOn", false, List.of("клиент с", "начало сотрудничества", "client since"))));
        for (CustomField f : customFields.list(ws, "company")) {
            out.add(new Field("customFields." + f.key(), f.label(), false, List.of(f.key(), f.label().toLowerCase(java.util.Locale.ROOT))));
        }
        return out;
    }

    @Override
    public Result apply(OrbitaPrincipal by, Batch batch) {
        List<Bulk.Item<CompanyInput>> items = new ArrayList<>();
        for (Row row : batch.rows()) {
            Map<String, String> v = row.values();
            Map<String, Object> custom = new LinkedHashMap<>();
            v.forEach((k, value) -> {
                if (k.startsWith("customFields.")) {
                    custom.put(k.substring("customFields.".length()), value);
                }
            });
            items.add(Bulk.Item.of(new CompanyInput(opt(v, "name"), opt(v, "inn"), opt(v, "industry"), opt(v, "size"),
                    opt(v, "website"), opt(v, "foundedOn"), opt(v, "cooperationStartedOn"), null,
                    custom.isEmpty() ? null : Optional.of(custom))));
        }
        return ImportResults.of(companies.bulkUpsert(by, items), batch);
    }

    private static Optional<String> opt(Map<String, String> v, String key) {
        return v.containsKey(key) ? Optional.of(v.get(key)) : null;
    }
}
