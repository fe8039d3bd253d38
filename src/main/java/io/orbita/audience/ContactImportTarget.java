package io.orbita.audience;

import io.orbita.platform.Bulk;
import io.orbita.platform.FieldProblem;
import io.orbita.platform.WorkspaceId;
import io.orbita.workspace.OrbitaPrincipal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** Imports contacts through the same upsert-by-email as the API: one validator, one merge, one consent history. */
@Component
class ContactImportTarget implements ImportTarget {

    static final List<Field> STANDARD = List.of(
            new Field("email", "contact.email", true, List.of("e-mail", "email", "почта", "эл. почта", "электронная почта", "адрес эл. почты", "mail")),
            new Field("lastName", "contact.lastName", false, List.of("фамилия", "last name", "surname")),
            new Field("firstName", "contact.firstName", false, List.of("имя", "first name", "name")),
            new Field("middleName", "contact.middleName", false, List.of("отчество", "middle name", "patronymic")),
            new Field("position", "contact.position", false, List.of("должность", "position", "title", "job title")),
            new Field("phone", "contact.phone", false, List.of("телефон", "phone", "тел.", "мобильный", "mobile")),
            new Field("birthday", "contact.birthday", false, List.of("день рождения", "дата рождения", "birthday", "birth date")),
            new Field("companyName", "contact.company", false, List.of("компания", "организация", "company", "organization")),
            new Field("type", "contact.type", false, List.of("тип", "type", "тип контакта")),
            new Field("sourceLabel", "contact.source", false, List.of("источник", "source")),
            new Field("tags", "contact.tags", false, List.of("теги", "tags", "метки")),
            new Field("consentStatus", "contact.consent", false, List.of("подписка", "статус подписки", "consent", "subscription")));

    private final Contacts contacts;
    private final Companies companies;
    private final CustomFields customFields;

    ContactImportTarget(Contacts contacts, Companies companies, CustomFields customFields) {
        this.contacts = contacts;
        this.companies = companies;
        this.customFields = customFields;
    }

    @Override
    public String kind() {
        return "contacts";
    }

    @Override
    public String table() {
        return "contact";
    }

    @Override
    public List<Field> fields(WorkspaceId ws) {
        List<Field> out = new ArrayList<>(STANDARD);
        for (CustomField f : customFields.list(ws, "contact")) {
            out.add(new Field("customFields." + f.key(), f.label(), false, List.of(f.key(), f.label().toLowerCase(java.util.Locale.ROOT))));
        }
        return out;
    }

    @Override
    public Result apply(OrbitaPrincipal by, Batch batch) {
        return apply(by, prepare(by, batch));
    }

    @Override
    public Prepared prepare(OrbitaPrincipal by, Batch batch) {
        Map<String, Long> companyIds = new LinkedHashMap<>();
        List<Bulk.Item<ContactInput>> items = new ArrayList<>(batch.rows().size());
        for (Row row : batch.rows()) {
            items.add(item(by, row.values(), companyIds));
        }
        return new PreparedContacts(batch, contacts.prepare(by, items, new Contacts.ImportDefaults(batch.sourceLabel(), batch.tags())));
    }

    /** The batch's rows as one bulk upsert with every address judged, waiting for its transaction. */
    private record PreparedContacts(Batch batch, ContactMerge merge) implements Prepared {
    }

    @Override
    public Result apply(OrbitaPrincipal by, Prepared prepared) {
        if (!(prepared instanceof PreparedContacts(Batch batch, ContactMerge merge))) {
            return apply(by, prepared.batch());
        }
        Bulk.Result r = contacts.bulkUpsert(by, merge, new Contacts.Origin("import",
                batch.sourceLabel() == null ? "file import" : batch.sourceLabel()));
        return ImportResults.of(r, batch);
    }

    /** One row as the API's input; a company named but not found makes it invalid. */
    private Bulk.Item<ContactInput> item(OrbitaPrincipal by, Map<String, String> v, Map<String, Long> companyIds) {
        Optional<Long> company = null;
        if (v.containsKey("companyName")) {
            Long id = companyIds.computeIfAbsent(v.get("companyName"), n -> companies.findIdByName(by.workspace(), n));
            if (id == null) {
                return Bulk.Item.invalid(List.of(FieldProblem.of("companyName", "company.unknown",
                        "no company with this name; import companies first")));
            }
            company = Optional.of(id);
        }
        Map<String, Object> custom = null;
        for (Map.Entry<String, String> e : v.entrySet()) {
            if (e.getKey().startsWith("customFields.")) {
                if (custom == null) {
                    custom = new LinkedHashMap<>();
                }
                custom.put(e.getKey().substring("customFields.".length()), e.getValue());
            }
        }
        return Bulk.Item.of(new ContactInput(opt(v, "email"), opt(v, "firstName"), opt(v, "lastName"),
                opt(v, "middleName"), opt(v, "position"), opt(v, "phone"), opt(v, "birthday"), company, type(v),
                opt(v, "sourceLabel"), null, null,
                v.containsKey("tags") ? Optional.of(Arrays.stream(v.get("tags").split("[,;]")).map(String::strip).toList()) : null,
                custom == null ? null : Optional.of(custom), opt(v, "consentStatus")));
    }

    /** Types as people write them in Russian spreadsheets, as well as the API codes. */
    private static Optional<String> type(Map<String, String> v) {
        String t = v.get("type");
        if (t == null) {
            return null;
        }
        String code = switch (t.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "частное лицо", "физ. лицо", "физлицо" -> "private_person";
            case "корпоративный клиент", "клиент", "юр. лицо", "юрлицо" -> "corporate_client";
            case "партнёр", "партнер" -> "partner";
            case "сми", "пресса" -> "media";
            case "поставщик" -> "supplier";
            default -> t.strip();
        };
        return Optional.of(code);
    }

    /** A mapped cell: absent (null) when the file has no value for it (the row's map holds no empty values). */
    private static Optional<String> opt(Map<String, String> v, String key) {
        String value = v.get(key);
        return value == null ? null : Optional.of(value);
    }
}
