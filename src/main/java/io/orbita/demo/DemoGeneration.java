package io.orbita.demo;

import io.orbita.demo.Catalogue.Item;
import io.orbita.demo.RussianNames.Person;
import io.orbita.platform.db.CopyRows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the generator on one connection, inside the caller's transaction. Every large table is streamed with
 * COPY; ids the database assigns are read back in insertion order (identity values grow with every row a COPY inserts,
 * and the workspace was empty), so no per-row round trip is ever made. Every random choice comes from a
 * {@link SplittableRandom} seeded from the run's seed and the row's number, so the same seed gives the same rows no
 * matter how the work is ordered.
 */
final class DemoGeneration {

    private static final Logger log = LoggerFactory.getLogger(DemoGeneration.class);

    /** Relative order volume per calendar month: B2B buys in spring and in autumn up to the year end. */
    private static final double[] SEASON = {0.55, 0.8, 1.15, 1.2, 1.1, 0.85, 0.65, 0.7, 1.15, 1.2, 1.25, 1.35};
    private static final double SEASON_MAX = 1.35;
    private static final long DAY = 86_400L;
    private static final int HISTORY_DAYS = 4 * 365;

    private static final String[][] SOURCES = {
            {"import", "Импорт из CRM"}, {"import", "Импорт из 1С"},
            {"offline_event", "Выставка «Металлообработка-2025»"}, {"offline_event", "Выставка «Иннопром-2025»"},
            {"offline_event", "Конференция «Цифровое производство»"},
            {"form", "Сайт: заявка на демо"}, {"form", "Сайт: полный прайс-лист"}, {"form", "Сайт: вебинар"},
            {"form", "Сайт: консультация"}, {"manual", "Звонок в офис"}, {"api", "Интеграция с CRM"}};
    private static final int[] SOURCE_WEIGHTS = {25, 10, 7, 7, 5, 8, 7, 5, 5, 14, 7};

    private static final String[][] PLANS = {
            {"Сервисное обслуживание «Стандарт»", "12000000"}, {"Сервисное обслуживание «Премиум»", "36000000"},
            {"Техподдержка 24/7", "24000000"}, {"Поставка расходных материалов", "6000000"},
            {"Лицензия SCADA (годовая)", "18000000"}, {"Ежегодная поверка приборов", "9000000"}};

    private static final String[][] PAGES = {{"/", "Главная"}, {"/catalog", "Каталог"}, {"/catalog/izmeritelnye-pribory", "Измерительные приборы"},
            {"/catalog/optika", "Оптика"}, {"/catalog/datchiki", "Датчики"}, {"/catalog/avtomatika", "Контроллеры и автоматика"},
            {"/price", "Прайс-лист"}, {"/delivery", "Доставка и оплата"}, {"/service", "Сервис и поверка"}, {"/contacts", "Контакты"},
            {"/about", "О компании"}, {"/webinars", "Вебинары"}};
    private static final String[][] CONTENT = {{"Как выбрать тепловизор для энергоаудита", "article"},
            {"Кейс: автоматизация линии розлива на заводе в Казани", "case_study"},
            {"Кейс: контроль качества сварных швов на «Уралмаше»", "case_study"},
            {"Поверка приборов: сроки и документы", "article"}, {"Вебинар: ПЛК для малых производств", "webinar"},
            {"Сравнение стереомикроскопов для лабораторий", "article"}, {"Решение для пищевой промышленности", "industry_solution"},
            {"Решение для металлообработки", "industry_solution"}, {"Каталог 2026 (PDF)", "download"}};

    record Counts(int managers, int products, int relations, int companies, int contacts, long consentEvents,
                  long orders, long orderLines, int contracts, long events, int carts) {
    }

    private final Connection c;
    private final long ws;
    private final Scale scale;
    private final long seed;
    private final long now;
    private final long historyStart;
    private final Function<String, String> passwordHash;

    private long[] managerIds;
    private Catalogue catalogue;
    private long[] productIds;
    private int relations;
    private long[] companyIds;
    private long[] companyManager;
    private long[] contactIds;
    private long[] contactCreated;
    private int[] contactCompany;
    /** The consent status of contacts that are no longer subscribed; null for the rest. */
    private String[] contactStatus;
    private int[] companyFirstContact;
    private long[] lastPurchase;
    private long consentEvents;
    private long orderCount;
    private long lineCount;
    private int contractCount;
    private long eventCount;
    private int cartCount;

    DemoGeneration(Connection c, long ws, Scale scale, long seed, long nowEpochSecond, Function<String, String> passwordHash) {
        this.c = c;
        this.ws = ws;
        this.scale = scale;
        this.seed = seed;
        this.now = nowEpochSecond;
        this.historyStart = nowEpochSecond - HISTORY_DAYS * DAY;
        this.passwordHash = passwordHash;
    }

    Counts run() throws SQLException {
        step("managers", this::managers);
        step("products", this::products);
        step("companies", this::companies);
        step("contacts", this::contacts);
        step("consent", this::consent);
        step("orders", this::orders);
        step("contracts", this::contracts);
        step("carts", this::carts);
        step("events", this::events);
        return new Counts(managerIds.length, productIds.length, relations, companyIds.length, contactIds.length,
                consentEvents, orderCount, lineCount, contractCount, eventCount, cartCount);
    }

    private interface Step {
        void run() throws SQLException;
    }

    private void step(String name, Step s) throws SQLException {
        long t = System.nanoTime();
        s.run();
        log.info("demo data for workspace {}: {} in {} ms", ws, name, (System.nanoTime() - t) / 1_000_000);
    }

    /** A random source of its own for each (stream, row), so the same row gets the same values in every run. */
    SplittableRandom random(int stream, long row) {
        return new SplittableRandom(mix(seed ^ mix(((long) stream << 48) ^ row)));
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    // ---- managers ------------------------------------------------------------------------------------------------

    private void managers() throws SQLException {
        SplittableRandom r = random(1, 0);
        int n = 3 + r.nextInt(6);
        managerIds = new long[n];
        java.util.Set<String> used = new java.util.HashSet<>();
        String hash = passwordHash.apply(Long.toHexString(new java.security.SecureRandom().nextLong()) + "-" + System.nanoTime());
        for (int i = 0; i < n; i++) {
            Person p = RussianNames.person(r);
            String local = RussianNames.localPart(p, 0);
            for (int k = 2; !used.add(local); k++) {
                local = RussianNames.localPart(p, 0) + k;
            }
            String email = local + "@demo" + ws + ".orbita.example";
            String position = i == 0 ? RussianNames.MANAGER_POSITIONS[3]
                    : i == 1 ? RussianNames.MANAGER_POSITIONS[0] : RussianNames.pick(r, RussianNames.MANAGER_POSITIONS);
            try (PreparedStatement s = c.prepareStatement("""
                    insert into app_user (email, display_name, position, phone, password_hash, created_at)
                    values (?, ?, ?, ?, ?, to_timestamp(?)) on conflict (lower(email)) do nothing""")) {
                s.setString(1, email);
                s.setString(2, p.displayName());
                s.setString(3, position);
                s.setString(4, "+7495" + String.format("%07d", r.nextInt(10_000_000)));
                s.setString(5, hash);
                s.setLong(6, historyStart);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("select id from app_user where lower(email) = lower(?)")) {
                s.setString(1, email);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    managerIds[i] = rs.getLong(1);
                }
            }
            try (PreparedStatement s = c.prepareStatement("""
                    insert into membership (workspace_id, user_id, role, created_at)
                    values (?, ?, 'SALES_MANAGER', to_timestamp(?)) on conflict do nothing""")) {
                s.setLong(1, ws);
                s.setLong(2, managerIds[i]);
                s.setLong(3, historyStart);
                s.executeUpdate();
            }
        }
    }

    // ---- products ------------------------------------------------------------------------------------------------

    private void products() throws SQLException {
        catalogue = new Catalogue(scale.products(), random(2, 0));
        try (CopyRows out = new CopyRows(c, "product", "workspace_id, sku, name, category, price, currency, active, created_at, updated_at")) {
            for (Item item : catalogue.items) {
                out.number(ws).text(item.sku()).text(item.name()).text(catalogue.category(item)).money(item.priceKopecks())
                        .raw("RUB").raw(item.level() > 3 && item.index() % 7 == 0 ? "f" : "t")
                        .time(historyStart - 30 * DAY).time(historyStart - 30 * DAY).endRow();
            }
        }
        productIds = ids("product", scale.products());
        try (CopyRows out = new CopyRows(c, "product_relation", "workspace_id, product_id, related_id, kind")) {
            for (Catalogue.Relation rel : catalogue.relations) {
                out.number(ws).number(productIds[rel.product()]).number(productIds[rel.related()]).raw(rel.kind()).endRow();
            }
            relations = (int) out.rows();
        }
    }

    // ---- companies -----------------------------------------------------------------------------------------------

    private String[] companyDomain;

    private void companies() throws SQLException {
        int n = scale.companies();
        companyDomain = new String[n];
        companyManager = new long[n];
        Map<String, Integer> domains = new HashMap<>();
        String[] sizes = {"micro", "small", "small", "medium", "medium", "large", "enterprise"};
        try (CopyRows out = new CopyRows(c, "company", "workspace_id, name, inn, industry, size, website, founded_on, "
                + "cooperation_started_on, manager_id, created_at, updated_at")) {
            for (int i = 0; i < n; i++) {
                SplittableRandom r = random(3, i);
                int industry = RussianNames.industry(r);
                String core = RussianNames.companyCore(r, industry);
                String name = RussianNames.companyName(r, core);
                String base = RussianNames.translit(core);
                int k = domains.merge(base, 1, Integer::sum);
                companyDomain[i] = (k == 1 ? base : base + k) + ".ru";
                companyManager[i] = managerIds[r.nextInt(managerIds.length)];
                LocalDate founded = LocalDate.of(1992, 1, 1).plusDays(r.nextInt(30 * 365));
                long created = historyStart - r.nextInt(30) * DAY - r.nextInt((int) DAY);
                LocalDate cooperation = LocalDate.ofEpochDay(Math.floorDiv(historyStart, DAY) + r.nextInt(HISTORY_DAYS - 30));
                out.number(ws).text(name).raw(RussianNames.inn(i, r)).text(RussianNames.INDUSTRIES[industry])
                        .raw(sizes[r.nextInt(sizes.length)]).text("https://" + companyDomain[i]).date(founded)
                        .date(cooperation).number(companyManager[i]).time(created).time(created).endRow();
            }
        }
        companyIds = ids("company", n);
    }

    // ---- contacts ------------------------------------------------------------------------------------------------

    private void contacts() throws SQLException {
        int n = scale.contacts();
        int companies = scale.companies();
        contactCreated = new long[n];
        contactCompany = new int[n];
        contactStatus = new String[n];
        companyFirstContact = new int[companies];
        Arrays.fill(companyFirstContact, -1);
        LongSet emails = new LongSet(n);
        long stride = coprimeStride(companies);
        long span = now - DAY - historyStart;
        int sourceTotal = Arrays.stream(SOURCE_WEIGHTS).sum();
        try (CopyRows out = new CopyRows(c, "contact", "workspace_id, email, first_name, last_name, middle_name, position, "
                + "phone, birthday, company_id, contact_type, source_label, source_kind, manager_id, tags, consent_status, "
                + "created_at, updated_at")) {
            for (int i = 0; i < n; i++) {
                SplittableRandom r = random(4, i);
                // More contacts recently: the base grows, so created_at has a density rising over time.
                long created = historyStart + (long) (span * Math.sqrt((i + r.nextDouble()) / n));
                created = Math.max(historyStart, Math.min(created, now - DAY));
                contactCreated[i] = created;
                int roll = r.nextInt(100);
                String type = roll < 15 ? "private_person" : roll < 85 ? "corporate_client" : roll < 93 ? "partner"
                        : roll < 98 ? "supplier" : "media";
                int company = -1;
                if (!type.equals("private_person")) {
                    // A few big companies with many contacts, many small ones.
                    long skewed = (long) (companies * Math.pow(r.nextDouble(), 1.7));
                    company = (int) ((skewed * stride) % companies);
                }
                contactCompany[i] = company;
                if (company >= 0 && companyFirstContact[company] < 0) {
                    companyFirstContact[company] = i;
                }
                Person p = RussianNames.person(r);
                String email = email(p, company, r, emails, i);
                String position = type.equals("private_person") ? null : RussianNames.position(r);
                String phone = r.nextInt(10) < 7 ? RussianNames.mobile(r) : null;
                LocalDate birthday = r.nextInt(100) < 85 ? LocalDate.of(1960, 1, 1).plusDays(r.nextInt(14_975)) : null;
                int s = r.nextInt(sourceTotal);
                int source = 0;
                while (s >= SOURCE_WEIGHTS[source]) {
                    s -= SOURCE_WEIGHTS[source++];
                }
                long manager = company >= 0 ? companyManager[company] : r.nextBoolean() ? managerIds[r.nextInt(managerIds.length)] : -1;
                int consent = r.nextInt(100);
                String status = consent < 96 ? "subscribed" : consent < 99 ? "unsubscribed" : "bounced";
                contactStatus[i] = consent < 96 ? null : status;
                out.number(ws).text(email).text(p.firstName()).text(p.lastName()).text(p.middleName()).text(position)
                        .text(phone).date(birthday).nullable(company >= 0 ? companyIds[company] : null).raw(type)
                        .text(SOURCES[source][1]).raw(SOURCES[source][0]).nullable(manager > 0 ? manager : null)
                        .text(SOURCES[source][0].equals("offline_event") ? "{выставка}" : type.equals("partner") ? "{партнёр}" : "{}")
                        .raw(status).time(created).time(created).endRow();
            }
        }
        contactIds = ids("contact", n);
    }

    private String email(Person p, int company, SplittableRandom r, LongSet used, int i) {
        String domain = company >= 0 ? companyDomain[company] : RussianNames.personalDomain(r);
        int style = company >= 0 ? r.nextInt(5) : 1;
        for (int attempt = 0; ; attempt++) {
            String local = RussianNames.localPart(p, style + attempt);
            if (company < 0 || attempt >= 5) {
                // Personal mailboxes (and crowded company domains) carry a number, as real ones do.
                local = local + (attempt < 5 ? String.valueOf(60 + r.nextInt(40))
                        : Integer.toString(i, 36) + (attempt >= 10 ? "x" + attempt : ""));
            }
            String email = local + "@" + domain;
            if (used.add(hash(email))) {
                return email;
            }
        }
    }

    private static long hash(String s) {
        long h = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < s.length(); i++) {
            h = mix(h ^ s.charAt(i));
        }
        return h == 0 ? 1 : h;
    }

    private void consent() throws SQLException {
        try (CopyRows out = new CopyRows(c, "consent_event", "workspace_id, contact_id, status, at, method, source, actor")) {
            for (int i = 0; i < contactIds.length; i++) {
                out.number(ws).number(contactIds[i]).raw("subscribed").time(contactCreated[i]).raw("import").raw("demo")
                        .raw("demo").endRow();
            }
            for (int i = 0; i < contactIds.length; i++) {
                if (contactStatus[i] != null) {
                    long at = contactCreated[i] + (now - contactCreated[i]) / 2;
                    out.number(ws).number(contactIds[i]).raw(contactStatus[i]).time(at)
                            .raw(contactStatus[i].equals("bounced") ? "delivery" : "link").raw("demo").raw("demo").endRow();
                }
            }
            consentEvents = out.rows();
        }
    }

    // ---- orders --------------------------------------------------------------------------------------------------

    /** What a contact is as a buyer: its share of all orders and the window it buys in. */
    private record Buyer(long weight, long from, long until) {
    }

    private Buyer buyer(int i) {
        SplittableRandom r = random(5, i);
        int roll = r.nextInt(100);
        long created = contactCreated[i];
        long from = created + r.nextInt(30) * DAY;
        from = Math.min(from, now - DAY);
        if (roll < 42) {
            return new Buyer(0, from, now);
        }
        if (roll < 62) {
            return new Buyer(1, from, now);
        }
        if (roll < 85) {
            return new Buyer(3 + r.nextInt(14), from, now);
        }
        // Churners bought regularly for a while, then stopped, well before today.
        long until = from + (long) ((now - from) * (0.2 + 0.5 * r.nextDouble()));
        until = Math.min(until, now - 120 * DAY);
        return new Buyer(2 + r.nextInt(8), from, Math.max(from, until));
    }

    private interface OrderSink {
        void order(long index, int contact, long placedAt, String status, long total, long[][] lines) throws SQLException;
    }

    /** Walks every order of every contact in a fixed order; called twice, first for orders, then for their lines. */
    private void eachOrder(OrderSink sink) throws SQLException {
        int n = contactIds.length;
        long totalWeight = 0;
        Buyer[] buyers = new Buyer[n];
        for (int i = 0; i < n; i++) {
            buyers[i] = buyer(i);
            totalWeight += buyers[i].weight();
        }
        long target = scale.orders();
        long cumulative = 0;
        long index = 0;
        for (int i = 0; i < n && totalWeight > 0; i++) {
            long before = target * cumulative / totalWeight;
            cumulative += buyers[i].weight();
            int count = (int) (target * cumulative / totalWeight - before);
            if (count == 0) {
                continue;
            }
            SplittableRandom times = random(6, i);
            long[] placed = new long[count];
            for (int k = 0; k < count; k++) {
                placed[k] = seasonalTime(times, buyers[i].from(), buyers[i].until());
            }
            Arrays.sort(placed);
            for (int k = 0; k < count; k++) {
                // The content of an order depends only on (contact, order number), not on the calendar.
                SplittableRandom r = random(7, ((long) i << 20) | k);
                int lineCount = 1 + (r.nextInt(10) < 5 ? 0 : r.nextInt(4));
                List<long[]> lines = new ArrayList<>(lineCount + 1);
                java.util.Set<Integer> taken = new java.util.HashSet<>();
                long total = 0;
                for (int l = 0; l < lineCount; l++) {
                    Item item = catalogue.popular(r);
                    total += line(lines, taken, item, catalogue.quantity(item, r), r);
                    if (catalogue.kind(item) == Catalogue.Kind.DEVICE && r.nextInt(100) < 40) {
                        Item complement = catalogue.firstNecessity(item);
                        if (complement != null) {
                            total += line(lines, taken, complement, catalogue.quantity(complement, r), r);
                        }
                    }
                }
                int roll = r.nextInt(1000);
                long age = now - placed[k];
                String status = roll < 55 ? "cancelled" : roll < 75 ? "refunded"
                        : age < 3 * DAY ? (roll % 2 == 0 ? "placed" : "paid")
                        : age < 10 * DAY ? (roll % 3 == 0 ? "paid" : "shipped")
                        : roll % 10 < 3 ? "paid" : "shipped";
                sink.order(index++, i, placed[k], status, total, lines.toArray(long[][]::new));
            }
        }
    }

    /** Adds a line (product index, quantity, price in kopecks) unless the product is already in the order. */
    private long line(List<long[]> lines, java.util.Set<Integer> taken, Item item, int quantity, SplittableRandom r) {
        if (!taken.add(item.index())) {
            return 0;
        }
        // Regular clients get a discount now and then.
        long price = r.nextInt(5) == 0 ? item.priceKopecks() * (90 + r.nextInt(10)) / 100 : item.priceKopecks();
        lines.add(new long[]{item.index(), quantity, price});
        return quantity * price;
    }

    private long seasonalTime(SplittableRandom r, long from, long until) {
        long t = from;
        for (int attempt = 0; attempt < 30; attempt++) {
            t = from + (long) (r.nextDouble() * Math.max(1, until - from));
            int month = LocalDate.ofEpochDay(Math.floorDiv(t, DAY)).getMonthValue() - 1;
            if (r.nextDouble() * SEASON_MAX < SEASON[month]) {
                break;
            }
        }
        // Business hours, Moscow time (UTC+3).
        long day = Math.floorDiv(t, DAY) * DAY;
        return Math.max(from, Math.min(now - 60, day + (6 + r.nextInt(10)) * 3600L + r.nextInt(3600)));
    }

    private void orders() throws SQLException {
        lastPurchase = new long[contactIds.length];
        try (CopyRows out = new CopyRows(c, "customer_order", "workspace_id, external_id, contact_id, company_id, placed_at, "
                + "status, total, currency, created_at, updated_at")) {
            eachOrder((index, i, placed, status, total, lines) -> {
                int company = contactCompany[i];
                out.number(ws).raw(externalId("З-", index)).number(contactIds[i])
                        .nullable(company >= 0 ? companyIds[company] : null).time(placed).raw(status).money(total)
                        .raw("RUB").time(placed).time(placed).endRow();
                if (!status.equals("cancelled") && !status.equals("refunded")) {
                    lastPurchase[i] = Math.max(lastPurchase[i], placed);
                }
            });
            orderCount = out.rows();
        }
        long[] orderIds = ids("customer_order", orderCount);
        try (CopyRows out = new CopyRows(c, "order_line", "workspace_id, order_id, line_no, product_id, sku, name, quantity, price")) {
            eachOrder((index, i, placed, status, total, lines) -> {
                for (int l = 0; l < lines.length; l++) {
                    Item item = catalogue.items.get((int) lines[l][0]);
                    out.number(ws).number(orderIds[(int) index]).number(l + 1).number(productIds[item.index()])
                            .text(item.sku()).text(item.name()).number(lines[l][1]).money(lines[l][2]).endRow();
                }
            });
            lineCount = out.rows();
        }
    }

    private static String externalId(String prefix, long n) {
        String digits = Long.toString(n + 1);
        return prefix + "0".repeat(Math.max(0, 7 - digits.length())) + digits;
    }

    // ---- contracts -----------------------------------------------------------------------------------------------

    private void contracts() throws SQLException {
        try (CopyRows out = new CopyRows(c, "contract", "workspace_id, external_id, contact_id, company_id, plan, starts_on, "
                + "renews_on, amount, period, currency, status, created_at, updated_at")) {
            long today = Math.floorDiv(now, DAY);
            for (int co = 0; co < companyIds.length; co++) {
                SplittableRandom r = random(8, co);
                if (r.nextInt(100) >= 35) {
                    continue;
                }
                String[] plan = RussianNames.pick(r, PLANS);
                int p = r.nextInt(100);
                String period = p < 55 ? "year" : p < 75 ? "quarter" : p < 95 ? "month" : "once";
                int months = switch (period) {
                    case "year" -> 12;
                    case "quarter" -> 3;
                    case "month" -> 1;
                    default -> 0;
                };
                long amount = Long.parseLong(plan[1]) * Math.max(1, months) / 12 / 100 * 100;
                // Spread evenly (61 is coprime to 100), so even a handful of contracts has every status.
                int s = (int) ((contractCount * 61L + 7) % 100);
                String status = s < 68 ? "active" : s < 74 ? "trial" : s < 90 ? "expired" : "cancelled";
                LocalDate renews;
                LocalDate starts;
                switch (status) {
                    case "active" -> {
                        // Renewal dates spread over the next twelve months.
                        renews = LocalDate.ofEpochDay(today + 1 + r.nextInt(365));
                        starts = renews.minusMonths(Math.max(1, months) * (1L + r.nextInt(3)));
                    }
                    case "trial" -> {
                        renews = LocalDate.ofEpochDay(today + 3 + r.nextInt(28));
                        starts = renews.minusDays(30);
                    }
                    case "expired" -> {
                        renews = LocalDate.ofEpochDay(today - 1 - r.nextInt(300));
                        starts = renews.minusMonths(Math.max(1, months));
                    }
                    default -> {
                        starts = LocalDate.ofEpochDay(today - 60 - r.nextInt(900));
                        renews = null;
                    }
                }
                if (period.equals("once")) {
                    renews = null;
                }
                int contact = companyFirstContact[co];
                long created = Math.min(now, starts.toEpochDay() * DAY + 9 * 3600);
                out.number(ws).raw(externalId("Д-", contractCount)).nullable(contact >= 0 ? contactIds[contact] : null)
                        .number(companyIds[co]).text(plan[0]).date(starts).date(renews).money(amount * 100).raw(period)
                        .raw("RUB").raw(status).time(created).time(created).endRow();
                contractCount++;
            }
        }
    }

    // ---- carts ---------------------------------------------------------------------------------------------------

    private final List<long[]> cartEvents = new ArrayList<>();
    private final List<String> cartProperties = new ArrayList<>();

    private void carts() throws SQLException {
        try (CopyRows out = new CopyRows(c, "cart", "workspace_id, contact_id, lines, total, currency, updated_at")) {
            for (int i = 0; i < contactIds.length; i++) {
                SplittableRandom r = random(9, i);
                long updated = now - 2 * 3600 - r.nextInt((int) (10 * DAY));
                // About 2% of contacts left a cart; an order after the cart would have cleared it.
                if (r.nextInt(1000) >= 23 || contactCreated[i] > updated - DAY || lastPurchase[i] > updated - 14 * DAY) {
                    continue;
                }
                StringBuilder json = new StringBuilder("[");
                long total = 0;
                int lines = 1 + r.nextInt(3);
                java.util.Set<Integer> taken = new java.util.HashSet<>();
                for (int l = 0; l < lines; l++) {
                    Item item = catalogue.popular(r);
                    if (!taken.add(item.index())) {
                        continue;
                    }
                    int q = catalogue.quantity(item, r);
                    total += q * item.priceKopecks();
                    if (json.length() > 1) {
                        json.append(',');
                    }
                    json.append("{\"sku\":\"").append(item.sku()).append("\",\"name\":\"").append(item.name())
                            .append("\",\"quantity\":").append(q).append(",\"price\":");
                    CopyRows.appendMoney(json, item.priceKopecks());
                    json.append('}');
                }
                json.append(']');
                StringBuilder money = new StringBuilder();
                CopyRows.appendMoney(money, total);
                out.number(ws).number(contactIds[i]).text(json.toString()).money(total).raw("RUB").time(updated).endRow();
                cartEvents.add(new long[]{updated, contactIds[i]});
                cartProperties.add("{\"lines\":" + json + ",\"total\":" + money + ",\"currency\":\"RUB\"}");
            }
            cartCount = (int) out.rows();
        }
    }

    // ---- events --------------------------------------------------------------------------------------------------

    private void events() throws SQLException {
        long total = Math.max(0, scale.events() - cartEvents.size());
        long windowStart = now - 365 * DAY;
        YearMonth first = YearMonth.from(LocalDate.ofEpochDay(Math.floorDiv(windowStart, DAY)));
        YearMonth last = YearMonth.from(LocalDate.ofEpochDay(Math.floorDiv(now, DAY)));
        List<long[]> months = new ArrayList<>();
        double weightSum = 0;
        for (YearMonth m = first; !m.isAfter(last); m = m.plusMonths(1)) {
            requirePartition(m);
            long from = Math.max(windowStart, m.atDay(1).toEpochDay() * DAY);
            long until = Math.min(now, m.plusMonths(1).atDay(1).toEpochDay() * DAY);
            months.add(new long[]{from, until, m.getMonthValue()});
            weightSum += (until - from) * (0.6 + 0.4 * SEASON[m.getMonthValue() - 1]);
        }
        int visitors = Math.max(100, contactIds.length / 5);
        long stride = coprimeStride(contactIds.length);
        double cumulative = 0;
        long written = 0;
        try (CopyRows out = new CopyRows(c, "activity_event", "workspace_id, occurred_at, received_at, type, contact_id, "
                + "visitor_id, properties, source")) {
            for (int mi = 0; mi < months.size(); mi++) {
                long[] m = months.get(mi);
                cumulative += (m[1] - m[0]) * (0.6 + 0.4 * SEASON[(int) m[2] - 1]);
                long upTo = mi == months.size() - 1 ? total : Math.round(total * cumulative / weightSum);
                int count = (int) (upTo - written);
                written = upTo;
                SplittableRandom r = random(10, mi);
                long[] at = new long[count];
                for (int k = 0; k < count; k++) {
                    at[k] = m[0] + (long) (r.nextDouble() * (m[1] - m[0]));
                }
                // In time order, so the partition's primary key grows at its right edge.
                Arrays.sort(at);
                StringBuilder props = new StringBuilder(256);
                for (int k = 0; k < count; k++) {
                    int contact = -1;
                    if (r.nextInt(100) < 88) {
                        for (int attempt = 0; attempt < 3 && contact < 0; attempt++) {
                            long skewed = (long) (contactIds.length * Math.pow(r.nextDouble(), 2.2));
                            int candidate = (int) ((skewed * stride) % contactIds.length);
                            if (contactCreated[candidate] <= at[k]) {
                                contact = candidate;
                            }
                        }
                    }
                    String visitor = contact >= 0 ? null : "v" + Long.toHexString(mix(seed ^ r.nextInt(visitors)) >>> 8);
                    props.setLength(0);
                    String type = eventProperties(r, props);
                    out.number(ws).time(at[k]).time(at[k] + 1 + r.nextInt(4)).raw(type)
                            .nullable(contact >= 0 ? contactIds[contact] : null).text(visitor).text(props.toString())
                            .raw("tracker").endRow();
                }
                log.debug("events of {}: {}", YearMonth.from(LocalDate.ofEpochDay(m[0] / DAY)), count);
            }
            for (int k = 0; k < cartEvents.size(); k++) {
                long[] e = cartEvents.get(k);
                out.number(ws).time(e[0]).time(e[0] + 1).raw("cart_updated").number(e[1]).text(null)
                        .text(cartProperties.get(k)).raw("tracker").endRow();
            }
            eventCount = out.rows();
        }
    }

    /** Fills the properties of a random site event and returns its type. */
    private String eventProperties(SplittableRandom r, StringBuilder p) {
        int roll = r.nextInt(100);
        if (roll < 45) {
            String[] page = RussianNames.pick(r, PAGES);
            p.append("{\"url\":\"https://example-supplier.ru").append(page[0]).append("\",\"path\":\"").append(page[0])
                    .append("\",\"title\":\"").append(page[1]).append("\"}");
            return "page_viewed";
        }
        if (roll < 75) {
            Item item = catalogue.popular(r);
            p.append("{\"sku\":\"").append(item.sku()).append("\",\"name\":\"").append(item.name()).append("\",\"price\":");
            CopyRows.appendMoney(p, item.priceKopecks());
            p.append('}');
            return "product_viewed";
        }
        if (roll < 87) {
            String[] content = RussianNames.pick(r, CONTENT);
            p.append("{\"title\":\"").append(content[0].replace("\"", "")).append("\",\"kind\":\"").append(content[1]).append("\"}");
            return "content_viewed";
        }
        Item item = catalogue.popular(r);
        int q = catalogue.quantity(item, r);
        if (roll < 96) {
            p.append("{\"lines\":[{\"sku\":\"").append(item.sku()).append("\",\"name\":\"").append(item.name())
                    .append("\",\"quantity\":").append(q).append(",\"price\":");
            CopyRows.appendMoney(p, item.priceKopecks());
            p.append("}]}");
            return "cart_updated";
        }
        p.append("{\"total\":");
        CopyRows.appendMoney(p, q * item.priceKopecks());
        p.append(",\"currency\":\"RUB\"}");
        return "checkout_started";
    }

    private void requirePartition(YearMonth m) throws SQLException {
        String name = String.format("activity_event_%d_%02d", m.getYear(), m.getMonthValue());
        try (PreparedStatement s = c.prepareStatement("select to_regclass(?) is not null")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    // Rows in the default partition would stop the month's partition from ever being created.
                    throw new IllegalStateException("partition " + name + " of activity_event does not exist yet");
                }
            }
        }
    }

    static boolean partitionsReady(Connection c, long nowEpochSecond) throws SQLException {
        YearMonth first = YearMonth.from(LocalDate.ofEpochDay(Math.floorDiv(nowEpochSecond - 365 * DAY, DAY)));
        try (PreparedStatement s = c.prepareStatement("select to_regclass(?) is not null")) {
            s.setString(1, String.format("activity_event_%d_%02d", first.getYear(), first.getMonthValue()));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    /** The ids of the workspace's rows of a table, in insertion order. */
    private long[] ids(String table, long expected) throws SQLException {
        long[] out = new long[Math.toIntExact(expected)];
        try (PreparedStatement s = c.prepareStatement("select id from " + table + " where workspace_id = ? order by id")) {
            s.setFetchSize(100_000);
            s.setLong(1, ws);
            int n = 0;
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    if (n == out.length) {
                        throw new IllegalStateException(table + " has more rows than were generated: the workspace was not empty");
                    }
                    out[n++] = rs.getLong(1);
                }
            }
            if (n != out.length) {
                throw new IllegalStateException(table + ": expected " + expected + " rows, found " + n);
            }
        }
        return out;
    }

    /** A multiplier that permutes 0..n-1 (coprime to n), so skewed picks do not favour the oldest rows. */
    private static long coprimeStride(int n) {
        long p = 1_000_003L;
        while (gcd(p, n) != 1) {
            p += 2;
        }
        return p % Math.max(1, n) == 0 ? 1 : p;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /** An open-addressing set of 64-bit hashes: a million emails checked for uniqueness in 16 MB, not 150. */
    static final class LongSet {
        private long[] table;
        private int size;

        LongSet(int expected) {
            table = new long[Integer.highestOneBit(Math.max(16, expected * 2)) * 2];
        }

        boolean add(long v) {
            if (size * 2 > table.length) {
                long[] old = table;
                table = new long[old.length * 2];
                size = 0;
                for (long x : old) {
                    if (x != 0) {
                        add(x);
                    }
                }
            }
            int mask = table.length - 1;
            for (int i = (int) mix(v) & mask; ; i = (i + 1) & mask) {
                if (table[i] == 0) {
                    table[i] = v;
                    size++;
                    return true;
                }
                if (table[i] == v) {
                    return false;
                }
            }
        }
    }
}
