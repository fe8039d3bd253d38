package io.orbita.commerce;

/**
 * A product worth offering next to another: set by hand ({@code first_necessity}, {@code secondary}, {@code upgrade})
 * or found in order history ({@code bought_together}, with how many orders held both).
 */
public record RelatedProduct(long productId, String sku, String name, String kind, Long ordersTogether) {

    public static final java.util.Set<String> MANUAL_KINDS = java.util.Set.of("first_necessity", "secondary", "upgrade");
}
