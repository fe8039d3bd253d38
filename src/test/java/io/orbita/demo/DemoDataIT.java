package io.orbita.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orbita.OrbitaIT;
import io.orbita.audience.Inn;
import io.orbita.platform.ValidationException;
import io.orbita.workspace.Role;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

class DemoDataIT extends OrbitaIT {

    private static final Scale SMALL = Scale.of(500, 60, 2_000, 5_000);

    @Autowired
    DemoData demo;

    @Autowired
    JdbcClient jdbc;

    @Test
    void sameSeedGivesSameDataAndTheInvariantsHold() {
        TestWorkspace a = newWorkspace();
        TestWorkspace b = newWorkspace();
        DemoData.Result ra = demo.generate(a.id(), SMALL, 7);
        DemoData.Result rb = demo.generate(b.id(), SMALL, 7);

        assertThat(ra.contacts()).isEqualTo(500);
        assertThat(ra.companies()).isEqualTo(60);
        assertThat(ra.orders()).isEqualTo(2_000);
        assertThat(ra.events()).isEqualTo(5_000);
        assertThat(ra.products()).isEqualTo(300);
        assertThat(ra.managers()).isBetween(3, 8);
        assertThat(rb.orders()).isEqualTo(ra.orders());
        assertThat(rb.orderLines()).isEqualTo(ra.orderLines());

        assertThat(emails(b)).isEqualTo(emails(a)).hasSize(500).doesNotHaveDuplicates();
        assertThat(orderTotals(b)).isEqualTo(orderTotals(a));
        assertThat(strings("select inn || ' ' || name from company where workspace_id = ? order by id", b))
                .isEqualTo(strings("select inn || ' ' || name from company where workspace_id = ? order by id", a));

        // Emails are ASCII and unique ignoring case; INNs valid and unique.
        assertThat(emails(a)).allMatch(e -> e.matches("[a-z0-9.\\-]+@[a-z0-9.\\-]+\\.[a-z]+"));
        List<String> inns = strings("select inn from company where workspace_id = ? order by id", a);
        assertThat(inns).hasSize(60).doesNotHaveDuplicates().allMatch(Inn::isValid);
        assertThat(strings("select name from company where workspace_id = ?", a))
                .allMatch(n -> n.matches("(ООО|АО|ЗАО|ПАО|НПО|ООО ТД) «[А-ЯЁ][а-яё]+»"));

        // Totals are the sums of their lines; every order has lines.
        assertThat(count("""
                select count(*) from customer_order o where o.workspace_id = ? and o.total <> coalesce(
                  (select sum(l.quantity * l.price) from order_line l where l.workspace_id = o.workspace_id and l.order_id = o.id), -1)""", a))
                .isZero();
        // Every contact has its subscription in the consent history.
        assertThat(count("""
                select count(*) from contact c where c.workspace_id = ? and not exists (select 1 from consent_event e
                  where e.workspace_id = c.workspace_id and e.contact_id = c.id and e.status = 'subscribed' and e.actor = 'demo')""", a))
                .isZero();
        // Managers are sales-manager members, the personal managers of companies and contacts.
        assertThat(count("select count(*) from membership where workspace_id = ? and role = 'SALES_MANAGER'", a)).isEqualTo(ra.managers());
        assertThat(count("select count(*) from contact where workspace_id = ? and manager_id is not null", a)).isGreaterThan(300);
        // Repeat buyers, churners, seasonality ingredients and contracts exist.
        assertThat(count("""
                select count(*) from (select contact_id from customer_order where workspace_id = ?
                  and status not in ('cancelled', 'refunded') group by contact_id having count(*) >= 2) x""", a)).isGreaterThan(30);
        assertThat(count("select count(*) from customer_order where workspace_id = ? and status in ('paid', 'shipped')", a)).isGreaterThan(1_700);
        assertThat(count("select count(*) from contract where workspace_id = ? and status = 'active' and renews_on > current_date", a)).isPositive();
        assertThat(count("select count(*) from contract where workspace_id = ? and status = 'expired'", a)).isPositive();
        assertThat(count("select count(*) from product_relation where workspace_id = ?", a)).isEqualTo(ra.productRelations()).isGreaterThan(100);
        // Events are in the monthly partitions, never in the default one.
        assertThat(count("select count(*) from activity_event where workspace_id = ?", a)).isEqualTo(5_000);
        assertThat(count("select count(*) from activity_event_default where workspace_id = ?", a)).isZero();
        assertThat(count("select count(distinct type) from activity_event where workspace_id = ?", a)).isEqualTo(5);

        // Cancelled and refunded orders do not count as purchases.
        long contact = jdbc.sql("""
                        select contact_id from customer_order where workspace_id = ? group by contact_id
                        having count(*) filter (where status in ('cancelled', 'refunded')) > 0
                           and count(*) filter (where status not in ('cancelled', 'refunded')) > 0
                        order by contact_id limit 1""")
                .param(a.id().value()).query(Long.class).single();
        long purchases = jdbc.sql("""
                        select count(*) from customer_order where workspace_id = ? and contact_id = ?
                        and status not in ('cancelled', 'refunded')""")
                .params(a.id().value(), contact).query(Long.class).single();
        Api summary = get("/api/v1/contacts/" + contact + "/purchases", a.apiKey());
        assertThat(summary.status()).isEqualTo(200);
        assertThat(summary.body().path("summary").path("orders").asLong()).isEqualTo(purchases);

        // Abandoned carts, visible through the API.
        assertThat(ra.abandonedCarts()).isPositive();
        Api carts = get("/api/v1/carts/abandoned?limit=1000", a.apiKey());
        assertThat(carts.status()).isEqualTo(200);
        assertThat(carts.body().size()).isEqualTo(ra.abandonedCarts());
        assertThat(carts.body().get(0).path("lines").size()).isPositive();

        // Audited.
        assertThat(count("select count(*) from audit_log where workspace_id = ? and action = 'demo.generated'", a)).isEqualTo(1);
    }

    @Test
    void onlyIntoAnEmptyWorkspace() {
        TestWorkspace ws = newWorkspace(Role.MARKETER);
        assertThat(post("/api/v1/contacts", ws.apiKey(), Map.of("email", "ivan@example.ru")).status()).isEqualTo(201);

        Api refused = post("/api/v1/demo", ws.apiKey(), Map.of("scale", "demo"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.body().path("errors").get(0).path("code").asString()).isEqualTo("demo.notEmpty");
        assertThat(refused.body().path("detail").asString()).contains("empty workspace").contains("1 contacts");

        assertThatThrownBy(() -> demo.generate(ws.id(), SMALL, 1)).isInstanceOf(ValidationException.class);
        assertThat(count("select count(*) from product where workspace_id = ?", ws)).isZero();
    }

    @Test
    void apiGeneratesTheDemoScaleOnly() {
        TestWorkspace ws = newWorkspace(Role.MARKETER);
        Api bench = post("/api/v1/demo", ws.apiKey(), Map.of("scale", "bench"));
        assertThat(bench.status()).isEqualTo(400);
        assertThat(bench.body().path("errors").get(0).path("code").asString()).isEqualTo("demo.scaleNotAllowed");

        TestWorkspace analyst = newWorkspace(Role.ANALYST);
        assertThat(post("/api/v1/demo", analyst.apiKey(), Map.of("scale", "demo")).status()).isEqualTo(403);

        Api done = post("/api/v1/demo", ws.apiKey(), Map.of("scale", "demo"));
        assertThat(done.status()).isEqualTo(201);
        JsonNode r = done.body();
        assertThat(r.path("contacts").asInt()).isEqualTo(2_000);
        assertThat(count("select count(*) from contact where workspace_id = ?", ws)).isBetween(1_900L, 2_100L);
        assertThat(get("/api/v1/contacts?limit=1", ws.apiKey()).body().path("items").size()).isEqualTo(1);
    }

    @Test
    void homePageOffersDemoDataToAnEmptyWorkspace() {
        TestWorkspace ws = newWorkspace();
        Session session = login(ws.ownerEmail(), ws.ownerPassword());
        assertThat(session.get("/").body()).contains("action=\"/demo\"");

        var posted = session.post("/demo", Map.of());
        assertThat(posted.statusCode()).isEqualTo(302);
        assertThat(posted.headers().firstValue("Location").orElse("")).endsWith("/contacts");
        assertThat(session.get("/contacts").body()).contains("2");
        assertThat(session.get("/").body()).doesNotContain("action=\"/demo\"");
        assertThat(count("select count(*) from contact where workspace_id = ?", ws)).isEqualTo(2_000);
    }

    private List<String> emails(TestWorkspace ws) {
        return strings("select email from contact where workspace_id = ? order by id", ws);
    }

    private List<String> orderTotals(TestWorkspace ws) {
        return strings("select external_id || ' ' || status || ' ' || total from customer_order where workspace_id = ? order by id", ws);
    }

    private List<String> strings(String sql, TestWorkspace ws) {
        return jdbc.sql(sql).param(ws.id().value()).query(String.class).list();
    }

    private long count(String sql, TestWorkspace ws) {
        return jdbc.sql(sql).param(ws.id().value()).query(Long.class).single();
    }
}
