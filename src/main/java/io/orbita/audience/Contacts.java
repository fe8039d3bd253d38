package io.orbita.audience;

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
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The contacts of a workspace: create, change, upsert one or many, delete, list, and their consent history. */
@Service
public class Contacts {

    public static final int MAX_BULK = 1000;
    public static final int MAX_PAGE = 500;

    /** Where a change comes from, for the consent history ({@code method}, {@code source}). */
    public record Origin(String method, String source) {
        public static final Origin API = new Origin("api", "REST API");
        public static final Origin UI = new Origin("ui", "web interface");
    }

    /**
     * What an import adds to every contact it touches: its tags (added to the contact's own), and for contacts it
     * creates, where they came from (an existing contact keeps its original source).
     */
    public record ImportDefaults(String sourceLabel, List<String> tags) {

        /** The tags once, whatever their case (the first spelling wins), in a list every contact may share. */
        public ImportDefaults {
            List<String> distinct = new java.util.ArrayList<>();
            for (String t : tags == null ? List.<String>of() : tags) {
                if (!FieldRules.hasTag(distinct, t)) {
                    distinct.add(t);
                }
            }
            tags = List.copyOf(distinct);
        }
    }

    private final ContactStore store;
    private final CustomFields customFields;
    private final AddressValidator addresses;
    private final AuditLog audit;
    private final Clock clock;
    private final org.springframework.context.ApplicationEventPublisher events;

    Contacts(ContactStore store, CustomFields customFields, AddressValidator addresses, AuditLog audit, Clock clock,
             org.springframework.context.ApplicationEventPublisher events) {
        this.events = events;
        this.store = store;
        this.customFields = customFields;
        this.addresses = addresses;
        this.audit = audit;
        this.clock = clock;
    }

    public Contact get(WorkspaceId ws, long id) {
        return store.find(ws, id).orElseThrow(() -> new NotFoundException("contact", id));
    }

    /**
     * The contacts with these ids, keyed by id, in one query (for batch work such as sending: one lookup per batch rather
     * than one per message); ids that are not contacts of this workspace are simply absent.
     */
    public Map<Long, Contact> getAll(WorkspaceId ws, java.util.Collection<Long> ids) {
        return store.findAll(ws, ids);
    }

    public Page<Contact> list(WorkspaceId ws, ContactFilter filter, String cursor, int limit) {
        return Page.of(store.list(ws, filter, Cursor.decode(cursor), limit + 1), limit, Contact::id);
    }

    /** The id of the contact with this email (any spelling that normalizes to it), or null. */
    public Long findIdByEmail(WorkspaceId ws, String email) {
        AddressCheck check = addresses.check(email);
        return check.normalized() == null ? null : store.findByEmail(ws, check.normalized()).map(Contact::id).orElse(null);
    }

    /** Ids of the contacts with these emails, keyed by the email as given (unknown or unreadable emails are absent). */
    public Map<String, Long> findIdsByEmails(WorkspaceId ws, java.util.Collection<String> emails) {
        Map<String, String> lowerByInput = new java.util.HashMap<>();
        for (String e : emails) {
            AddressCheck check = addresses.check(e);
            if (check.normalized() != null) {
                lowerByInput.put(e, FieldRules.lower(check.normalized()));
            }
        }
        Map<String, Long> found = store.idsByEmails(ws, new HashSet<>(lowerByInput.values()));
        Map<String, Long> out = new java.util.HashMap<>();
        lowerByInput.forEach((input, lower) -> {
            Long id = found.get(lower);
            if (id != null) {
                out.put(input, id);
            }
        });
        return out;
    }

    /**
     * The ids of the contacts with these addresses, given already normalized and lower-cased (the suppression list's
     * form): compared as stored, without validating each address again (which may ask DNS), in one indexed query.
     */
    public java.util.Collection<Long> findIdsByLowerEmails(WorkspaceId ws, java.util.Collection<String> lowerEmails) {
        return store.idsByEmails(ws, lowerEmails).values();
    }

    /** Which of these ids are contacts of the workspace. */
    public Set<Long> existing(WorkspaceId ws, java.util.Collection<Long> ids) {
        return new HashSet<>(store.existingContacts(ws, ids));
    }

    public boolean exists(WorkspaceId ws, long id) {
        return !store.existingContacts(ws, List.of(id)).isEmpty();
    }

    public long count(WorkspaceId ws) {
        return store.count(ws);
    }

    /**
     * Consent changed by what mail told us (a bounce, a complaint) rather than by a person: recorded in the consent
     * history with its origin and actor. Returns false when the contact already had that status.
     */
    @Transactional
    public boolean changeConsent(WorkspaceId ws, long id, ConsentStatus status, Origin origin, String actor) {
        Contact current = get(ws, id);
        if (current.consentStatus() == status) {
            return false;
        }
        Instant now = clock.instant();
        store.setConsent(ws, id, status, now);
        store.recordConsent(ws, List.of(id), List.of(status), now, origin.method(), origin.source(), actor);
        // Unsubscribes, the preference centre, bounces and complaints change consent here: segments on it follow at once.
        events.publishEvent(new ContactsChanged(ws, List.of(id)));
        return true;
    }

    public List<ConsentEvent> consentHistory(WorkspaceId ws, long id) {
        get(ws, id);
        return store.consentHistory(ws, id);
    }

    @Transactional
    public Contact create(OrbitaPrincipal by, ContactInput in, Origin origin) {
        Problems p = new Problems();
        ContactData data = ContactRules.apply(ContactData.empty(), in, customFields.schema(by.workspace(), "contact"), addresses::check, today(by), p);
        ConsentStatus consent = ContactRules.consent(in, p);
        checkReferences(by.workspace(), data, p);
        p.throwIfAny();
        if (store.findByEmail(by.workspace(), data.email()).isPresent()) {
            throw new ConflictException(FieldProblem.of("email", "email.taken", "a contact with this email already exists"));
        }
        ConsentStatus initial = consent == null ? ConsentStatus.SUBSCRIBED : consent;
        Instant now = clock.instant();
        Long id = store.insertAll(by.workspace(), List.of(data), List.of(initial), now).get(FieldRules.lower(data.email()));
        if (id == null) {
            throw new ConflictException(FieldProblem.of("email", "email.taken", "a contact with this email already exists"));
        }
        store.recordConsent(by.workspace(), List.of(id), List.of(initial), now, origin.method(), origin.source(), by.actor());
        audit.record(by, "contact.created", "contact", id, Map.of("email", data.email()));
        events.publishEvent(new ContactsChanged(by.workspace(), List.of(id)));
        return get(by.workspace(), id);
    }

    @Transactional
    public Contact update(OrbitaPrincipal by, long id, ContactInput in, Origin origin) {
        Contact current = get(by.workspace(), id);
        Problems p = new Problems();
        ContactData data = ContactRules.apply(current.data(), in, customFields.schema(by.workspace(), "contact"), addresses::check, today(by), p);
        ConsentStatus consent = ContactRules.consent(in, p);
        checkReferences(by.workspace(), data, p);
        p.throwIfAny();
        if (!FieldRules.lower(data.email()).equals(FieldRules.lower(current.email()))
                && store.findByEmail(by.workspace(), data.email()).isPresent()) {
            throw new ConflictException(FieldProblem.of("email", "email.taken", "a contact with this email already exists"));
        }
        Instant now = clock.instant();
        Map<String, Object> changed = changes(current.data(), data);
        if (!changed.isEmpty()) {
            store.updateAll(by.workspace(), List.of(id), List.of(data), now);
        }
        if (consent != null && consent != current.consentStatus()) {
            store.setConsent(by.workspace(), id, consent, now);
            store.recordConsent(by.workspace(), List.of(id), List.of(consent), now, origin.method(), origin.source(), by.actor());
            changed.put("consentStatus", consent.code());
        }
        if (!changed.isEmpty()) {
            audit.record(by, "contact.updated", "contact", id, changed);
            events.publishEvent(new ContactsChanged(by.workspace(), List.of(id)));
        }
        return get(by.workspace(), id);
    }

    @Transactional
    public void delete(OrbitaPrincipal by, long id) {
        Contact c = get(by.workspace(), id);
        events.publishEvent(new ContactsDeleted(by.workspace(), List.of(id)));
        store.delete(by.workspace(), id);
        audit.record(by, "contact.deleted", "contact", id, Map.of("email", c.email()));
    }

    /** Creates or updates the contact with the input's email; returns the item result of a one-item bulk. */
    @Transactional
    public Bulk.ItemResult upsert(OrbitaPrincipal by, ContactInput in, Origin origin) {
        Bulk.Result result = bulkUpsert(by, List.of(Bulk.Item.of(in)), origin);
        Bulk.ItemResult item = result.items().getFirst();
        if (item.errors() != null && !item.errors().isEmpty()) {
            throw new ValidationException(item.errors());
        }
        return item;
    }

    /**
     * Upserts contacts by email (the API allows {@value #MAX_BULK} per call, imports use larger batches). Items are independent: a bad item is reported and skipped,
     * the good ones are stored. Items with the same email are merged in order, later fields winning.
     */
    @Transactional
    public Bulk.Result bulkUpsert(OrbitaPrincipal by, List<Bulk.Item<ContactInput>> inputs, Origin origin) {
        return bulkUpsert(by, inputs, origin, null);
    }

    /** As {@link #bulkUpsert(OrbitaPrincipal, List, Origin)}, adding an import's source and tags. */
    @Transactional
    public Bulk.Result bulkUpsert(OrbitaPrincipal by, List<Bulk.Item<ContactInput>> inputs, Origin origin,
                                  ImportDefaults defaults) {
        return bulkUpsert(by, prepare(by, inputs, defaults), origin);
    }

    /**
     * The part of a bulk upsert that needs no transaction: every item's address judged and its email found. An import
     * prepares its next batch this way while the batch before is being written.
     */
    ContactMerge prepare(OrbitaPrincipal by, List<Bulk.Item<ContactInput>> inputs, ImportDefaults defaults) {
        CustomFields.Schema schema = customFields.schema(by.workspace(), "contact");
        // An import's addresses are new to the validator's own cache, so they skip it (see checkOnce). Each item's
        // address is judged once (ContactMerge keeps the verdict for its key and its rules).
        java.util.function.Function<String, AddressCheck> check = defaults == null ? addresses::check : addresses::checkOnce;
        return new ContactMerge(inputs, new ContactMerge.Rules(schema, check, today(by), defaults));
    }

    /** Writes a prepared bulk upsert (see {@link #prepare}). */
    @Transactional
    Bulk.Result bulkUpsert(OrbitaPrincipal by, ContactMerge merge, Origin origin) {
        WorkspaceId ws = by.workspace();
        // 1. Merge the items per email on the stored contacts (loaded in one query) and check their references.
        merge.apply(store.findByEmails(ws, merge.emails()));
        ContactMerge.Writes w = merge.writes(store.existingCompanies(ws, merge.companies()),
                store.existingMembers(ws, merge.managers()));

        // 2. Write: one statement for the inserts, one for the updates, one for each consent change kind.
        Instant now = clock.instant();
        Map<String, Long> inserted = store.insertAll(ws, w.inserts(), w.insertConsents(), now);
        ContactMerge.Created created = w.created(inserted);
        store.updateAll(ws, w.updateIds(), w.updates(), now);
        for (int j = 0; j < w.consentIds().size(); j++) {
            store.setConsent(ws, w.consentIds().get(j), w.consentChanges().get(j), now);
        }
        store.recordConsent(ws, created.ids(), created.consents(), now, origin.method(), origin.source(), by.actor());
        store.recordConsent(ws, w.consentIds(), w.consentChanges(), now, origin.method(), origin.source(), by.actor());

        Set<Long> updatedIds = new HashSet<>(w.updateIds());
        updatedIds.addAll(w.consentIds());
        if (!created.ids().isEmpty() || !updatedIds.isEmpty()) {
            List<Long> changedIds = new ArrayList<>(created.ids());
            changedIds.addAll(updatedIds);
            events.publishEvent(new ContactsChanged(ws, changedIds));
        }

        // 3. Each item's result.
        ContactMerge.Counts n = merge.finish(inserted, updatedIds);
        List<Bulk.ItemResult> results = merge.results();
        if (n.created() + n.updated() > 0) {
            audit.record(by, results.size() == 1 ? (n.created() == 1 ? "contact.created" : "contact.updated") : "contacts.bulkUpserted",
                    "contact", results.size() == 1 ? results.getFirst().id() : null,
                    Map.of("created", n.created(), "updated", n.updated(), "failed", n.failed(), "method", origin.method()));
        }
        return new Bulk.Result(n.created(), n.updated(), n.unchanged(), n.failed(), results);
    }

    private void checkReferences(WorkspaceId ws, ContactData data, Problems p) {
        if (data.companyId() != null && store.existingCompanies(ws, List.of(data.companyId())).isEmpty()) {
            p.add("companyId", "company.unknown", "no such company in this workspace");
        }
        if (data.managerId() != null && store.existingMembers(ws, List.of(data.managerId())).isEmpty()) {
            p.add("managerId", "manager.unknown", "the manager must be a member of this workspace");
        }
    }

    /** Birthdays are checked against "today" in Moscow time, where the first users live; exact zone handling comes with workspace time zones. */
    private LocalDate today(OrbitaPrincipal by) {
        return LocalDate.now(clock.withZone(ZoneId.of("Europe/Moscow")));
    }

    static Map<String, Object> changes(ContactData before, ContactData after) {
        Map<String, Object> changed = new LinkedHashMap<>();
        diff(changed, "email", before.email(), after.email());
        diff(changed, "firstName", before.firstName(), after.firstName());
        diff(changed, "lastName", before.lastName(), after.lastName());
        diff(changed, "middleName", before.middleName(), after.middleName());
        diff(changed, "position", before.position(), after.position());
        diff(changed, "phone", before.phone(), after.phone());
        diff(changed, "birthday", before.birthday(), after.birthday());
        diff(changed, "companyId", before.companyId(), after.companyId());
        diff(changed, "type", before.type(), after.type());
        diff(changed, "sourceLabel", before.sourceLabel(), after.sourceLabel());
        diff(changed, "sourceKind", before.sourceKind(), after.sourceKind());
        diff(changed, "managerId", before.managerId(), after.managerId());
        diff(changed, "tags", before.tags(), after.tags());
        diff(changed, "customFields", before.customFields(), after.customFields());
        return changed;
    }

    private static void diff(Map<String, Object> changed, String field, Object before, Object after) {
        if (!Objects.equals(before, after)) {
            changed.put(field, after == null ? "" : after.toString());
        }
    }
}
