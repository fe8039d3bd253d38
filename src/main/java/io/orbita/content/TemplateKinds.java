package io.orbita.content;

import java.util.List;

/** The kinds of mailing and the retention scenarios of the product brief that templates are filed under. */
public final class TemplateKinds {

    /** Service (transactional), news, content, event and promotional mailings. */
    public static final List<String> KINDS = List.of("service", "news", "content", "event", "promo");

    /** The nine retention scenarios: each journey blueprint uses templates of its scenario. */
    public static final List<String> SCENARIOS = List.of("welcome", "post_sale", "loyalty", "congratulations",
            "abandoned_cart", "reactivation", "nps", "renewal", "churn");

    private TemplateKinds() {
    }
}
