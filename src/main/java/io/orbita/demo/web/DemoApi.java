package io.orbita.demo.web;

import io.orbita.demo.DemoData;
import io.orbita.demo.Scale;
import io.orbita.platform.JsonInput;
import io.orbita.platform.Problems;
import io.orbita.workspace.Access;
import io.orbita.workspace.OrbitaPrincipal;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/api/v1/demo")
@Tag(name = "Demo data", description = "Fills an empty workspace with a realistic Russian B2B client base to try Orbita on.")
class DemoApi {

    record DemoRequest(@Schema(description = "only demo (about 2,000 contacts) through the API", example = "demo") String scale) {
    }

    private final DemoData demo;

    DemoApi(DemoData demo) {
        this.demo = demo;
    }

    @PostMapping
    @Access.Market
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Generate demo data into this workspace", description = """
            About 2,000 contacts of 250 companies with personal managers, 300 products with relations, orders over four
            years with seasonality, repeat buyers and churners, contracts with renewal dates, a year of site events and
            abandoned carts. Only into a workspace without contacts, companies, products or orders (400 otherwise).
            The large benchmark set is generated from the command line (see bench/README.md), not through the API.""")
    DemoData.Result generate(@AuthenticationPrincipal OrbitaPrincipal me,
                             @io.swagger.v3.oas.annotations.parameters.RequestBody(required = false,
                                     content = @Content(schema = @Schema(implementation = DemoRequest.class)))
                             @RequestBody(required = false) JsonNode body) {
        Problems p = new Problems();
        Optional<String> scale = null;
        if (body != null && !body.isNull()) {
            JsonInput j = JsonInput.of(body, p);
            scale = j.text("scale");
            j.rejectUnknown();
        }
        if (scale != null && scale.isPresent() && !scale.get().strip().equalsIgnoreCase("demo")) {
            p.add("scale", "demo.scaleNotAllowed", "only the demo scale can be generated through the API");
        }
        p.throwIfAny();
        return demo.generate(me.workspace(), Scale.DEMO, DemoPages.UI_SEED, me.actor());
    }
}
