package io.orbita.audience;

import static org.assertj.core.api.Assertions.assertThat;

import io.orbita.OrbitaIT;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** The planner learns of what an import added while the import is still running, but not after every batch. */
class ImportStatisticsIT extends OrbitaIT {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate tx;

    @BeforeEach
    void table() {
        jdbc.sql("create table import_statistics_probe (workspace_id bigint not null)").update();
    }

    @AfterEach
    void drop() {
        jdbc.sql("drop table import_statistics_probe").update();
    }

    private void add(int rows) {
        jdbc.sql("insert into import_statistics_probe select 1 from generate_series(1, ?)").param(rows).update();
    }

    private double known() {
        return jdbc.sql("select reltuples from pg_class where oid = 'import_statistics_probe'::regclass").query(Double.class).single();
    }

    @Test
    void aBigImportIntoANewTableIsAnalyzedAsItGrowsAndASmallOneIntoABigTableNever() {
        assertThat(known()).isEqualTo(-1); // never analyzed
        ImportStatistics growing = new ImportStatistics(jdbc, tx, "import_statistics_probe", 100);
        add(50);
        growing.written(50);
        assertThat(known()).isEqualTo(-1); // before the first look
        add(50);
        growing.written(100);
        assertThat(known()).isEqualTo(100);
        add(200);
        growing.written(300);
        assertThat(known()).isEqualTo(100); // the next look comes at four times 100 rows
        add(100);
        growing.written(400);
        assertThat(known()).isEqualTo(400);

        add(10_000);
        jdbc.sql("analyze import_statistics_probe").update();
        ImportStatistics small = new ImportStatistics(jdbc, tx, "import_statistics_probe", 100);
        add(500);
        small.written(500); // a twentieth of what the statistics know: not worth an ANALYZE
        assertThat(known()).isEqualTo(10_400);
    }
}
