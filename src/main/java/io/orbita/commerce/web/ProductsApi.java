package io.orbita.commerce.web;

import io.orbita.commerce.Product;
import io.orbita.commerce.Products;
import io.orbita.commerce.RelatedProduct;
import io.orbita.platform.Bulk;
import io.orbita.platform.Cursor;
import io.orbita.platform.JsonInput;
import io.orbita.platform.Page;
import io.orbita.platform.Problems;
import java.util.Optional;
import io.orbita.workspace.Access;
import io.orbita.workspace.OrbitaPrincipal;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/api/v1/products")
@Tag(name = "Products", description = "The catalogue, keyed by SKU, and product relations that drive cross-sell letters.")
class ProductsApi {

    record Relation(@Schema(description = "id of the related product") long relatedId,
                    @Schema(description = "first_necessity, secondary or upgrade") String kind) {
    }

    private final Products products;

    ProductsApi(Products products) {
        this.products = products;
    }

    @GetMapping
    @Access.Read
    @Operation(summary = "List products", description = "Newest first, keyset-paginated; q matches name or SKU.")
    Page<Product> list(@AuthenticationPrincipal OrbitaPrincipal me, @RequestParam(required = false) String q,
                       @RequestParam(required = false) String category, @RequestParam(required = false) String cursor,
                       @RequestParam(required = false) Integer limit) {
        return products.list(me.workspace(), q, category, cursor, Cursor.limit(limit, 500));
    }

    @GetMapping("/{id}")
    @Access.Read
    @Operation(summary = "Get a product")
    Product get(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        return products.get(me.workspace(), id);
    }

    @PostMapping("/upsert")
    @Access.Market
    @Operation(summary = "Create or update a product by SKU", description = "Fields: sku, name, category, price, currency (RUB by default), active.")
    ResponseEntity<Product> upsert(@AuthenticationPrincipal OrbitaPrincipal me,
                                   @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(schema = @Schema(implementation = Products.ProductInput.class)))
                                   @RequestBody JsonNode body) {
        Bulk.ItemResult r = products.upsert(me, Products.ProductInput.fromJson(body));
        return ResponseEntity.status(r.status().equals("created") ? HttpStatus.CREATED : HttpStatus.OK)
                .body(products.get(me.workspace(), r.id()));
    }

    @PostMapping("/bulk")
    @Access.Market
    @Operation(summary = "Upsert up to 1,000 products by SKU", description = "Per-item results: created, updated, unchanged or error.")
    Bulk.Result bulk(@AuthenticationPrincipal OrbitaPrincipal me, @RequestBody JsonNode body) {
        return products.bulkUpsert(me, Bulk.read(body, Products.MAX_BULK, Products.ProductInput::fromJson));
    }

    @DeleteMapping("/{id}")
    @Access.Market
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a product", description = "Order lines keep their SKU and name.")
    void delete(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        products.delete(me, id);
    }

    @GetMapping("/{id}/related")
    @Access.Read
    @Operation(summary = "Products that go with this one", description = """
            Manual relations (first_necessity, secondary, upgrade) followed by products most often bought in the same
            order (bought_together, with the number of such orders; cancelled and refunded orders do not count).""")
    List<RelatedProduct> related(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id,
                                 @RequestParam(defaultValue = "10") int limit) {
        return products.related(me.workspace(), id, Math.max(1, Math.min(limit, 50)));
    }

    @PostMapping("/{id}/relations")
    @Access.Market
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Relate a product to this one")
    void relate(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id,
                @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(schema = @Schema(implementation = Relation.class)))
                @RequestBody JsonNode body) {
        products.get(me.workspace(), id);
        Problems p = new Problems();
        JsonInput j = JsonInput.of(body, p);
        Optional<Long> related = j.id("relatedId");
        Optional<String> kind = j.text("kind");
        j.rejectUnknown();
        if (related == null || related.isEmpty()) {
            p.add("relatedId", "field.required", "relatedId is required");
        }
        p.throwIfAny();
        products.relate(me, id, related.get(), kind == null ? null : kind.orElse(null));
    }

    @DeleteMapping("/{id}/relations/{relatedId}/{kind}")
    @Access.Market
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Remove a relation")
    void unrelate(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id, @PathVariable long relatedId,
                  @PathVariable String kind) {
        products.unrelate(me, id, relatedId, kind);
    }
}
