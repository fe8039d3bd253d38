package io.orbita.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The demo vendor's catalogue: a supplier of instruments, optics and industrial automation, with consumables, spare
 * parts, software and services, and the relations between them that cross-sell letters use (a device needs its
 * consumables first, services second, and the next model up is the upgrade).
 */
final class Catalogue {

    /** How a category sells: devices one at a time, consumables by the dozen. */
    enum Kind { DEVICE, CONSUMABLE, PART, SOFTWARE, SERVICE }

    record Category(String code, String name, Kind kind, String[] types, long minRub, long maxRub, int popularity) {
    }

    record Item(int index, String sku, String name, int category, int type, int level, long priceKopecks) {
    }

    record Relation(int product, int related, String kind) {
    }

    static final Category[] CATEGORIES = {
            new Category("IZM", "Измерительные приборы", Kind.DEVICE,
                    new String[]{"Мультиметр", "Осциллограф", "Тепловизор", "Толщиномер", "Твердомер", "Дефектоскоп"}, 15_000, 450_000, 6),
            new Category("OPT", "Оптика", Kind.DEVICE,
                    new String[]{"Микроскоп", "Стереомикроскоп", "Эндоскоп технический", "Лупа измерительная", "Объектив", "Видеоокуляр"}, 8_000, 600_000, 6),
            new Category("DAT", "Датчики", Kind.DEVICE,
                    new String[]{"Датчик давления", "Датчик температуры", "Датчик уровня", "Расходомер", "Энкодер", "Датчик приближения"}, 3_000, 60_000, 12),
            new Category("AVT", "Контроллеры и автоматика", Kind.DEVICE,
                    new String[]{"Контроллер ПЛК", "Панель оператора", "Модуль ввода-вывода", "Частотный преобразователь", "Сервопривод", "Реле времени"}, 8_000, 350_000, 8),
            new Category("KAB", "Кабели и коммутация", Kind.CONSUMABLE,
                    new String[]{"Кабель экранированный", "Коннектор", "Клеммник", "Коммутатор промышленный"}, 300, 40_000, 10),
            new Category("RSM", "Расходные материалы", Kind.CONSUMABLE,
                    new String[]{"Калибровочный раствор", "Иммерсионное масло", "Предметные стёкла", "Набор фильтров", "Щупы измерительные", "Салфетки для оптики"}, 200, 8_000, 16),
            new Category("ZCH", "Запчасти", Kind.PART,
                    new String[]{"Блок питания", "Плата управления", "Лампа подсветки", "Аккумулятор", "Уплотнитель"}, 1_000, 30_000, 6),
            new Category("SOFT", "Программное обеспечение", Kind.SOFTWARE,
                    new String[]{"Лицензия SCADA", "Модуль аналитики", "ПО для микроскопа", "Пакет отчётов"}, 20_000, 400_000, 3),
            new Category("SRV", "Сервис и обучение", Kind.SERVICE,
                    new String[]{"Поверка прибора", "Пусконаладка", "Обучение персонала", "Выезд инженера", "Расширенная гарантия"}, 5_000, 150_000, 5)};

    final List<Item> items;
    final List<Relation> relations;
    private final int[] byPopularity;

    Catalogue(int size, SplittableRandom r) {
        items = new ArrayList<>(size);
        long[][] basePrice = new long[CATEGORIES.length][];
        for (int c = 0; c < CATEGORIES.length; c++) {
            Category cat = CATEGORIES[c];
            basePrice[c] = new long[cat.types().length];
            for (int t = 0; t < cat.types().length; t++) {
                // Log-uniform in the category's range, so cheap and expensive types both exist.
                double lo = Math.log(cat.minRub()), hi = Math.log(cat.maxRub() / 3.0);
                basePrice[c][t] = (long) Math.exp(lo + r.nextDouble() * Math.max(0.01, hi - lo));
            }
        }
        for (int i = 0; i < size; i++) {
            int c = i % CATEGORIES.length;
            Category cat = CATEGORIES[c];
            int k = i / CATEGORIES.length;
            int t = k % cat.types().length;
            int level = k / cat.types().length;
            String series = series(cat.types()[t]);
            int model = (level + 1) * 100 + r.nextInt(10) * 10;
            long rub = Math.round(basePrice[c][t] * Math.pow(1.6, level) * (0.9 + r.nextDouble() * 0.2));
            rub = rub >= 10_000 ? rub / 100 * 100 : Math.max(10, rub / 10 * 10);
            String name = cat.types()[t] + " " + series + "-" + model;
            items.add(new Item(i, cat.code() + "-" + (1001 + i), name, c, t, level, rub * 100));
        }
        relations = relations(r);
        List<Integer> weighted = new ArrayList<>();
        for (Item item : items) {
            // Popular categories and entry-level models are bought most.
            int w = Math.max(1, CATEGORIES[item.category()].popularity() * 3 / (item.level() + 1));
            for (int j = 0; j < w; j++) {
                weighted.add(item.index());
            }
        }
        byPopularity = weighted.stream().mapToInt(Integer::intValue).toArray();
    }

    Item popular(SplittableRandom r) {
        return items.get(byPopularity[r.nextInt(byPopularity.length)]);
    }

    Kind kind(Item item) {
        return CATEGORIES[item.category()].kind();
    }

    String category(Item item) {
        return CATEGORIES[item.category()].name();
    }

    /** How many of this item an order takes. */
    int quantity(Item item, SplittableRandom r) {
        return switch (kind(item)) {
            case DEVICE -> r.nextInt(10) < 8 ? 1 : 2 + r.nextInt(4);
            case CONSUMABLE -> 1 + r.nextInt(r.nextInt(4) == 0 ? 50 : 10);
            case PART -> 1 + r.nextInt(4);
            case SOFTWARE, SERVICE -> 1;
        };
    }

    /** The first-necessity complement of a device, if the catalogue has one. */
    Item firstNecessity(Item item) {
        for (Relation rel : relations) {
            if (rel.product() == item.index() && rel.kind().equals("first_necessity")) {
                return items.get(rel.related());
            }
        }
        return null;
    }

    private List<Relation> relations(SplittableRandom r) {
        List<Relation> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Item item : items) {
            if (kind(item) != Kind.DEVICE) {
                continue;
            }
            add(out, seen, item, pickOf(r, Kind.CONSUMABLE, Kind.PART), "first_necessity");
            if (r.nextBoolean()) {
                add(out, seen, item, pickOf(r, Kind.CONSUMABLE, Kind.PART), "first_necessity");
            }
            add(out, seen, item, pickOf(r, Kind.SERVICE, Kind.SOFTWARE), "secondary");
            for (Item next : items) {
                if (next.category() == item.category() && next.type() == item.type() && next.level() == item.level() + 1) {
                    add(out, seen, item, next, "upgrade");
                }
            }
        }
        return out;
    }

    private static void add(List<Relation> out, java.util.Set<String> seen, Item a, Item b, String kind) {
        if (b != null && a.index() != b.index() && seen.add(a.index() + "/" + kind + "/" + b.index())) {
            out.add(new Relation(a.index(), b.index(), kind));
        }
    }

    private Item pickOf(SplittableRandom r, Kind... kinds) {
        List<Item> candidates = items.stream().filter(i -> java.util.Arrays.asList(kinds).contains(kind(i))).toList();
        return candidates.isEmpty() ? null : candidates.get(r.nextInt(candidates.size()));
    }

    /** A model series from the type's initials: Датчик давления → ДД, Осциллограф → ОСЦ. */
    private static String series(String type) {
        String[] words = type.replace("-", " ").split(" ");
        if (words.length == 1) {
            return type.substring(0, 3).toUpperCase(java.util.Locale.ROOT);
        }
        StringBuilder s = new StringBuilder();
        for (String w : words) {
            if (!w.isEmpty() && Character.isLetter(w.charAt(0))) {
                s.append(Character.toUpperCase(w.charAt(0)));
            }
        }
        return s.toString();
    }
}
