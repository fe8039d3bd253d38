package io.orbita.audience;

import io.orbita.audience.Company.CompanyData;
import io.orbita.platform.Bulk;
import io.orbita.platform.ConflictException;
import io.orbita.platform.Cursor;
import io.orbita.platform.FieldProblem;
import io.orbita.platform.NotFoundException;
import io.orbita.platform.Page;
import io.orbita.platform.Problems;
import io.orbita.platform.ValidationException;
import io.orbita.platform.WorkspaceId;
import io.orbita.workspace.AuditLog;
import io.orbita.workspace.OrbitaPrincipal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The client companies of a workspace. Upserts match by INN when given, otherwise by name (case-insensitive). */
@Service
public class Companies {

    public static final int MAX_BULK = 1000;
    static final String SIZES = Arrays.stream(CompanySize.values()).map(CompanySize::code).collect(Collectors.joining(", "));

    private final CompanyStore store;
    private final ContactStore contacts;
    private final CustomFields customFields;
    private final AuditLog audit;
    private final Clock clock;

    Companies(CompanyStore store, ContactStore contacts, CustomFields customFields, AuditLog audit, Clock clock) {
        this.store = store;
        this.contacts = contacts;
        this.customFields = customFields;
        this.audit = audit;
        this.clock = clock;
    }

    public Company get(WorkspaceId ws, long id) {
        return store.find(ws, id).orElseThrow(() -> new NotFoundException("company", id));
    }

    public Page<Company> list(WorkspaceId ws, String q, String inn, Long managerId, String cursor, int limit) {
        return Page.of(store.list(ws, q, inn, managerId, Cursor.decode(cursor), limit + 1), limit, Company::id);
    }

    public long count(WorkspaceId ws) {
        return store.count(ws);
    }

    public boolean exists(WorkspaceId ws, long id) {
        return !contacts.existingCompanies(ws, List.of(id)).isEmpty();
    }

    /** The id of the company with exactly this name (case-insensitive), or null. */
    public Long findIdByName(WorkspaceId ws, String name) {
        return store.findByName(ws, name).map(Company::id).orElse(null);
    }

    public List<Map.Entry<Long, String>> suggest(WorkspaceId ws, String prefix) {
        return store.suggest(ws, prefix, 20);
    }

    @Transactional
    public Company create(OrbitaPrincipal by, CompanyInput in) {
        CompanyData data = validate(by.workspace(), CompanyData.empty(), in);
        requireUniqueInn(by.workspace(), data.inn(), null);
        long id = store.insert(by.workspace(), data, clock.instant());
        audit.record(by, "company.created", "company", id, Map.of("name", data.name()));
        return get(by.workspace(), id);
    }

    @Transactional
    public Company update(OrbitaPrincipal by, long id, CompanyInput in) {
        Company current = get(by.workspace(), id);
        CompanyData data = validate(by.workspace(), current.data(), in);
        requireUniqueInn(by.workspace(), data.inn(), id);
        if (!data.equals(current.data())) {
            store.update(by.workspace(), id, data, clock.instant());
            audit.record(by, "company.updated", "company", id, Map.of("name", data.name()));
        }
        return get(by.workspace(), id);
    }

    @Transactional
    public void delete(OrbitaPrincipal by, long id) {
        Company c = get(by.workspace(), id);
        store.delete(by.workspace(), id);
        audit.record(by, "company.deleted", "company", id, Map.of("name", c.name()));
    }

    /** Creates or updates the company with the input's INN, or else its name. */
    @Transactional
    public Bulk.ItemResult upsert(OrbitaPrincipal by, CompanyInput in) {
        Bulk.ItemResult r = upsertItem(by, 0, in);
        if (!r.errors().isEmpty()) {
            throw new ValidationException(r.errors());
        }
        return r;
    }

    /** Upserts up to {@value #MAX_BULK} companies; each item succeeds or fails on its own. */
    @Transactional
    public Bulk.Result bulkUpsert(OrbitaPrincipal by, List<Bulk.Item<CompanyInput>> inputs) {
        if (inputs.size() > MAX_BULK) {
            throw new ValidationException(FieldProblem.of("items", "bulk.tooMany", "at most " + MAX_BULK + " items per call", MAX_BULK));
        }
        return Bulk.each(inputs, (i, in) -> upsertItem(by, i, in));
    }

    private Bulk.ItemResult upsertItem(OrbitaPrincipal by, int index, CompanyInput in) {
        if (in == null) {
            return Bulk.ItemResult.error(index, List.of(FieldProblem.of("", "item.null", "item must be an object")));
        }
        String inn = in.inn() == null ? null : in.inn().map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
        String name = in.name() == null ? null : in.name().map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
        Optional<Company> existing = inn != null ? store.findByInn(by.workspace(), inn)
                : name != null ? store.findByName(by.workspace(), name) : Optional.empty();
        try {
            if (existing.isPresent()) {
                Company before = existing.get();
                Company after = update(by, before.id(), in);
                boolean changed = !after.data().equals(before.data());
                return new Bulk.ItemResult(index, changed ? "updated" : "unchanged", after.id(), List.of());
            }
            return new Bulk.ItemResult(index, "created", create(by, in).id(), List.of());
        } catch (ValidationException e) {
            return Bulk.ItemResult.error(index, e.problems());
        } catch (ConflictException e) {
            return Bulk.ItemResult.error(index, List.of(e.problem()));
        }
    }

    private CompanyData validate(WorkspaceId ws, CompanyData base, CompanyInput in) {
        Problems p = new Problems();
        LocalDate today = LocalDate.now(clock.withZone(ZoneId.of("Europe/Moscow")));
        String name = FieldRules.text(in.name(), base.name(), "name", FieldRules.MAX_TEXT, p);
        if (name == null && p.isEmpty()) {
            p.add("name", "field.required", "name is required");
        }
        String inn = FieldRules.text(in.inn(), base.inn(), "inn", 12, p);
        if (in.inn() != null && inn != null && !Inn.isValid(inn)) {
            p.add("inn", "inn.invalid", "INN must be 10 or 12 digits with valid check digits");
        }
        CompanyData data = new CompanyData(name, inn,
                FieldRules.text(in.industry(), base.industry(), "industry", FieldRules.MAX_TEXT, p),
                FieldRules.code(in.size(), base.size(), "size", CompanySize::fromCode, SIZES, p),
                website(in.website(), base.website(), p),
                FieldRules.date(in.foundedOn(), base.foundedOn(), "foundedOn", today, p),
                FieldRules.date(in.cooperationStartedOn(), base.cooperationStartedOn(), "cooperationStartedOn", today, p),
                FieldRules.value(in.managerId(), base.managerId()),
                FieldRules.customFields(in.customFields(), base.customFields(), customFields.schema(ws, "company"), p));
        if (data.managerId() != null && contacts.existingMembers(ws, List.of(data.managerId())).isEmpty()) {
            p.add("managerId", "manager.unknown", "the manager must be a member of this workspace");
        }
        p.throwIfAny();
        return data;
    }

    private void requireUniqueInn(WorkspaceId ws, String inn, Long self) {
        if (inn != null) {
            store.findByInn(ws, inn).filter(c -> self == null || c.id() != self).ifPresent(c -> {
                throw new ConflictException(FieldProblem.of("inn", "inn.taken", "another company has this INN"));
            });
        }
    }

    /** A website as people type it ("tochpribor.ru") becomes a full https URL; anything that is not a host is refused. */
    static String website(Optional<String> in, String current, Problems p) {
        String v = FieldRules.text(in, current, "website", FieldRules.MAX_TEXT, p);
        if (in == null || v == null) {
            return v;
        }
        String url = v.matches("(?i)https?://.*") ? v : "https://" + v;
        var m = java.util.regex.Pattern.compile("(?i)(https?)://([^/:?#\\s]+)(:\\d{1,5})?([/?#]\\S*)?").matcher(url);
        try {
            if (!m.matches()) {
                throw new IllegalArgumentException();
            }
            String ascii = java.net.IDN.toASCII(m.group(2).toLowerCase(Locale.ROOT), java.net.IDN.USE_STD3_ASCII_RULES);
            if (!ascii.contains(".") || ascii.endsWith(".")) {
                throw new IllegalArgumentException();
            }
            return m.group(1).toLowerCase(Locale.ROOT) + "://" + java.net.IDN.toUnicode(ascii)
                    + (m.group(3) == null ? "" : m.group(3)) + (m.group(4) == null ? "" : m.group(4));
        } catch (IllegalArgumentException e) {
            p.add("website", "url.invalid", "website must be an address such as example.ru or https://example.ru");
            return current;
        }
    }
}
