package io.orbita.commerce.web;

import io.orbita.audience.Contacts;
import io.orbita.commerce.Carts;
import io.orbita.commerce.Contracts;
import io.orbita.commerce.Orders;
import io.orbita.commerce.Products;
import io.orbita.workspace.Access;
import io.orbita.workspace.OrbitaPrincipal;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The catalogue, the orders, the contracts due for renewal and the abandoned carts, as marketers and sales managers
 * browse them.
 */
@Controller
class CommercePages {

    /** How many abandoned carts the page lists, oldest first (the API pages further). */
    static final int CARTS_SHOWN = 200;

    private final Products products;
    private final Orders orders;
    private final Contracts contracts;
    private final Carts carts;
    private final Contacts contacts;

    CommercePages(Products products, Orders orders, Contracts contracts, Carts carts, Contacts contacts) {
        this.products = products;
        this.orders = orders;
        this.contracts = contracts;
        this.carts = carts;
        this.contacts = contacts;
    }

    @GetMapping("/products")
    @Access.Read
    String products(@AuthenticationPrincipal OrbitaPrincipal me, @RequestParam(required = false) String q,
                    @RequestParam(required = false) String cursor, Model model) {
        model.addAttribute("page", products.list(me.workspace(), q, null, cursor, 50));
        model.addAttribute("q", q == null ? "" : q);
        return "commerce/products";
    }

    @GetMapping("/products/{id}")
    @Access.Read
    String product(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id, Model model) {
        model.addAttribute("product", products.get(me.workspace(), id));
        model.addAttribute("related", products.related(me.workspace(), id, 10));
        return "commerce/product";
    }

    @GetMapping("/orders")
    @Access.Read
    String orders(@AuthenticationPrincipal OrbitaPrincipal me, @RequestParam(required = false) String cursor, Model model) {
        model.addAttribute("page", orders.list(me.workspace(), null, null, cursor, 50));
        model.addAttribute("renewing", contracts.renewingWithin(me.workspace(), 30));
        return "commerce/orders";
    }

    /** Carts left idle for longer than {@code orbita.commerce.cart-abandoned-after}: who left what, and since when. */
    @GetMapping("/carts")
    @Access.Read
    String carts(@AuthenticationPrincipal OrbitaPrincipal me, Model model) {
        java.util.List<Carts.Cart> abandoned = carts.abandoned(me.workspace(), null, CARTS_SHOWN);
        model.addAttribute("carts", abandoned);
        model.addAttribute("contacts", contacts.getAll(me.workspace(), abandoned.stream().map(Carts.Cart::contactId).toList()));
        return "commerce/carts";
    }
}
