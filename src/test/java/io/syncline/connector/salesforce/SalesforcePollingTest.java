package io.syncline.connector.salesforce;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.syncline.testsupport.SalesforceStub;
import io.syncline.testsupport.SalesforceStubResource;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The polling fallback for an org without Change Data Capture (src/test/resources/salesforce-polling-routes):
 * the org's contacts are polled every second by {@code SystemModstamp} and {@code Id} into billing's
 * table. Contacts made within one second, part of them after a poll had read that second, each
 * arrive once; an edit in the org arrives as an update; polls with nothing new store nothing.
 */
@QuarkusTest
@WithTestResource(value = SalesforceStubResource.class, initArgs = {
        @ResourceArg(name = SalesforceStubResource.ROUTES, value = "src/test/resources/salesforce-polling-routes"),
        @ResourceArg(name = SalesforceStubResource.DATABASE, value = "_salesforce_polling")})
class SalesforcePollingTest {

    private static final String DATABASE = TestDatabase.siblingUrl("_salesforce_polling");
    private static final Instant SECOND = Instant.parse("2026-03-01T09:30:00Z");

    SalesforceStub salesforce;

    @BeforeAll
    static void billing() throws Exception {
        try (Connection connection = TestDatabase.connect(DATABASE); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS sf_poll_billing_contact (sf_id VARCHAR(18) PRIMARY KEY,"
                    + " email VARCHAR(200), last_name VARCHAR(200), modified_at TIMESTAMP WITH TIME ZONE)");
        }
    }

    private static long count(String sql, Object... parameters) {
        return (Long) TestDatabase.queryOn(DATABASE, sql, parameters).get(0).get("n");
    }

    private static long polledEvents() {
        return count("SELECT count(*) AS n FROM inbox WHERE source_system = 'sfdc'");
    }

    @Test
    void everyChangeArrivesOnceThoughManyShareTheirSecond() {
        salesforce.stamped("Contact");
        salesforce.stampAt(SECOND);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            ids.add(salesforce.create("Contact", Map.of("Email", "poll" + i + "@example.com", "LastName", "First" + i)));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> count("SELECT count(*) AS n FROM sf_poll_billing_contact") == 300);

        // 150 more stamped with the second a poll has read: the Id orders them after the watermark's
        int polls = salesforce.queries.size();
        for (int i = 300; i < 450; i++) {
            ids.add(salesforce.create("Contact", Map.of("Email", "poll" + i + "@example.com", "LastName", "First" + i)));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> count("SELECT count(*) AS n FROM sf_poll_billing_contact") == 450);
        // a snapshot: polls go on adding to the list, and a view of it fails when it grows
        List<String> queries = List.copyOf(salesforce.queries);
        assertThat(queries.subList(polls, queries.size())).anySatisfy(soql -> assertThat(soql)
                .startsWith("SELECT Id, Email, LastName, SystemModstamp FROM Contact WHERE SystemModstamp > 2026-03-01T09:30:00Z"
                        + " OR (SystemModstamp = 2026-03-01T09:30:00Z AND Id > '")
                .endsWith("') ORDER BY SystemModstamp, Id"));
        assertThat(TestDatabase.queryOn(DATABASE, "SELECT count(*) AS n, count(DISTINCT target_id) AS records FROM audit_log"
                + " WHERE source_system = 'sfdc' AND action = 'created'")).containsExactly(Map.of("n", 450L, "records", 450L));

        // an edit in the org, a second later, is read as an update; quiet polls store nothing more
        salesforce.stampAt(SECOND.plusSeconds(1));
        salesforce.edit("Contact", ids.get(7), Map.of("LastName", "Edited"));
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) AS n FROM sf_poll_billing_contact"
                + " WHERE sf_id = ? AND last_name = 'Edited'", ids.get(7)) == 1);
        int quiet = salesforce.queries.size();
        await().atMost(Duration.ofSeconds(20)).until(() -> salesforce.queries.size() >= quiet + 3);
        assertThat(polledEvents()).isEqualTo(451);
        assertThat(count("SELECT count(*) AS n FROM sf_poll_billing_contact WHERE sf_id = ?"
                + " AND modified_at = TIMESTAMP WITH TIME ZONE '2026-03-01 09:30:01+00'", ids.get(7))).isEqualTo(1);
    }
}
