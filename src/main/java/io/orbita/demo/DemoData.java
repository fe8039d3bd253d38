package io.orbita.demo;

import io.orbita.platform.FieldProblem;
import io.orbita.platform.ValidationException;
import io.orbita.platform.WorkspaceId;
import io.orbita.workspace.AuditLog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Fills an empty workspace with a realistic Russian B2B client base: managers, a catalogue with relations, companies,
 * contacts with their consent history, orders with seasonality, repeat buyers and churners, contracts, abandoned carts
 * and a year of site events. The same seed gives the same data. Everything is written in one transaction with
 * set-based COPY, never through per-row service calls, so the {@link Scale#BENCH} set takes minutes, not hours.
 */
@Service
public class DemoData {

    /** What was generated. */
    public record Result(String scale, long seed, int managers, int products, int productRelations, int companies,
                         int contacts, long consentEvents, long orders, long orderLines, int contracts, long events,
                         int abandonedCarts, long tookMillis) {
    }

    private static final Logger log = LoggerFactory.getLogger(DemoData.class);
    private static final long LOCK = 0x0DE7_0000_0000L;

    private final DataSource dataSource;
    private final TransactionTemplate tx;
    private final AuditLog audit;
    private final PasswordEncoder passwords;
    private final Clock clock;

    DemoData(DataSource dataSource, PlatformTransactionManager transactions, AuditLog audit, PasswordEncoder passwords,
             Clock clock) {
        this.dataSource = dataSource;
        this.tx = new TransactionTemplate(transactions);
        this.audit = audit;
        this.passwords = passwords;
        this.clock = clock;
    }

    public Result generate(WorkspaceId ws, Scale scale, long seed) {
        return generate(ws, scale, seed, "demo");
    }

    /**
     * @param actor how the audit log names who asked for it
     * @throws ValidationException when the workspace already has contacts, companies, products or orders
     */
    public Result generate(WorkspaceId ws, Scale scale, long seed, String actor) {
        long started = System.nanoTime();
        long now = clock.instant().getEpochSecond();
        DemoGeneration.Counts counts = tx.execute(status -> {
            Connection c = DataSourceUtils.getConnection(dataSource);
            try {
                try (PreparedStatement s = c.prepareStatement("select pg_advisory_xact_lock(?)")) {
                    s.setLong(1, LOCK + ws.value());
                    s.executeQuery().close();
                }
                requireEmpty(c, ws);
                if (scale.events() > 0 && !DemoGeneration.partitionsReady(c, now)) {
                    throw new IllegalStateException("the monthly partitions of activity_event are not created yet");
                }
                return new DemoGeneration(c, ws.value(), scale, seed, now, passwords::encode).run();
            } catch (SQLException e) {
                throw new IllegalStateException("demo data generation failed: " + e.getMessage(), e);
            } finally {
                DataSourceUtils.releaseConnection(c, dataSource);
            }
        });
        long took = Duration.ofNanos(System.nanoTime() - started).toMillis();
        Result result = new Result(scale.name(), seed, counts.managers(), counts.products(), counts.relations(),
                counts.companies(), counts.contacts(), counts.consentEvents(), counts.orders(), counts.orderLines(),
                counts.contracts(), counts.events(), counts.carts(), took);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("scale", scale.name());
        details.put("seed", seed);
        details.put("contacts", result.contacts());
        details.put("companies", result.companies());
        details.put("orders", result.orders());
        details.put("events", result.events());
        details.put("tookMillis", took);
        audit.record(ws, actor, "demo.generated", "workspace", ws.value(), details);
        log.info("Generated {} demo data (seed {}) into workspace {} in {} s: {}", scale.name(), seed, ws,
                String.format("%.1f", took / 1000.0), result);
        return result;
    }

    /** Waits until the event log's monthly partitions exist (they are created once the application is ready). */
    boolean awaitEventPartitions(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (Connection c = dataSource.getConnection()) {
                if (DemoGeneration.partitionsReady(c, clock.instant().getEpochSecond())) {
                    return true;
                }
            } catch (SQLException e) {
                log.debug("checking partitions failed", e);
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(250);
        }
    }

    private static void requireEmpty(Connection c, WorkspaceId ws) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                select (select count(*) from workspace where id = ?),
                       (select count(*) from contact where workspace_id = ?),
                       (select count(*) from company where workspace_id = ?),
                       (select count(*) from product where workspace_id = ?),
                       (select count(*) from customer_order where workspace_id = ?)""")) {
            for (int i = 1; i <= 5; i++) {
                s.setLong(i, ws.value());
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    throw new ValidationException(FieldProblem.of("workspace", "demo.noWorkspace", "no such workspace"));
                }
                long contacts = rs.getLong(2), companies = rs.getLong(3), products = rs.getLong(4), orders = rs.getLong(5);
                if (contacts + companies + products + orders > 0) {
                    throw new ValidationException(FieldProblem.of("workspace", "demo.notEmpty",
                            "demo data goes only into an empty workspace; this one already has " + contacts + " contacts, "
                                    + companies + " companies, " + products + " products and " + orders + " orders",
                            contacts, companies, products, orders));
                }
            }
        }
    }
}
