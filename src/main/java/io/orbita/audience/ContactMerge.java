package io.orbita.audience;

import io.orbita.platform.Bulk;
import io.orbita.platform.FieldProblem;
import io.orbita.platform.Problems;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The items of one bulk upsert merged per email in memory, before and after {@link Contacts} writes them: which email
 * each item has, what each email's contact becomes, what must be inserted or updated, and each item's result.
 *
 * <p>Every loop over the items is a method of its own. Written inline in one long method, each loop made the JIT
 * compile the whole method again for an on-stack replacement (an import calls it with 5,000 items): five compilations
 * of a hundred kilobytes of code, two seconds of CPU in a cold import.
 */
final class ContactMerge {

    /** What applies to every item of the call: the field rules, the address verdicts and an import's defaults. */
    record Rules(CustomFields.Schema schema, Function<String, AddressCheck> check, LocalDate today,
                 Contacts.ImportDefaults defaults) {
    }

    /** The statements to run: new contacts with their first consent, changed contacts, consent changes. */
    record Writes(List<ContactData> inserts, List<ConsentStatus> insertConsents, List<Long> updateIds,
                  List<ContactData> updates, List<Long> consentIds, List<ConsentStatus> consentChanges) {

        /** The inserts that went in (ids by lower-cased email; an email that lost a race is missing) and their consents. */
        Created created(Map<String, Long> ids) {
            Created out = new Created(new ArrayList<>(), new ArrayList<>());
            for (int j = 0; j < inserts.size(); j++) {
                Long id = ids.get(FieldRules.lower(inserts.get(j).email()));
                if (id != null) {
                    out.ids().add(id);
                    out.consents().add(insertConsents.get(j));
                }
            }
            return out;
        }
    }

    /** New contacts' ids with their first consent status, in the same order. */
    record Created(List<Long> ids, List<ConsentStatus> consents) {
    }

    record Counts(int created, int updated, int unchanged, int failed) {
    }

    private final List<Bulk.Item<ContactInput>> inputs;
    private final Rules rules;
    private final String[] keys;
    /** Each item's address verdict, judged once: the key and the field rules both need it. */
    private final AddressCheck[] verdicts;
    private final Bulk.ItemResult[] results;
    private final Map<String, Working> working;

    ContactMerge(List<Bulk.Item<ContactInput>> inputs, Rules rules) {
        this.inputs = inputs;
        this.rules = rules;
        this.keys = new String[inputs.size()];
        this.verdicts = new AddressCheck[inputs.size()];
        this.results = new Bulk.ItemResult[inputs.size()];
        // Sized for every item up front: growing maps of thousands of entries rehash them all again and again.
        this.working = LinkedHashMap.newLinkedHashMap(inputs.size());
        for (int i = 0; i < keys.length; i++) {
            keys[i] = emailKey(i, inputs.get(i).input());
        }
    }

    /** The lower-cased emails of the items, so the existing contacts can be loaded in one query. */
    Set<String> emails() {
        Set<String> emails = HashSet.newHashSet(keys.length);
        for (String k : keys) {
            if (k != null) {
                emails.add(k);
            }
        }
        return emails;
    }

    /** Applies every item to the current state of its email: the stored contact or an earlier item of this call. */
    void apply(Map<String, Contact> existing) {
        for (int i = 0; i < keys.length; i++) {
            Working w = keys[i] == null ? null : working.computeIfAbsent(keys[i], k -> new Working(existing.get(k)));
            results[i] = apply(i, inputs.get(i), w);
        }
    }

    /** The companies the merged contacts name, to be checked against the workspace. */
    Set<Long> companies() {
        return named(ContactData::companyId);
    }

    /** The personal managers the merged contacts name, to be checked against the workspace's members. */
    Set<Long> managers() {
        return named(ContactData::managerId);
    }

    private Set<Long> named(Function<ContactData, Long> reference) {
        Set<Long> ids = new HashSet<>();
        for (Working w : working.values()) {
            Long id = reference.apply(w.data);
            if (!w.items.isEmpty() && id != null) {
                ids.add(id);
            }
        }
        return ids;
    }

    /** Fails the items whose company or manager is not the workspace's, and says what to write for the others. */
    Writes writes(Collection<Long> knownCompanies, Collection<Long> knownManagers) {
        Set<Long> companies = new HashSet<>(knownCompanies);
        Set<Long> managers = new HashSet<>(knownManagers);
        Writes out = new Writes(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                new ArrayList<>());
        for (Working w : working.values()) {
            plan(w, companies, managers, out);
        }
        return out;
    }

    /**
     * Sets the result of every item that applied.
     *
     * @param inserted the ids of the inserted contacts by lower-cased email; an email missing here lost a race
     * @param updated  the ids of the existing contacts that were changed
     */
    Counts finish(Map<String, Long> inserted, Set<Long> updated) {
        int created = 0;
        int changed = 0;
        int unchanged = 0;
        for (Map.Entry<String, Working> e : working.entrySet()) {
            String status = finish(e.getValue(), inserted.get(e.getKey()), updated);
            switch (status) {
                case "created" -> created++;
                case "updated" -> changed++;
                case "unchanged" -> unchanged++;
                default -> { }
            }
        }
        int failed = 0;
        for (Bulk.ItemResult r : results) {
            if ("error".equals(r.status())) {
                failed++;
            }
        }
        return new Counts(created, changed, unchanged, failed);
    }

    List<Bulk.ItemResult> results() {
        return List.of(results);
    }

    private String emailKey(int i, ContactInput in) {
        AddressCheck verdict = in == null || in.email() == null ? null : rules.check().apply(in.email().orElse(null));
        verdicts[i] = verdict;
        return verdict != null && verdict.normalized() != null ? FieldRules.lower(verdict.normalized()) : null;
    }

    /** The address check for item i's rules: its own email's verdict is already known. */
    private Function<String, AddressCheck> checkFor(int i, ContactInput in) {
        String own = in.email() == null ? null : in.email().orElse(null);
        AddressCheck known = verdicts[i];
        return e -> e == own && known != null ? known : rules.check().apply(e);
    }

    /** Applies item i to the state of its email (null: no usable email): null when it applied, else its error. */
    private Bulk.ItemResult apply(int i, Bulk.Item<ContactInput> item, Working w) {
        ContactInput in = item.input();
        if (in == null) {
            return Bulk.ItemResult.error(i, item.problems().isEmpty()
                    ? List.of(FieldProblem.of("", "item.null", "item must be an object")) : item.problems());
        }
        Problems p = new Problems();
        Function<String, AddressCheck> check = checkFor(i, in);
        if (w == null) {
            ContactRules.apply(ContactData.empty(), in, rules.schema(), check, rules.today(), p);
            if (p.isEmpty()) {
                p.add("email", "email.required", "email is required");
            }
            return Bulk.ItemResult.error(i, p.list());
        }
        ContactData next = ContactRules.apply(w.data, in, rules.schema(), check, rules.today(), p);
        ConsentStatus consent = ContactRules.consent(in, p);
        if (!p.isEmpty()) {
            return Bulk.ItemResult.error(i, p.list());
        }
        if (rules.defaults() != null) {
            next = withImportDefaults(next, w.current == null, rules.defaults());
        }
        w.data = next;
        if (consent != null) {
            w.consent = consent;
        }
        w.items.add(i);
        return null;
    }

    private void plan(Working w, Set<Long> knownCompanies, Set<Long> knownManagers, Writes out) {
        if (w.items.isEmpty()) {
            return;
        }
        List<FieldProblem> refProblems = new ArrayList<>();
        if (w.data.companyId() != null && !knownCompanies.contains(w.data.companyId())) {
            refProblems.add(FieldProblem.of("companyId", "company.unknown", "no such company in this workspace"));
        }
        if (w.data.managerId() != null && !knownManagers.contains(w.data.managerId())) {
            refProblems.add(FieldProblem.of("managerId", "manager.unknown", "the manager must be a member of this workspace"));
        }
        if (!refProblems.isEmpty()) {
            w.items.forEach(i -> results[i] = Bulk.ItemResult.error(i, refProblems));
            w.items.clear();
            return;
        }
        if (w.current == null) {
            out.inserts().add(w.data);
            out.insertConsents().add(w.consent == null ? ConsentStatus.SUBSCRIBED : w.consent);
            return;
        }
        if (!w.data.equals(w.current.data())) {
            out.updateIds().add(w.current.id());
            out.updates().add(w.data);
        }
        if (w.consent != null && w.consent != w.current.consentStatus()) {
            out.consentIds().add(w.current.id());
            out.consentChanges().add(w.consent);
        }
    }

    /** The status of one email's items ("none" when none applied), set on each of them. */
    private String finish(Working w, Long insertedId, Set<Long> updated) {
        if (w.items.isEmpty()) {
            return "none";
        }
        if (w.current == null && insertedId == null) {
            // Another request created the same email between our read and our insert; the caller may simply retry.
            for (int i : w.items) {
                results[i] = Bulk.ItemResult.error(i, List.of(FieldProblem.of("email", "email.concurrent",
                        "another request created this email at the same moment; retry the item")));
            }
            return "error";
        }
        long id = w.current == null ? insertedId : w.current.id();
        String status = w.current == null ? "created" : updated.contains(id) ? "updated" : "unchanged";
        for (int i : w.items) {
            results[i] = new Bulk.ItemResult(i, status, id, List.of());
        }
        return status;
    }

    private static ContactData withImportDefaults(ContactData d, boolean isNew, Contacts.ImportDefaults defaults) {
        // A row without tags of its own (most of an import) takes the import's tags as they are: no copy per row.
        List<String> tags = defaults.tags();
        if (!d.tags().isEmpty()) {
            tags = new ArrayList<>(d.tags());
            for (String t : defaults.tags()) {
                if (!FieldRules.hasTag(tags, t)) {
                    tags.add(t);
                }
            }
        }
        boolean setSource = isNew && d.sourceLabel() == null && defaults.sourceLabel() != null;
        return new ContactData(d.email(), d.firstName(), d.lastName(), d.middleName(), d.position(), d.phone(), d.birthday(),
                d.companyId(), d.type(), setSource ? defaults.sourceLabel() : d.sourceLabel(),
                isNew && d.sourceKind() == null ? SourceKind.IMPORT : d.sourceKind(), d.managerId(),
                tags.size() > FieldRules.MAX_TAGS ? d.tags() : tags, d.customFields());
    }

    /** One email's state while the items are applied. */
    private static final class Working {
        final Contact current;
        ContactData data;
        ConsentStatus consent;
        final List<Integer> items = new ArrayList<>();

        Working(Contact current) {
            this.current = current;
            this.data = current == null ? ContactData.empty() : current.data();
        }
    }
}
