package io.orbita.demo;

import io.orbita.platform.WorkspaceId;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Generation without the UI, for benchmarks: {@code --orbita.demo.generate=bench --orbita.demo.seed=42} fills the first
 * workspace (or {@code --orbita.demo.workspace=<id>}) once the application is ready, logs the counts and the time,
 * and with {@code --orbita.demo.exit-after=true} stops the application (exit code 0, or 1 when generation failed).
 */
@Component
class GenerateOnStart {

    private static final Logger log = LoggerFactory.getLogger(GenerateOnStart.class);

    private final DemoData demo;
    private final JdbcClient jdbc;
    private final String scaleName;
    private final long seed;
    private final long workspace;
    private final boolean exitAfter;

    GenerateOnStart(DemoData demo, JdbcClient jdbc,
                    @Value("${orbita.demo.generate:}") String scaleName,
                    @Value("${orbita.demo.seed:42}") long seed,
                    @Value("${orbita.demo.workspace:0}") long workspace,
                    @Value("${orbita.demo.exit-after:false}") boolean exitAfter) {
        this.demo = demo;
        this.jdbc = jdbc;
        this.scaleName = scaleName;
        this.seed = seed;
        this.workspace = workspace;
        this.exitAfter = exitAfter;
    }

    @EventListener(ApplicationReadyEvent.class)
    void onReady(ApplicationReadyEvent ready) {
        if (scaleName == null || scaleName.isBlank()) {
            return;
        }
        // On its own thread: the event log's partitions are created by another listener of this same event.
        Thread worker = new Thread(() -> run(ready.getApplicationContext()), "demo-generate");
        worker.start();
    }

    private void run(ConfigurableApplicationContext context) {
        int code = 0;
        try {
            Scale scale = Scale.named(scaleName);
            if (scale == null) {
                throw new IllegalArgumentException("orbita.demo.generate must be demo or bench, not " + scaleName);
            }
            long ws = workspace > 0 ? workspace
                    : jdbc.sql("select coalesce(min(id), 0) from workspace").query(Long.class).single();
            if (ws == 0) {
                throw new IllegalStateException("no workspace yet: set ORBITA_ADMIN_EMAIL and ORBITA_ADMIN_PASSWORD for the first start");
            }
            if (!demo.awaitEventPartitions(Duration.ofMinutes(2))) {
                throw new IllegalStateException("the event log's partitions did not appear within 2 minutes");
            }
            log.info("Generating {} data with seed {} into workspace {}", scale.name(), seed, ws);
            DemoData.Result r = demo.generate(WorkspaceId.of(ws), scale, seed, "demo-cli");
            log.info("DEMO-GENERATED scale={} seed={} workspace={} managers={} products={} companies={} contacts={} "
                            + "consentEvents={} orders={} orderLines={} contracts={} events={} abandonedCarts={} seconds={}",
                    r.scale(), r.seed(), ws, r.managers(), r.products(), r.companies(), r.contacts(), r.consentEvents(),
                    r.orders(), r.orderLines(), r.contracts(), r.events(), r.abandonedCarts(),
                    String.format(java.util.Locale.ROOT, "%.1f", r.tookMillis() / 1000.0));
        } catch (Exception e) {
            log.error("Demo data generation failed", e);
            code = 1;
        }
        if (exitAfter) {
            int exit = code;
            System.exit(SpringApplication.exit(context, () -> exit));
        }
    }
}
