package io.orbita.demo;

import java.util.SplittableRandom;

/**
 * The Russian side of the demo data: people with gender-consistent surnames and patronymics, company names built from
 * word parts, industries, positions, taxpayer numbers with valid check digits and ASCII transliteration for emails
 * and domains. Everything is drawn from the caller's random source, so a seed gives the same names every time.
 */
final class RussianNames {

    private RussianNames() {
    }

    /** A person as a contact or a manager needs it. */
    record Person(String firstName, String lastName, String middleName, boolean male) {

        String displayName() {
            return firstName + " " + lastName;
        }
    }

    static final String[] MALE_FIRST = {"Александр", "Алексей", "Андрей", "Антон", "Артём", "Борис", "Вадим", "Валерий",
            "Василий", "Виктор", "Владимир", "Владислав", "Вячеслав", "Геннадий", "Георгий", "Григорий", "Денис", "Дмитрий",
            "Евгений", "Егор", "Иван", "Игорь", "Илья", "Кирилл", "Константин", "Леонид", "Максим", "Михаил", "Никита",
            "Николай", "Олег", "Павел", "Пётр", "Роман", "Руслан", "Сергей", "Станислав", "Степан", "Тимур", "Фёдор",
            "Юрий", "Ярослав"};

    static final String[] FEMALE_FIRST = {"Александра", "Алина", "Алла", "Анастасия", "Анна", "Валентина", "Валерия",
            "Вера", "Виктория", "Галина", "Дарья", "Евгения", "Екатерина", "Елена", "Елизавета", "Жанна", "Ирина", "Карина",
            "Кристина", "Ксения", "Лариса", "Любовь", "Людмила", "Маргарита", "Марина", "Мария", "Надежда", "Наталья",
            "Нина", "Оксана", "Ольга", "Полина", "Светлана", "Софья", "Татьяна", "Юлия", "Яна"};

    /** Male forms; {@link #surname} makes the female form where Russian grammar has one. */
    static final String[] SURNAMES = {"Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов",
            "Михайлов", "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров", "Павлов",
            "Козлов", "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин", "Захаров", "Зайцев", "Соловьёв",
            "Борисов", "Яковлев", "Григорьев", "Романов", "Воробьёв", "Сергеев", "Кузьмин", "Фролов", "Александров",
            "Дмитриев", "Королёв", "Гусев", "Киселёв", "Ильин", "Максимов", "Поляков", "Сорокин", "Виноградов", "Ковалёв",
            "Белов", "Медведев", "Антонов", "Тарасов", "Жуков", "Баранов", "Филиппов", "Комаров", "Давыдов", "Беляев",
            "Герасимов", "Богданов", "Осипов", "Сидоров", "Матвеев", "Титов", "Марков", "Миронов", "Крылов", "Куликов",
            "Карпов", "Власов", "Мельников", "Денисов", "Гаврилов", "Тихонов", "Казаков", "Афанасьев", "Данилов",
            "Савельев", "Тимофеев", "Фомин", "Чернов", "Абрамов", "Мартынов", "Ефимов", "Федотов", "Щербаков", "Назаров",
            "Калинин", "Исаев", "Чернышёв", "Быков", "Маслов", "Родионов", "Коновалов", "Лазарев", "Воронин", "Климов",
            "Филатов", "Пономарёв", "Голубев", "Кудрявцев", "Прохоров", "Наумов", "Потапов", "Журавлёв", "Овчинников",
            "Трофимов", "Леонов", "Соболев", "Ермаков", "Колесников", "Гончаров", "Емельянов", "Никифоров", "Грачёв",
            "Котов", "Гришин", "Ефремов", "Архипов", "Громов", "Кириллов", "Малышев", "Панов", "Моисеев", "Румянцев",
            "Акимов", "Кондратьев", "Бирюков", "Горбунов", "Анисимов", "Ерёмин", "Тихомиров", "Галкин", "Лукьянов",
            "Михеев", "Скворцов", "Юдин", "Белоусов", "Нестеров", "Симонов", "Прокофьев", "Харитонов", "Князев",
            "Цветков", "Левин", "Митрофанов", "Воронов", "Аксёнов", "Софронов", "Мальцев", "Логинов", "Горшков",
            "Савин", "Краснов", "Майоров", "Демидов", "Елисеев", "Рыбаков", "Сафонов", "Плотников", "Дёмин", "Хохлов",
            "Жданов", "Островский", "Вишневский", "Покровский", "Яровой", "Черных", "Белых", "Седых", "Ковальчук",
            "Шевченко", "Бондаренко", "Кравченко", "Мельниченко", "Савчук", "Гордеев", "Зуев", "Блинов", "Шубин"};

    /** Patronymics as {male, female}. */
    static final String[][] PATRONYMICS = {{"Александрович", "Александровна"}, {"Алексеевич", "Алексеевна"},
            {"Андреевич", "Андреевна"}, {"Анатольевич", "Анатольевна"}, {"Борисович", "Борисовна"},
            {"Валерьевич", "Валерьевна"}, {"Васильевич", "Васильевна"}, {"Викторович", "Викторовна"},
            {"Владимирович", "Владимировна"}, {"Вячеславович", "Вячеславовна"}, {"Геннадьевич", "Геннадьевна"},
            {"Григорьевич", "Григорьевна"}, {"Дмитриевич", "Дмитриевна"}, {"Евгеньевич", "Евгеньевна"},
            {"Иванович", "Ивановна"}, {"Игоревич", "Игоревна"}, {"Ильич", "Ильинична"}, {"Константинович", "Константиновна"},
            {"Леонидович", "Леонидовна"}, {"Михайлович", "Михайловна"}, {"Николаевич", "Николаевна"},
            {"Олегович", "Олеговна"}, {"Павлович", "Павловна"}, {"Петрович", "Петровна"}, {"Романович", "Романовна"},
            {"Сергеевич", "Сергеевна"}, {"Станиславович", "Станиславовна"}, {"Юрьевич", "Юрьевна"},
            {"Фёдорович", "Фёдоровна"}, {"Максимович", "Максимовна"}};

    static final String[] INDUSTRIES = {"Машиностроение", "Металлообработка", "Оптика и приборы",
            "Промышленная автоматизация", "Строительство", "Логистика", "IT и телеком", "Агро", "Энергетика", "Медицина"};

    /** Word roots of company names, per industry (same order as {@link #INDUSTRIES}). */
    private static final String[][] ROOTS = {
            {"маш", "станко", "агрегат", "механ", "дизель", "турбо", "гидро"},
            {"металл", "металлург", "сталь", "прокат", "литьё", "метиз", "профиль"},
            {"оптик", "прибор", "линз", "фотон", "спектр", "лазер", "визор"},
            {"автоматик", "контроль", "электро", "привод", "сенсор", "робот", "сигнал"},
            {"строй", "бетон", "монтаж", "кирпич", "фасад", "кровля", "арматур"},
            {"транс", "логист", "экспедит", "карго", "склад", "авто", "грузо"},
            {"софт", "инфо", "телеком", "нет", "дата", "кибер", "код"},
            {"агро", "зерно", "хлеб", "молоко", "сад", "фермер", "урожай"},
            {"энерго", "электро", "сетев", "тепло", "газ", "нефте", "свет"},
            {"мед", "фарм", "био", "здрав", "клиник", "диагност", "лаб"}};

    private static final String[] PREFIXES = {"Урал", "Сиб", "Волга", "Нева", "Дон", "Кама", "Балт", "Север", "Вост",
            "Юг", "Мос", "Петро", "Техно", "Спец", "Пром", "Инж", "Гранд", "Мега", "Про", "Альфа", "Нова", "Рус",
            "Евро", "Центр", "Стандарт", "Интер", "Прайм", "Вектор", "Старт", "Эко", "Полюс", "Меридиан", "Байкал",
            "Алтай", "Тула", "Ока", "Енисей", "Ангара"};

    private static final String[] SUFFIXES = {"сервис", "комплект", "снаб", "трейд", "групп", "маш", "монтаж",
            "систем", "инвест", "проект", "тех", "ресурс", "пром", "холдинг", "лайн", "капитал", "индустрия", "поставка",
            "завод", "торг", "мир", "плюс"};

    private static final String[] LEGAL_FORMS = {"ООО", "ООО", "ООО", "ООО", "ООО", "ООО", "ООО", "ООО", "АО", "АО",
            "ЗАО", "ПАО", "НПО", "ООО ТД"};

    /** Positions with weights: many buyers and engineers, fewer directors. */
    private static final String[] POSITIONS = {"Генеральный директор", "Технический директор", "Коммерческий директор",
            "Финансовый директор", "Главный инженер", "Главный механик", "Главный технолог", "Начальник отдела снабжения",
            "Менеджер по закупкам", "Специалист по закупкам", "Инженер-конструктор", "Инженер-технолог",
            "Начальник производства", "Руководитель отдела продаж", "Главный энергетик", "Руководитель ИТ-отдела",
            "Заведующий лабораторией", "Главный бухгалтер", "Офис-менеджер", "Ведущий инженер"};
    private static final int[] POSITION_WEIGHTS = {4, 4, 3, 2, 6, 3, 3, 8, 14, 8, 6, 5, 4, 4, 3, 3, 2, 3, 3, 6};
    private static final int POSITION_TOTAL = java.util.Arrays.stream(POSITION_WEIGHTS).sum();

    /** Regions' first two INN digits (Moscow, St Petersburg, Moscow region, Sverdlovsk, Tatarstan, ...). */
    private static final String[] INN_REGIONS = {"77", "77", "77", "78", "78", "50", "50", "66", "16", "52", "54",
            "74", "02", "63", "61", "23", "59", "24", "36", "38", "42", "55", "72", "76"};

    static final String[] MANAGER_POSITIONS = {"Менеджер по работе с ключевыми клиентами", "Менеджер по продажам",
            "Старший менеджер по продажам", "Руководитель отдела продаж", "Менеджер по работе с партнёрами",
            "Ведущий менеджер по работе с клиентами"};

    private static final String[] PERSONAL_DOMAINS = {"mail.ru", "yandex.ru", "gmail.com", "bk.ru", "inbox.ru", "list.ru", "rambler.ru"};

    static Person person(SplittableRandom r) {
        boolean male = r.nextInt(100) < 56;
        String first = male ? pick(r, MALE_FIRST) : pick(r, FEMALE_FIRST);
        String last = surname(pick(r, SURNAMES), male);
        String middle = PATRONYMICS[r.nextInt(PATRONYMICS.length)][male ? 0 : 1];
        return new Person(first, last, middle, male);
    }

    /** The surname in the person's gender: Петров/Петрова, Островский/Островская; Черных and Шевченко do not change. */
    static String surname(String male, boolean isMale) {
        if (isMale) {
            return male;
        }
        if (male.endsWith("ский") || male.endsWith("цкий")) {
            return male.substring(0, male.length() - 2) + "ая";
        }
        if (male.endsWith("ой")) {
            return male.substring(0, male.length() - 2) + "ая";
        }
        if (male.endsWith("ов") || male.endsWith("ев") || male.endsWith("ёв") || male.endsWith("ин") || male.endsWith("ын")) {
            return male + "а";
        }
        return male;
    }

    static String position(SplittableRandom r) {
        int x = r.nextInt(POSITION_TOTAL);
        for (int i = 0; i < POSITIONS.length; i++) {
            x -= POSITION_WEIGHTS[i];
            if (x < 0) {
                return POSITIONS[i];
            }
        }
        return POSITIONS[0];
    }

    static int industry(SplittableRandom r) {
        return r.nextInt(INDUSTRIES.length);
    }

    /** A company name without its legal form, e.g. Уралметаллургмаш or Технопромсервис. */
    static String companyCore(SplittableRandom r, int industry) {
        String root = pick(r, ROOTS[industry]);
        String name = switch (r.nextInt(4)) {
            case 0 -> pick(r, PREFIXES) + root;
            case 1 -> capitalize(root) + pick(r, SUFFIXES);
            default -> pick(r, PREFIXES) + root + pick(r, SUFFIXES);
        };
        return capitalize(name.toLowerCase(java.util.Locale.ROOT));
    }

    /** The full name with the legal form and Russian quotes: ООО «Технопромсервис». */
    static String companyName(SplittableRandom r, String core) {
        return pick(r, LEGAL_FORMS) + " «" + core + "»";
    }

    static String personalDomain(SplittableRandom r) {
        return pick(r, PERSONAL_DOMAINS);
    }

    /**
     * A 10-digit organisation INN, unique per {@code index} (below 10,000,000): region digits, then a bijective scramble
     * of the index, then the check digit.
     */
    static String inn(long index, SplittableRandom r) {
        if (index < 0 || index >= 10_000_000) {
            throw new IllegalArgumentException("index out of range");
        }
        long body = (index * 3_999_971L + 1_234_567L) % 10_000_000L;
        String nine = pick(r, INN_REGIONS) + String.format("%07d", body);
        int[] w = {2, 4, 10, 3, 5, 9, 4, 6, 8};
        int sum = 0;
        for (int i = 0; i < 9; i++) {
            sum += w[i] * (nine.charAt(i) - '0');
        }
        return nine + (sum % 11 % 10);
    }

    /** Russian to lower-case ASCII, as people write their names in email addresses (Щербаков → shcherbakov). */
    static String translit(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (char c : s.toLowerCase(java.util.Locale.ROOT).toCharArray()) {
            b.append(switch (c) {
                case 'а' -> "a"; case 'б' -> "b"; case 'в' -> "v"; case 'г' -> "g"; case 'д' -> "d";
                case 'е', 'ё', 'э' -> "e"; case 'ж' -> "zh"; case 'з' -> "z"; case 'и' -> "i"; case 'й' -> "y";
                case 'к' -> "k"; case 'л' -> "l"; case 'м' -> "m"; case 'н' -> "n"; case 'о' -> "o"; case 'п' -> "p";
                case 'р' -> "r"; case 'с' -> "s"; case 'т' -> "t"; case 'у' -> "u"; case 'ф' -> "f"; case 'х' -> "kh";
                case 'ц' -> "ts"; case 'ч' -> "ch"; case 'ш' -> "sh"; case 'щ' -> "shch"; case 'ъ', 'ь' -> "";
                case 'ы' -> "y"; case 'ю' -> "yu"; case 'я' -> "ya";
                default -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ? String.valueOf(c) : "";
            });
        }
        return b.toString();
    }

    /** The local part of a work address in one of the usual styles: i.petrov, ivan.petrov, petrov, ipetrov, petrov.i. */
    static String localPart(Person p, int style) {
        String f = translit(p.firstName());
        String l = translit(p.lastName());
        return switch (Math.floorMod(style, 5)) {
            case 0 -> f.charAt(0) + "." + l;
            case 1 -> f + "." + l;
            case 2 -> l;
            case 3 -> f.charAt(0) + l;
            default -> l + "." + f.charAt(0);
        };
    }

    /** A Russian mobile number in the stored form, +79XXXXXXXXX. */
    static String mobile(SplittableRandom r) {
        return "+79" + String.format("%02d", r.nextInt(100)) + String.format("%07d", r.nextInt(10_000_000));
    }

    static <T> T pick(SplittableRandom r, T[] from) {
        return from[r.nextInt(from.length)];
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
