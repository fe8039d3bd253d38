package io.orbita.commerce.web;

import io.orbita.commerce.Contract;
import io.orbita.commerce.Contracts;
import io.orbita.commerce.Order;
import io.orbita.commerce.Orders;
import io.orbita.commerce.PurchaseSummary;
import io.orbita.audience.Contacts;
import io.orbita.platform.Bulk;
import io.orbita.platform.Cursor;
import io.orbita.platform.Page;
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
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@Tag(name = "Orders and contracts", description = """
        Purchases and contracts of contacts and companies, upserted by the external id of the shop or CRM (sending the
        same order twice stores it once). Cancelled and refunded orders are kept but are not purchases.""")
class OrdersApi {

    /** A client's purchases at a glance, as the contact and company cards show them. */
    record Purchases(PurchaseSummary summary, List<Order> recentOrders, List<Contract> contracts) {
    }

    private final Orders orders;
    private final Contracts contracts;
    private final Contacts contacts;
    private final io.orbita.audience.Companies companies;

    private final io.orbita.commerce.Carts carts;

    OrdersApi(Orders orders, Contracts contracts, Contacts contacts, io.orbita.audience.Companies companies,
              io.orbita.commerce.Carts carts) {
        this.carts = carts;
        this.orders = orders;
        this.contracts = contracts;
        this.contacts = contacts;
        this.companies = companies;
    }

    @GetMapping("/api/v1/orders")
    @Access.Read
    @Operation(summary = "List orders", description = "Newest first, keyset-paginated; filter by contactId or companyId.")
    Page<Order> list(@AuthenticationPrincipal OrbitaPrincipal me, @RequestParam(required = false) Long contactId,
                     @RequestParam(required = false) Long companyId, @RequestParam(required = false) String cursor,
                     @RequestParam(required = false) Integer limit) {
        return orders.list(me.workspace(), contactId, companyId, cursor, Cursor.limit(limit, 500));
    }

    @GetMapping("/api/v1/orders/{id}")
    @Access.Read
    @Operation(summary = "Get an order with its lines")
    Order get(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        return orders.get(me.workspace(), id);
    }

    @PostMapping("/api/v1/orders/upsert")
    @Access.EditAudience
    @Operation(summary = "Create or update an order by externalId", description = """
            Fields: externalId (required), contactId or contactEmail and/or companyId, placedAt (ISO; a date or local time
            is read in Moscow time), status (placed, paid, shipped, cancelled, refunded), currency, total, and lines
            [{sku or productId, name, quantity, price}]. Without total, it is the sum of the lines; a line without price
            takes the catalogue price. Lines, when sent, replace the stored ones.""")
    ResponseEntity<Order> upsert(@AuthenticationPrincipal OrbitaPrincipal me,
                                 @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(schema = @Schema(implementation = Orders.OrderInput.class)))
                                 @RequestBody JsonNode body) {
        Bulk.ItemResult r = orders.upsert(me, Orders.OrderInput.fromJson(body));
        return ResponseEntity.status(r.status().equals("created") ? HttpStatus.CREATED : HttpStatus.OK)
                .body(orders.get(me.workspace(), r.id()));
    }

    @PostMapping("/api/v1/orders/bulk")
    @Access.EditAudience
    @Operation(summary = "Upsert up to 1,000 orders", description = "Per-item results: created, updated, unchanged or error.")
    Bulk.Result bulk(@AuthenticationPrincipal OrbitaPrincipal me, @RequestBody JsonNode body) {
        return orders.bulkUpsert(me, Bulk.read(body, Orders.MAX_BULK, Orders.OrderInput::fromJson));
    }

    @GetMapping("/api/v1/contracts/{id}")
    @Access.Read
    @Operation(summary = "Get a contract")
    Contract contract(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        return contracts.get(me.workspace(), id);
    }

    @GetMapping("/api/v1/contracts/renewing")
    @Access.Read
    @Operation(summary = "Active and trial contracts renewing within N days", description = "For renewal reminders; days 0 to 366.")
    List<Contract> renewing(@AuthenticationPrincipal OrbitaPrincipal me, @RequestParam(defaultValue = "30") int days) {
        return contracts.renewingWithin(me.workspace(), Math.max(0, Math.min(days, 366)));
    }

    @PostMapping("/api/v1/contracts/upsert")
    @Access.EditAudience
    @Operation(summary = "Create or update a contract by externalId", description = """
            Fields: externalId, contactId or contactEmail and/or companyId, plan, startsOn, renewsOn (the end or renewal
            date), amount per period, period (month, quarter, year, once), currency, status (trial, active, expired,
            cancelled).""")
    ResponseEntity<Contract> upsertContract(@AuthenticationPrincipal OrbitaPrincipal me,
                                            @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(schema = @Schema(implementation = Contracts.ContractInput.class)))
                                            @RequestBody JsonNode body) {
        Bulk.ItemResult r = contracts.upsert(me, Contracts.ContractInput.fromJson(body));
        return ResponseEntity.status(r.status().equals("created") ? HttpStatus.CREATED : HttpStatus.OK)
                .body(contracts.get(me.workspace(), r.id()));
    }

    @PostMapping("/api/v1/contracts/bulk")
    @Access.EditAudience
    @Operation(summary = "Upsert up to 1,000 contracts")
    Bulk.Result bulkContracts(@AuthenticationPrincipal OrbitaPrincipal me, @RequestBody JsonNode body) {
        return contracts.bulkUpsert(me, Bulk.read(body, Contracts.MAX_BULK, Contracts.ContractInput::fromJson));
    }

    @GetMapping("/api/v1/contacts/{id}/purchases")
    @Access.Read
    @Operation(summary = "A contact's purchases", description = "Lifetime revenue, number of orders, average check, first and last purchase, recent orders and contracts.")
    Purchases contactPurchases(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        contacts.get(me.workspace(), id);
        return purchases(me, "contact_id", id);
    }

    @GetMapping("/api/v1/companies/{id}/purchases")
    @Access.Read
    @Operation(summary = "A company's purchases", description = "As for contacts, over all orders and contracts of the company.")
    Purchases companyPurchases(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        companies.get(me.workspace(), id);
        return purchases(me, "company_id", id);
    }

    @GetMapping("/api/v1/contacts/{id}/cart")
    @Access.Read
    @Operation(summary = "A contact's current cart", description = """
            The cart kept from the contact's cart_updated events (a visitor's cart counts from identify on): lines, total,
            currency, when it last changed and whether it is abandoned. 204 when the contact has no cart (never filled
            one, or an order cleared it); 404 for an unknown contact.""")
    org.springframework.http.ResponseEntity<io.orbita.commerce.Carts.Cart> contactCart(@AuthenticationPrincipal OrbitaPrincipal me,
                                                                                   @PathVariable long id) {
        contacts.get(me.workspace(), id);
        return carts.of(me.workspace(), id).map(org.springframework.http.ResponseEntity::ok)
                .orElseGet(() -> org.springframework.http.ResponseEntity.noContent().build());
    }

    @GetMapping("/api/v1/carts/abandoned")
    @Access.Read
    @Operation(summary = "Abandoned carts", description = """
            Non-empty carts (kept from cart_updated events, cleared by orders) idle for longer than idleMinutes
            (default: orbita.commerce.cart-abandoned-after, 1 hour), oldest first.""")
    List<io.orbita.commerce.Carts.Cart> abandoned(@AuthenticationPrincipal OrbitaPrincipal me,
                                                  @RequestParam(required = false) Integer idleMinutes,
                                                  @RequestParam(defaultValue = "100") int limit) {
        return carts.abandoned(me.workspace(), idleMinutes == null ? null : java.time.Duration.ofMinutes(Math.max(0, idleMinutes)),
                Math.max(1, Math.min(limit, 1000)));
    }

    private Purchases purchases(OrbitaPrincipal me, String column, long id) {
        return new Purchases(orders.summary(me.workspace(), column, id), orders.recent(me.workspace(), column, id, 20),
                contracts.of(me.workspace(), column, id));
    }
}
