package io.syncline.store;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import jakarta.inject.Inject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The hot tables are analysed once the configured number of events was stored, not before. */
@QuarkusTest
@WithTestResource(PostgresDatabaseResource.class)
class HotTableStatisticsTest {

    private static final String ANALYSES = "SELECT relname, analyze_count FROM pg_stat_user_tables"
            + " WHERE schemaname = current_schema() AND relname IN ('inbox', 'processed_key', 'record_state', 'id_map', 'audit_log')";

    @Inject
    AgroalDataSource dataSource;

    @Test
    void theHotTablesAreAnalysedAfterTheConfiguredNumberOfStoredEvents() {
        HotTableStatistics statistics = new HotTableStatistics(dataSource, 3);
        Map<String, Long> before = analyses();

        statistics.stored();
        statistics.stored();
        staysUnanalysed(before);

        statistics.stored();
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(analyses())
                .as("analyses after 3 of 3 events, against %s", before).hasSize(5)
                .allSatisfy((table, count) -> assertThat(count).isEqualTo(before.getOrDefault(table, 0L) + 1)));
    }

    @Test
    void theFirstAnalysesComeSoonerThanTheThreshold() {
        HotTableStatistics statistics = new HotTableStatistics(dataSource, 1_000_000);
        Map<String, Long> before = analyses();

        statistics.grew((int) HotTableStatistics.FIRST - 1);
        staysUnanalysed(before);

        statistics.grew(1);
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(analyses())
                .as("analyses after the first %d records, against %s", HotTableStatistics.FIRST, before)
                .allSatisfy((table, count) -> assertThat(count).isEqualTo(before.getOrDefault(table, 0L) + 1)));

        // the second is due after twice as many
        statistics.grew((int) (2 * HotTableStatistics.FIRST - 1));
        staysUnanalysedSince(before, 1);
        statistics.grew(1);
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(analyses())
                .allSatisfy((table, count) -> assertThat(count).isEqualTo(before.getOrDefault(table, 0L) + 2)));
    }

    @Test
    void aThresholdOfZeroNeverAnalyses() {
        HotTableStatistics statistics = new HotTableStatistics(dataSource, 0);
        Map<String, Long> before = analyses();

        for (int i = 0; i < 100; i++) {
            statistics.stored();
        }

        staysUnanalysed(before);
    }

    private static Map<String, Long> analyses() {
        return TestDatabase.query(ANALYSES).stream().collect(Collectors.toMap(row -> (String) row.get("relname"),
                row -> ((Number) row.get("analyze_count")).longValue()));
    }

    /** No analysis starts for long enough for one to have run, had it been started. */
    private static void staysUnanalysed(Map<String, Long> before) {
        staysUnanalysedSince(before, 0);
    }

    /** Each table keeps {@code done} analyses more than {@code before}, long enough for another to have run. */
    private static void staysUnanalysedSince(Map<String, Long> before, long done) {
        Awaitility.await().during(Duration.ofMillis(1_500)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(analyses()).allSatisfy((table, count) -> assertThat(count).isEqualTo(before.getOrDefault(table, 0L) + done)));
    }
}
