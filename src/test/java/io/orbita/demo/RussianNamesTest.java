package io.orbita.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.orbita.audience.Inn;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RussianNamesTest {

    @Test
    void transliteratesToAscii() {
        assertThat(RussianNames.translit("Щербаков")).isEqualTo("shcherbakov");
        assertThat(RussianNames.translit("Юлия Соловьёва")).isEqualTo("yuliyasoloveva");
        assertThat(RussianNames.translit("Уралметаллургмаш")).isEqualTo("uralmetallurgmash");
        assertThat(RussianNames.translit("Техноэнергохолдинг")).isEqualTo("tekhnoenergokholding");
    }

    @Test
    void surnamesFollowTheGender() {
        assertThat(RussianNames.surname("Петров", false)).isEqualTo("Петрова");
        assertThat(RussianNames.surname("Соловьёв", false)).isEqualTo("Соловьёва");
        assertThat(RussianNames.surname("Ильин", false)).isEqualTo("Ильина");
        assertThat(RussianNames.surname("Островский", false)).isEqualTo("Островская");
        assertThat(RussianNames.surname("Яровой", false)).isEqualTo("Яровая");
        assertThat(RussianNames.surname("Черных", false)).isEqualTo("Черных");
        assertThat(RussianNames.surname("Шевченко", false)).isEqualTo("Шевченко");
        assertThat(RussianNames.surname("Петров", true)).isEqualTo("Петров");
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 1_000; i++) {
            RussianNames.Person p = RussianNames.person(r);
            assertThat(p.middleName()).endsWith(p.male() ? "ич" : "на");
            if (!p.male()) {
                assertThat(p.lastName()).doesNotEndWith("ов").doesNotEndWith("ев").doesNotEndWith("ин").doesNotEndWith("ский");
            }
            for (int style = 0; style < 5; style++) {
                assertThat(RussianNames.localPart(p, style)).matches("[a-z.]+");
            }
        }
    }

    @Test
    void innsAreValidAndUnique() {
        SplittableRandom r = new SplittableRandom(42);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200_000; i++) {
            String inn = RussianNames.inn(i, r);
            assertThat(Inn.isValid(inn)).as(inn).isTrue();
            assertThat(seen.add(inn.substring(2))).as("unique " + inn).isTrue();
        }
        assertThat(RussianNames.inn(9_999_999, r)).hasSize(10);
    }

    @Test
    void companyNamesLookRussian() {
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 500; i++) {
            int industry = RussianNames.industry(r);
            String core = RussianNames.companyCore(r, industry);
            assertThat(RussianNames.companyName(r, core)).matches("(ООО|АО|ЗАО|ПАО|НПО|ООО ТД) «[А-ЯЁ][а-яё]+»");
            assertThat(RussianNames.translit(core)).matches("[a-z]+");
        }
        assertThat(RussianNames.mobile(r)).matches("\\+79\\d{9}");
    }

    @Test
    void sameSeedSameNames() {
        assertThat(RussianNames.person(new SplittableRandom(5))).isEqualTo(RussianNames.person(new SplittableRandom(5)));
    }
}
