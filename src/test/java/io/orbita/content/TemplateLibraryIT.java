package io.orbita.content;

import static org.assertj.core.api.Assertions.assertThat;

import io.orbita.OrbitaIT;
import io.orbita.audience.ContactFilter;
import io.orbita.audience.Contacts;
import io.orbita.commerce.Carts;
import io.orbita.demo.DemoData;
import io.orbita.demo.Scale;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Every library letter, in both languages, renders for real demo clients without a single warning. */
class TemplateLibraryIT extends OrbitaIT {

    @Autowired
    DemoData demo;
    @Autowired
    TemplateLibrary library;
    @Autowired
    Letters letters;
    @Autowired
    Contacts contacts;
    @Autowired
    Carts carts;

    @Test
    void everyLibraryLetterRendersWithDemoDataWithoutWarnings() {
        var ws = newWorkspace();
        demo.generate(ws.id(), Scale.of(120, 20, 400, 500), 11);
        List<Long> ids = contacts.list(ws.id(), ContactFilter.none(), null, 40).items().stream().map(c -> c.id()).toList();
        Map<String, Object> demoCart = null;
        for (long id : contacts.list(ws.id(), ContactFilter.none(), null, 120).items().stream().map(c -> c.id()).toList()) {
            var cart = carts.of(ws.id(), id);
            if (cart.isPresent() && !cart.get().lines().isEmpty()) {
                demoCart = Map.of("lines", cart.get().lines(), "total", cart.get().total(), "currency", cart.get().currency());
                break;
            }
        }
        List<String> problems = new ArrayList<>();
        int rendered = 0;
        for (String lang : TemplateLibrary.LANGS) {
            for (LibraryTemplate lt : library.list(lang)) {
                assertThat(lt.title()).as(lt.code() + "." + lang).isNotBlank();
                assertThat(TemplateKinds.KINDS).contains(lt.kind());
                Template t = library.use(ws.owner(), lt.code(), lang);
                assertThat(t.libraryCode()).isEqualTo(lt.code());
                PreparedLetter prepared = letters.prepare(ws.id(), LetterSource.template(t.id()));
                Map<String, Object> data = new LinkedHashMap<>(lt.sampleData());
                if (data.containsKey("cart") && demoCart != null) {
                    data.put("cart", demoCart);
                }
                LetterData.LetterLinks links = new LetterData.LetterLinks("https://orbita.example/u/x", "https://orbita.example/p/x", "https://orbita.example/w/x");
                for (long contactId : ids) {
                    RenderedLetter r = letters.render(prepared, new LetterData(contactId, null, data, links));
                    rendered++;
                    if (!r.warnings().isEmpty()) {
                        problems.add(lt.code() + "." + lang + " for contact " + contactId + ": " + r.warnings());
                    }
                    assertThat(r.subject()).as(lt.code() + "." + lang).isNotBlank().doesNotContain("{{", "{%");
                    assertThat(r.html()).as(lt.code() + "." + lang).doesNotContain("{{", "{%", "Liquid error")
                            .contains("https://orbita.example/u/x", "style=\"");
                    assertThat(r.text()).as(lt.code() + "." + lang).isNotBlank();
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(rendered).isEqualTo(TemplateLibrary.CODES.size() * 2 * ids.size());
        assertThat(demoCart).as("demo data has an abandoned cart to render").isNotNull();
    }
}
