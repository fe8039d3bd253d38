package io.orbita.content.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orbita.content.LetterData;
import io.orbita.content.RenderedLetter;
import io.orbita.platform.ValidationException;
import io.orbita.platform.WorkspaceId;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The renderer without Spring or a database: sample data stands in for a loaded contact. */
class LiquidLettersTest {

    private static final WorkspaceId WS = WorkspaceId.of(1);
    private final LetterModel model = new LetterModel(null, null, null, null, null,
            Clock.fixed(Instant.parse("2026-11-23T09:00:00Z"), ZoneOffset.UTC));
    private final LiquidLetters letters = new LiquidLetters(null, model);

    private LiquidLetters.Compiled compile(String subject, String html) {
        return compile(subject, html, null, Map.of());
    }

    private LiquidLetters.Compiled compile(String subject, String html, String layout, Map<String, String> snippets) {
        return letters.compile(WS, new LiquidLetters.Source(null, null, subject, null, html, null, null), layout, snippets);
    }

    private RenderedLetter sample(LiquidLetters.Compiled c, Map<String, Object> extra) {
        return letters.renderSample(c, new LetterData(null, null, extra, null));
    }

    @Test
    void personalizesWithContactCompanyManagerAndOrders() {
        var c = compile("{{ contact.name }}, заказ {{ orders.first.number }} в {{ company.name }}", """
                <p>Здравствуйте, {{ contact.first_name }} {{ contact.middle_name }}!</p>
                <p>Ваш менеджер {{ manager.name }}, {{ manager.phone }}</p>
                {% for o in orders %}<p>{{ o.number }}: {{ o.total | money }}</p>{% endfor %}
                {% for p in recommended %}<p>{{ p.name }}</p>{% endfor %}""");
        RenderedLetter r = sample(c, Map.of());
        assertThat(r.subject()).isEqualTo("Иван, заказ A-1042 в ООО «Уралприбор»");
        assertThat(r.html()).contains("Здравствуйте, Иван Сергеевич!", "Анна Смирнова, +7 495 123-45-67",
                "A-1042: 48\u00a0900\u00a0₽", "Осветитель ОИ-24");
        assertThat(r.text()).contains("Здравствуйте, Иван Сергеевич!");
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void unknownVariablesAreWarningsNotErrors() {
        var c = compile("{{ contact.frist_name }}Привет", "<p>{{ nobody }} {{ contact.position }} {{ data.cart.size }} {{ data.coupon }}</p>");
        RenderedLetter r = sample(c, Map.of("cart", List.of()));
        assertThat(r.subject()).isEqualTo("Привет");
        assertThat(r.warnings()).containsExactlyInAnyOrder("unknown variable contact.frist_name", "unknown variable nobody",
                "unknown variable data.coupon");
    }

    @Test
    void blankKnownFieldsDoNotWarn() {
        var c = compile("Здравствуйте{% if contact.first_name %}, {{ contact.first_name }}{% endif %}",
                "<p>{{ company.inn | default: 'нет ИНН' }}</p>");
        RenderedLetter r = sample(c, Map.of());
        assertThat(r.html()).contains("нет ИНН");
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void contactDataIsEscapedInHtmlButNotInSubject() {
        var c = compile("Для {{ data.name }}", "<p>{{ data.name }}</p><p>{{ data.block | raw }}</p>");
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("name", "<script>alert(1)</script> & \"Ко\"\r\nBcc: evil@example.com");
        extra.put("block", "<b>доверенный</b>");
        RenderedLetter r = sample(c, extra);
        assertThat(r.html()).contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Ко&quot;").doesNotContain("<script>");
        assertThat(r.html()).contains("<b>доверенный</b>");
        assertThat(r.subject()).isEqualTo("Для <script>alert(1)</script> & \"Ко\" Bcc: evil@example.com").doesNotContain("\r", "\n");
    }

    @Test
    void syntaxErrorsNameThePartAndLine() {
        assertThatThrownBy(() -> compile("ok", "<p>one</p>\n<p>two</p>\n{% if contact.name %}<p>три</p>"))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.problems().getFirst().field()).isEqualTo("html");
                    assertThat(e.problems().getFirst().code()).isEqualTo("liquid.syntax");
                    assertThat(e.problems().getFirst().message()).contains("line 3");
                });
        assertThatThrownBy(() -> compile("Привет {{ contact.name | }}", "<p>x</p>"))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems().getFirst().field()).isEqualTo("subject"));
        assertThatThrownBy(() -> compile("x", "<p>x</p>", "<div>\n{% for x in y %}{{ content }}</div>", Map.of()))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.problems().getFirst().field()).isEqualTo("layout");
                    assertThat(e.problems().getFirst().message()).contains("line 2");
                });
    }

    @Test
    void limitsStopRunawayTemplates() {
        var loop = compile("x", "{% for i in (1..100000) %}{% for j in (1..100000) %}.{% endfor %}{% endfor %}");
        assertThatThrownBy(() -> sample(loop, Map.of())).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.problems().getFirst().code()).startsWith("render.limit"));
        var size = compile("x", "{% assign s = 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}{{ s }}");
        assertThatThrownBy(() -> sample(size, Map.of())).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.problems().getFirst().code()).startsWith("render.limit"));
        var recursive = compile("x", "{% include 'me' %}", null, Map.of("me", "a{% include 'me' %}"));
        assertThatThrownBy(() -> sample(recursive, Map.of())).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.problems().getFirst().code()).isEqualTo("render.limit.includeDepth"));
    }

    @Test
    void includeResolvesOnlyTheWorkspacesSnippets() {
        var c = compile("x", "{% include 'manager_block' %}|{% render 'manager_block' %}|{% include '/etc/passwd' %}|{% include '../../pom.xml' %}",
                null, Map.of("manager_block", "<b>{{ manager.name }}</b>"));
        RenderedLetter r = sample(c, Map.of());
        assertThat(r.html()).contains("<b>Анна Смирнова</b>|<b>Анна Смирнова</b>||").doesNotContain("root:", "<project");
        assertThat(r.warnings()).contains("unknown snippet '/etc/passwd'", "unknown snippet '../../pom.xml'");
    }

    @Test
    void layoutWrapsTheContentAndPreheaderIsHidden() {
        var c = letters.compile(WS, new LiquidLetters.Source(null, null, "Тема", "Коротко о главном, {{ contact.name }}",
                "<p>Тело {{ contact.name }}</p>", null, null), "<html><body><header>Бренд</header>{{ content }}<footer><a href=\"{{ links.unsubscribe }}\">Отписаться</a></footer></body></html>", Map.of());
        RenderedLetter r = sample(c, Map.of());
        assertThat(r.preheader()).isEqualTo("Коротко о главном, Иван");
        assertThat(r.html()).contains("<header>Бренд</header><p>Тело Иван</p><footer>").contains("display:none");
        assertThat(r.text()).contains("Тело Иван", "Отписаться (https://example.ru/unsubscribe)").doesNotContain("Коротко о главном");
    }

    @Test
    void russianFilters() {
        var c = compile("x", "{{ data.sum | money }}|{{ data.d | ru_date }}|{{ data.n }} {{ data.n | plural: 'товар|товара|товаров' }}|{{ 21 | plural: 'день|дня|дней' }}|{{ data.usd | money: 'USD' }}");
        RenderedLetter r = sample(c, Map.of("sum", new java.math.BigDecimal("4882704"), "d", "2026-03-05", "n", 3, "usd", 12.5));
        assertThat(r.html()).isEqualTo("4\u00a0882\u00a0704\u00a0₽|5 марта 2026|3 товара|день|12,50\u00a0$");
    }
}
