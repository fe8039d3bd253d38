package io.orbita.content.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

/** CSS inlining and the automatic text part, on small cases and on a real-looking table newsletter. */
class HtmlPostProcessingTest {

    private static String newsletter() throws IOException {
        try (InputStream in = HtmlPostProcessingTest.class.getResourceAsStream("/content/third-party-newsletter.html")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void inlinesSimpleRulesBySpecificityAndKeepsInlineStylesOnTop() {
        String out = CssInliner.inline("""
                <html><head><style>p { color: red; margin: 0 } .lead { color: blue } #x { color: green } p.lead { font-size: 18px }
                a:hover { color: pink } @media (max-width: 600px) { p { font-size: 20px } }</style></head>
                <body><p>a</p><p class="lead">b</p><p class="lead" id="x">c</p><p class="lead" style="color: black">d</p><a href="/x">e</a></body></html>""");
        Document d = Jsoup.parse(out);
        assertThat(d.select("p").get(0).attr("style")).isEqualTo("color: red; margin: 0;");
        assertThat(d.select("p").get(1).attr("style")).isEqualTo("color: blue; margin: 0; font-size: 18px;");
        assertThat(d.select("p").get(2).attr("style")).contains("color: green;");
        assertThat(d.select("p").get(3).attr("style")).isEqualTo("margin: 0; font-size: 18px; color: black;");
        assertThat(d.select("a").attr("style")).isEmpty();
        String kept = d.select("style").html();
        assertThat(kept).contains("a:hover", "@media (max-width: 600px)").doesNotContain(".lead");
    }

    @Test
    void htmlWithoutStylesIsReturnedUntouched() {
        String html = "<table bgcolor=\"#fff\"><tr><td><a href=\"https://x.ru/?a=1&amp;b=2\">Ссылка</a></td></tr></table>";
        assertThat(CssInliner.inline(html)).isSameAs(html);
    }

    @Test
    void aThirdPartyNewsletterSurvivesInliningUnchangedOtherwise() throws IOException {
        String original = newsletter();
        String out = CssInliner.inline(original);
        Document before = Jsoup.parse(original);
        Document after = Jsoup.parse(out);

        assertThat(out).startsWith("<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\"");
        assertThat(attrs(after, "a[href]", "href")).isEqualTo(attrs(before, "a[href]", "href"))
                .contains("https://optikapro.ru/catalog/mbs-10?utm_source=email&utm_campaign=nov2026&ref=%D0%BF%D0%B8%D1%81%D1%8C%D0%BC%D0%BE");
        assertThat(attrs(after, "img", "src")).isEqualTo(attrs(before, "img", "src"));
        assertThat(attrs(after, "img", "alt")).isEqualTo(attrs(before, "img", "alt"));
        assertThat(after.body().text()).isEqualTo(before.body().text());
        assertThat(after.select("table, tr, td, p, a, img").size()).isEqualTo(before.select("table, tr, td, p, a, img").size());
        // Every attribute but style is exactly as it was, element by element.
        List<Element> b = before.body().select("*");
        List<Element> a = after.body().select("*");
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < b.size(); i++) {
            assertThat(a.get(i).tagName()).isEqualTo(b.get(i).tagName());
            assertThat(nonStyle(a.get(i))).as(b.get(i).cssSelector()).isEqualTo(nonStyle(b.get(i)));
        }
        // Rules are inlined; the element's own style wins; Outlook's conditional comments and the media query stay.
        assertThat(after.selectFirst("a.btn").attr("style")).contains("color: #ffffff;", "padding: 10px 22px;")
                .endsWith("background-color:#2b8a3e;").doesNotContain("#e8590c");
        assertThat(after.selectFirst("h1.headline").attr("style")).contains("font-family: Georgia, serif;");
        assertThat(after.selectFirst("#footer p").attr("style")).contains("font-size: 11px;");
        assertThat(after.selectFirst("td.product-name").attr("style")).contains("font-weight: bold;", "color:#0b3d91;");
        assertThat(out).contains("<!--[if mso]><table role=\"presentation\" width=\"600\" align=\"center\"><tr><td><![endif]-->",
                "<!--[if gte mso 9]>", "@media screen and (max-width: 600px)", "a:hover");
        assertThat(after.body().attr("bgcolor")).isEqualTo("#eeeeee");
        assertThat(after.body().attr("style")).contains("background-color: #eeeeee;", "margin:0;padding:0;");
    }

    @Test
    void textPartKeepsLinksAndStructure() throws IOException {
        String text = TextPart.of(newsletter());
        assertThat(text).contains("Новые микроскопы уже на складе", "Скидка 10 % — до 30 ноября.",
                "Купить (https://optikapro.ru/catalog/mbs-10?utm_source=email&utm_campaign=nov2026&ref=%D0%BF%D0%B8%D1%81%D1%8C%D0%BC%D0%BE)",
                "Отписаться (https://optikapro.ru/unsubscribe?e=%7B%7Bemail%7D%7D)", "info@optikapro.ru",
                "Микроскоп МБС-10\n48 900 ₽", "ОптикаПро (https://optikapro.ru/?utm_source=email&utm_medium=newsletter&utm_campaign=nov2026)");
        assertThat(text).doesNotContain("<", "mso-", "Новости «ОптикаПро» — ноябрь 2026", "\n\n\n");
        assertThat(TextPart.of("<div class=\"preheader\" style=\"display:none\">скрыто</div><p>Раз</p><p>Два<br>три</p><ul><li>один</li><li>два</li></ul><p><a href=\"https://a.ru\">https://a.ru</a></p>"))
                .isEqualTo("Раз\n\nДва\nтри\n\n- один\n- два\n\nhttps://a.ru");
    }

    @Test
    void theWholeRenderLeavesAPastedNewsletterAsTheInlinerMadeIt() throws IOException {
        var letters = new LiquidLetters(null, new LetterModel(null, null, null, null, null, java.time.Clock.systemUTC()));
        String html = newsletter();
        var compiled = letters.compile(io.orbita.platform.WorkspaceId.of(1),
                new LiquidLetters.Source(null, null, "Новости", null, html, null, null), null, java.util.Map.of());
        var r = letters.renderSample(compiled, new io.orbita.content.LetterData(null, null, java.util.Map.of(), null));
        assertThat(r.html()).isEqualTo(CssInliner.inline(html));
        assertThat(r.warnings()).isEmpty();
    }

    private static List<String> attrs(Document d, String selector, String attr) {
        return d.select(selector).eachAttr(attr);
    }

    private static List<String> nonStyle(Element e) {
        List<String> out = new ArrayList<>();
        for (Attribute a : e.attributes()) {
            if (!a.getKey().equals("style")) {
                out.add(a.getKey() + "=" + a.getValue());
            }
        }
        return out;
    }
}
