package io.orbita.commerce.web;

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

/** The catalogue, the orders and the contracts due for renewal, as marketers and sales managers browse them. */
@Controller
class CommercePages {

    private final Products products;
    private final Orders orders;
    private final Contracts contracts;

    CommercePages(Products products, Orders orders, Contracts contracts) {
        this.products = products;
        this.orders = orders;
        this.contracts = contracts;
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
}
