package io.orbita.content.internal;

import io.orbita.audience.Companies;
import io.orbita.audience.Company;
import io.orbita.audience.Contact;
import io.orbita.audience.Contacts;
import io.orbita.commerce.Order;
import io.orbita.commerce.Orders;
import io.orbita.commerce.Product;
import io.orbita.commerce.Products;
import io.orbita.commerce.PurchaseSummary;
import io.orbita.commerce.RelatedProduct;
import io.orbita.content.LetterData;
import io.orbita.platform.NotFoundException;
import io.orbita.platform.WorkspaceId;
import io.orbita.workspace.Members;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * The variables a letter sees. Every known field is present even when empty, so templates can test
 * {@code {% if contact.position %}} freely while a misspelt name is reported. What a template can use:
 * <ul>
 * <li>{@code contact}: id, email, first_name, last_name, middle_name, full_name, name, position, phone, birthday, type,
 * source, tags, custom (custom fields by key)</li>
 * <li>{@code company}: id, name, inn, industry, size, website, founded_on, client_since, custom</li>
 * <li>{@code manager}: the personal manager (the contact's, else the company's): name, first_name, position, phone,
 * email, photo_url</li>
 * <li>{@code orders} (latest five: number, date, status, total, currency, lines[name, sku, quantity, price]),
 * {@code purchases} (count, revenue, average_check, first_date, last_date), {@code recommended} (products that go
 * with what the contact bought: name, sku, category, price, currency, kind)</li>
 * <li>{@code data}: the caller's extra data (cart lines, ...), {@code links}: unsubscribe, preferences, web_version;
 * {@code today}</li>
 * </ul>
 */
@Component
public class LetterModel {

    static final int RECENT_ORDERS = 5;
    static final int RECOMMENDED = 3;

    private final Contacts contacts;
    private final Companies companies;
    private final Members members;
    private final Orders orders;
    private final Products products;
    private final Clock clock;

    LetterModel(Contacts contacts, Companies companies, Members members, Orders orders, Products products, Clock clock) {
        this.contacts = contacts;
        this.companies = companies;
        this.members = members;
        this.orders = orders;
        this.products = products;
        this.clock = clock;
    }

    /** What a letter's Liquid refers to, so a render loads only that (a letter without orders costs no order queries). */
    public record Needs(boolean company, boolean manager, boolean orders, boolean purchases, boolean recommended) {
        public static final Needs ALL = new Needs(true, true, true, true, true);

        private static final java.util.regex.Pattern WORD = java.util.regex.Pattern.compile("\\b(company|manager|orders|purchases|recommended)\\b");

        /** Judged from the Liquid sources (the letter's parts, its layout and, where it includes any, the snippets). */
        public static Needs of(String source) {
            java.util.regex.Matcher m = WORD.matcher(source);
            Set<String> found = new java.util.HashSet<>();
            while (m.find()) {
                found.add(m.group(1));
            }
            return new Needs(found.contains("company"), found.contains("manager"), found.contains("orders"),
                    found.contains("purchases"), found.contains("recommended"));
        }
    }

    /**
     * Lookups that repeat across the recipients of one prepared letter (managers, companies, related products), kept
     * for the letter's lifetime: a batch of a thousand letters asks for each manager once.
     */
    public static final class BatchCache {
        final Map<Long, java.util.Optional<Members.Member>> members = new java.util.HashMap<>();
        final Map<Long, java.util.Optional<Company>> companies = new java.util.HashMap<>();
        final Map<Long, List<RecordingMapSource>> related = new java.util.HashMap<>();
        /** Contacts prefetched for the recipients of the current batch; each is used once, by its recipient's render. */
        final Map<Long, Contact> contacts = new java.util.HashMap<>();
        private static final int MAX = 10_000;

        void trim() {
            if (members.size() + companies.size() + related.size() > MAX) {
                members.clear();
                companies.clear();
                related.clear();
            }
            if (contacts.size() > MAX) {
                contacts.clear();
            }
        }

        /** Contacts loaded by the caller, for the next renders. */
        public void remember(Map<Long, Contact> loaded) {
            trim();
            contacts.putAll(loaded);
        }
    }

    /**
     * Loads the contacts of a batch of recipients in one query into {@code cache}, so the renders that follow do not look
     * them up one by one (their companies and managers are cached per id already, and are few).
     */
    public void prefetch(WorkspaceId ws, java.util.Collection<Long> contactIds, BatchCache cache) {
        List<Long> missing = contactIds.stream().filter(id -> id != null && !cache.contacts.containsKey(id)).distinct().toList();
        if (missing.isEmpty()) {
            return;
        }
        cache.remember(contacts.getAll(ws, missing));
    }

    /** A recommended product as loaded once, copied into fresh recording maps per recipient. */
    record RecordingMapSource(long id, String name, String sku, String category, BigDecimal price, String currency, String kind) {
    }

    /** The variables for one recipient; unknown keys looked up later land in {@code misses}. */
    public RecordingMapRoot build(WorkspaceId ws, LetterData data, Set<String> misses) {
        return build(ws, data, misses, Needs.ALL, new BatchCache());
    }

    public RecordingMapRoot build(WorkspaceId ws, LetterData data, Set<String> misses, Needs needs, BatchCache cache) {
        cache.trim();
        RecordingMapRoot root = new RecordingMapRoot(misses);
        Contact c = null;
        if (data.contactId() != null) {
            // A prefetched contact is taken (removed) so that a later render of the same id sees fresh data.
            c = cache.contacts.remove(data.contactId());
            if (c == null) {
                try {
                    c = contacts.get(ws, data.contactId());
                } catch (NotFoundException e) {
                    c = null;
                }
            }
        }
        Company company = null;
        boolean companyForManager = needs.manager() && c != null && c.managerId() == null;
        if (c != null && c.companyId() != null && (needs.company() || companyForManager)) {
            long companyId = c.companyId();
            company = cache.companies.computeIfAbsent(companyId, id -> {
                try {
                    return java.util.Optional.of(companies.get(ws, id));
                } catch (NotFoundException e) {
                    return java.util.Optional.empty();
                }
            }).orElse(null);
        }
        Long managerId = c != null && c.managerId() != null ? c.managerId() : company == null ? null : company.managerId();
        Members.Member manager = managerId == null || !needs.manager() ? null
                : cache.members.computeIfAbsent(managerId, id -> members.find(ws, id)).orElse(null);
        root.put("contact", c == null ? contact(null, data.email(), misses) : contact(c, data.email(), misses));
        root.put("company", company(company, c, misses));
        root.put("manager", manager(manager, misses));
        List<Order> recent = c == null || !(needs.orders() || needs.recommended()) ? List.of()
                : orders.recent(ws, "contact_id", c.id(), RECENT_ORDERS);
        root.put("orders", orders(recent, misses));
        root.put("purchases", purchases(c == null || !needs.purchases() ? null : orders.summary(ws, "contact_id", c.id()), misses));
        root.put("recommended", needs.recommended() ? recommended(ws, recent, misses, cache) : List.of());
        root.put("data", wrap("data", data.extra(), misses));
        root.put("links", new RecordingMap("links", misses).with("unsubscribe", data.links().unsubscribe())
                .with("preferences", data.links().preferences()).with("web_version", data.links().webVersion()));
        root.put("today", LocalDate.now(clock.withZone(RussianFilters.MOSCOW)));
        return root;
    }

    /** Made-up but plausible data for previews without a contact: a Russian B2B client with a manager and orders. */
    public RecordingMapRoot sample(LetterData data, Set<String> misses) {
        RecordingMapRoot root = new RecordingMapRoot(misses);
        RecordingMap contact = contact(null, data.email() == null ? "ivan.petrov@example.ru" : data.email(), misses);
        contact.put("first_name", "Иван");
        contact.put("last_name", "Петров");
        contact.put("middle_name", "Сергеевич");
        contact.put("full_name", "Иван Петров");
        contact.put("name", "Иван");
        contact.put("position", "Главный инженер");
        contact.put("phone", "+7 912 345-67-89");
        contact.put("birthday", LocalDate.of(1984, 3, 5));
        contact.put("type", "corporate_client");
        root.put("contact", contact);
        RecordingMap company = company(null, null, misses);
        company.put("name", "ООО «Уралприбор»");
        company.put("industry", "Приборостроение");
        company.put("client_since", LocalDate.of(2021, 9, 1));
        root.put("company", company);
        RecordingMap manager = manager(null, misses);
        manager.put("name", "Анна Смирнова");
        manager.put("first_name", "Анна");
        manager.put("position", "Персональный менеджер");
        manager.put("phone", "+7 495 123-45-67");
        manager.put("email", "anna.smirnova@example.ru");
        root.put("manager", manager);
        RecordingMap line = new RecordingMap("line", misses).with("name", "Микроскоп МБС-10").with("sku", "MBS-10")
                .with("quantity", BigDecimal.ONE).with("price", new BigDecimal("48900.00"));
        RecordingMap order = new RecordingMap("order", misses).with("number", "A-1042")
                .with("date", ZonedDateTime.now(clock.withZone(RussianFilters.MOSCOW)).minusDays(12)).with("status", "paid")
                .with("total", new BigDecimal("48900.00")).with("currency", "RUB").with("lines", List.of(line));
        root.put("orders", List.of(order));
        root.put("purchases", new RecordingMap("purchases", misses).with("count", 3L).with("revenue", new BigDecimal("126400.00"))
                .with("average_check", new BigDecimal("42133.33")).with("first_date", order.get("date"))
                .with("last_date", order.get("date")));
        root.put("recommended", List.of(product(misses, "Осветитель ОИ-24", "OI-24", "Оптика", new BigDecimal("7900.00"), "RUB", "first_necessity"),
                product(misses, "Набор препаратов", "PREP-50", "Расходники", new BigDecimal("3200.00"), "RUB", "secondary")));
        root.put("data", wrap("data", data.extra(), misses));
        String base = "https://example.ru/";
        root.put("links", new RecordingMap("links", misses)
                .with("unsubscribe", data.links().unsubscribe() == null ? base + "unsubscribe" : data.links().unsubscribe())
                .with("preferences", data.links().preferences() == null ? base + "preferences" : data.links().preferences())
                .with("web_version", data.links().webVersion() == null ? base + "web" : data.links().webVersion()));
        root.put("today", LocalDate.now(clock.withZone(RussianFilters.MOSCOW)));
        return root;
    }

    private static RecordingMap contact(Contact c, String email, Set<String> misses) {
        RecordingMap m = new RecordingMap("contact", misses);
        m.put("id", c == null ? null : c.id());
        m.put("email", c == null ? email : c.email());
        m.put("first_name", c == null ? null : c.firstName());
        m.put("last_name", c == null ? null : c.lastName());
        m.put("middle_name", c == null ? null : c.middleName());
        String full = c == null ? null : ((c.firstName() == null ? "" : c.firstName()) + " " + (c.lastName() == null ? "" : c.lastName())).strip();
        m.put("full_name", full == null || full.isEmpty() ? null : full);
        // "name" is how a letter addresses the person: the first name when known (Russian B2B letters rarely use more).
        m.put("name", c == null ? null : c.firstName() != null ? c.firstName() : full == null || full.isEmpty() ? null : full);
        m.put("position", c == null ? null : c.position());
        m.put("phone", c == null ? null : c.phone());
        m.put("birthday", c == null ? null : c.birthday());
        m.put("type", c == null || c.type() == null ? null : c.type().code());
        m.put("source", c == null ? null : c.sourceLabel());
        m.put("tags", c == null ? List.of() : c.tags());
        m.put("custom", wrap("contact.custom", c == null ? Map.of() : c.customFields(), misses));
        return m;
    }

    private static RecordingMap company(Company co, Contact c, Set<String> misses) {
        RecordingMap m = new RecordingMap("company", misses);
        m.put("id", co == null ? null : co.id());
        m.put("name", co != null ? co.name() : c == null ? null : c.companyName());
        m.put("inn", co == null ? null : co.inn());
        m.put("industry", co == null ? null : co.industry());
        m.put("size", co == null || co.size() == null ? null : co.size().toString().toLowerCase(java.util.Locale.ROOT));
        m.put("website", co == null ? null : co.website());
        m.put("founded_on", co == null ? null : co.foundedOn());
        m.put("client_since", co == null ? null : co.cooperationStartedOn());
        m.put("custom", wrap("company.custom", co == null ? Map.of() : co.customFields(), misses));
        return m;
    }

    private static RecordingMap manager(Members.Member member, Set<String> misses) {
        RecordingMap m = new RecordingMap("manager", misses);
        String name = member == null ? null : member.displayName();
        m.put("name", name);
        m.put("first_name", name == null ? null : name.strip().split("\\s+")[0]);
        m.put("position", member == null ? null : member.position());
        m.put("phone", member == null ? null : member.phone());
        m.put("email", member == null ? null : member.email());
        m.put("photo_url", member == null ? null : member.photoUrl());
        return m;
    }

    private static List<Object> orders(List<Order> recent, Set<String> misses) {
        List<Object> out = new ArrayList<>();
        for (Order o : recent) {
            List<Object> lines = new ArrayList<>();
            for (Order.Line l : o.lines()) {
                lines.add(new RecordingMap("line", misses).with("name", l.name()).with("sku", l.sku())
                        .with("quantity", quantity(l.quantity())).with("price", l.price()));
            }
            out.add(new RecordingMap("order", misses).with("number", o.externalId())
                    .with("date", o.placedAt() == null ? null : o.placedAt().atZone(RussianFilters.MOSCOW))
                    .with("status", o.status() == null ? null : o.status().toString().toLowerCase(java.util.Locale.ROOT))
                    .with("total", o.total()).with("currency", o.currency()).with("lines", lines));
        }
        return out;
    }

    /** "2", not "2.000": quantities are printed as people write them. */
    static Object quantity(BigDecimal q) {
        if (q == null) {
            return null;
        }
        BigDecimal stripped = q.stripTrailingZeros();
        return stripped.scale() <= 0 ? (Object) q.longValue() : stripped;
    }

    private static RecordingMap purchases(PurchaseSummary s, Set<String> misses) {
        return new RecordingMap("purchases", misses).with("count", s == null ? 0L : s.orders())
                .with("revenue", s == null ? BigDecimal.ZERO : s.revenue()).with("average_check", s == null ? null : s.averageCheck())
                .with("first_date", s == null ? null : zoned(s.firstPurchase()))
                .with("last_date", s == null ? null : zoned(s.lastPurchase()));
    }

    private static ZonedDateTime zoned(Instant i) {
        return i == null ? null : i.atZone(RussianFilters.MOSCOW);
    }

    /** Products related to what the contact bought recently, not already bought; manual relations first. */
    private List<Object> recommended(WorkspaceId ws, List<Order> recent, Set<String> misses, BatchCache cache) {
        Set<Long> bought = new LinkedHashSet<>();
        for (Order o : recent) {
            for (Order.Line l : o.lines()) {
                if (l.productId() != null) {
                    bought.add(l.productId());
                }
            }
        }
        List<Object> out = new ArrayList<>();
        Set<Long> seen = new LinkedHashSet<>(bought);
        for (Long productId : bought) {
            for (RecordingMapSource r : cache.related.computeIfAbsent(productId, id -> relatedOf(ws, id))) {
                if (out.size() >= RECOMMENDED) {
                    return out;
                }
                if (seen.add(r.id())) {
                    out.add(product(misses, r.name(), r.sku(), r.category(), r.price(), r.currency(), r.kind()));
                }
            }
        }
        return out;
    }

    private List<RecordingMapSource> relatedOf(WorkspaceId ws, long productId) {
        List<RelatedProduct> related;
        try {
            related = products.related(ws, productId, RECOMMENDED * 2);
        } catch (NotFoundException e) {
            return List.of();
        }
        List<RecordingMapSource> out = new ArrayList<>();
        for (RelatedProduct r : related) {
            try {
                Product p = products.get(ws, r.productId());
                if (p.active()) {
                    out.add(new RecordingMapSource(p.id(), p.name(), p.sku(), p.category(), p.price(), p.currency(), r.kind()));
                }
            } catch (NotFoundException e) {
                // deleted between the two reads: simply not recommended
            }
        }
        return out;
    }

    private static RecordingMap product(Set<String> misses, String name, String sku, String category, BigDecimal price,
                                        String currency, String kind) {
        return new RecordingMap("product", misses).with("name", name).with("sku", sku).with("category", category)
                .with("price", price).with("currency", currency).with("kind", kind);
    }

    /** Caller data as maps that report unknown keys too, converted deeply (JSON objects and arrays). */
    @SuppressWarnings("unchecked")
    static Object wrapValue(String path, Object value, Set<String> misses) {
        if (value instanceof Map<?, ?> map) {
            return wrap(path, (Map<String, Object>) map, misses);
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object o : list) {
                out.add(wrapValue(path + "[]", o, misses));
            }
            return out;
        }
        return value;
    }

    static RecordingMap wrap(String path, Map<String, ?> map, Set<String> misses) {
        RecordingMap m = new RecordingMap(path, misses);
        if (map != null) {
            map.forEach((k, v) -> m.put(String.valueOf(k), wrapValue(path + "." + k, v, misses)));
        }
        return m;
    }

    /** The root of the variables; a distinct type so the renderer can tell data it built from anything else. */
    public static final class RecordingMapRoot extends java.util.LinkedHashMap<String, Object> {
        RecordingMapRoot(Set<String> misses) {
        }
    }
}
