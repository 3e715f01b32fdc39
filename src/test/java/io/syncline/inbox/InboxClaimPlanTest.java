package io.syncline.inbox;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.syncline.store.Transactions;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The claim walks the index of pending events in id order and stops at its limit, whatever
 * PostgreSQL's statistics say about the inbox: never analysed (a fresh deployment, autovacuum
 * off), analysed before a burst (no event pending then), or analysed during a backlog that has
 * mostly drained since (autovacuum behind). Each case fills an inbox of its own, the Quickstart's
 * webhook events as the webhook stores them, in one transaction that is rolled back: the running
 * dispatcher never sees these events, and the statistics are restored.
 */
@QuarkusTest
@WithTestResource(PostgresDatabaseResource.class)
class InboxClaimPlanTest {

    private static final int HISTORY = 30_000;
    private static final int BACKLOG = 20_000;
    private static final int LIMIT = 16;

    @Test
    void aClaimOnAnInboxNeverAnalysedReadsNoMoreThanItsLimit() throws SQLException {
        rolledBack(connection -> {
            String pendingIndex = freshInbox(connection);
            applied(connection, HISTORY);
            pending(connection, BACKLOG);

            ClaimPlan.explain(connection, InboxClaimQuery.bounded(connection).due(), LIMIT).assertBounded(pendingIndex, LIMIT);
            return null;
        });
    }

    @Test
    void aClaimOnAnInboxAnalysedBeforeTheBurstReadsNoMoreThanItsLimit() throws SQLException {
        rolledBack(connection -> {
            String pendingIndex = freshInbox(connection);
            applied(connection, HISTORY);
            sql(connection, "ANALYZE inbox");
            pending(connection, BACKLOG);

            ClaimPlan.explain(connection, InboxClaimQuery.bounded(connection).due(), LIMIT).assertBounded(pendingIndex, LIMIT);
            return null;
        });
    }

    @Test
    void aClaimDuringADrainingBacklogReadsThePendingEventsIndexNotThePrimaryKey() throws SQLException {
        rolledBack(connection -> {
            String pendingIndex = freshInbox(connection);
            pending(connection, BACKLOG);
            sql(connection, "ANALYZE inbox");
            sql(connection, "UPDATE inbox SET status = 'done', finished_at = CURRENT_TIMESTAMP"
                    + " WHERE id IN (SELECT id FROM inbox ORDER BY id LIMIT 12000)");

            ClaimPlan.explain(connection, InboxClaimQuery.bounded(connection).due(), LIMIT).assertBounded(pendingIndex, LIMIT);
            return null;
        });
    }

    @Test
    void aClaimOfExpiredLeasesOnAnInboxNeverAnalysedReadsNoMoreThanItsLimit() throws SQLException {
        rolledBack(connection -> {
            freshInbox(connection);
            applied(connection, HISTORY);
            pending(connection, BACKLOG);
            // A replica died holding a claim of its own backlog.
            sql(connection, "UPDATE inbox SET status = 'processing', attempts = 1,"
                    + " claimed_until = CURRENT_TIMESTAMP - INTERVAL '1 minute' WHERE status = 'pending'");

            ClaimPlan.explain(connection, InboxClaimQuery.bounded(connection).leaseExpired(), LIMIT)
                    .assertBounded(indexOn(connection, "'processing'"), LIMIT);
            return null;
        });
    }

    @Test
    void aClaimPreparedWhileTheInboxWasEmptyIsPlannedAgainForTheBacklog() throws SQLException {
        rolledBack(connection -> {
            String pendingIndex = freshInbox(connection);
            // As the driver prepares the claim on the server, and the dispatcher claims at start-up:
            // often, on an empty inbox, enough for PostgreSQL to settle on a generic plan.
            sql(connection, "PREPARE claim_on_empty_inbox (TIMESTAMP WITH TIME ZONE, INTEGER) AS "
                    + InboxClaimQuery.bounded(connection).due().replaceFirst("\\?", "\\$1").replaceFirst("\\?", "\\$2"));
            for (int claim = 0; claim < 10; claim++) {
                InboxClaimQuery.bounded(connection);
                sql(connection, "EXECUTE claim_on_empty_inbox (CURRENT_TIMESTAMP, " + LIMIT + ")");
            }
            applied(connection, HISTORY);
            pending(connection, BACKLOG);

            ClaimPlan.explainPrepared(connection, "claim_on_empty_inbox", LIMIT).assertBounded(pendingIndex, LIMIT);
            return null;
        });
    }

    /** Work in a transaction that is rolled back, whatever happens. */
    private static void rolledBack(Transactions.Work<Void, RuntimeException> work) throws SQLException {
        try (Connection connection = TestDatabase.connect()) {
            connection.setAutoCommit(false);
            try {
                work.run(connection);
            } finally {
                connection.rollback();
            }
        }
    }

    /**
     * An inbox of the claim's own as Flyway makes it, never analysed and with autovacuum off, in
     * a schema of its own that the claim's {@code inbox} then names; its pending events' index.
     */
    private static String freshInbox(Connection connection) throws SQLException {
        String schema = "claim_plan_" + UUID.randomUUID().toString().replace("-", "");
        sql(connection, "CREATE SCHEMA " + schema);
        sql(connection, "CREATE TABLE " + schema + ".inbox (LIKE inbox INCLUDING ALL) WITH (autovacuum_enabled = false)");
        sql(connection, "SET LOCAL search_path = " + schema);
        return indexOn(connection, "'pending'");
    }

    private static String indexOn(Connection connection, String status) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT indexname FROM pg_indexes"
                + " WHERE schemaname = current_schema() AND tablename = 'inbox' AND indexdef LIKE ?")) {
            select.setString(1, "%(id) WHERE ((status)::text = " + status + "::text)");
            try (ResultSet rows = select.executeQuery()) {
                assertThat(rows.next()).as("the partial index of %s events on id", status).isTrue();
                return rows.getString(1);
            }
        }
    }

    /** Applied events of the retention window: records that changed before, some several times. */
    private static void applied(Connection connection, int count) throws SQLException {
        store(connection, count, "'done'", "CURRENT_TIMESTAMP", "h");
    }

    /** A burst: every event of a record of its own, due now. */
    private static void pending(Connection connection, int count) throws SQLException {
        store(connection, count, "'pending'", "NULL", "b");
    }

    private static void store(Connection connection, int count, String status, String finishedAt, String tag)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO inbox (route_id, apply_endpoint, entity, source_system, record_key, event_id, payload, status,"
                        + " finished_at) SELECT 'crm-contact-webhook', 'direct:contact-crm-to-billing', 'contact', 'crm',"
                        + " 'c-' || (g % 15000), ? || g, '{\"id\": \"c-' || (g % 15000) || '\", \"email\": \"c-' || g"
                        + " || '@example.com\", \"lastName\": \"Burst\"}', " + status + ", " + finishedAt
                        + " FROM generate_series(1, ?) g")) {
            insert.setString(1, tag + "-" + UUID.randomUUID() + "-");
            insert.setInt(2, count);
            insert.executeUpdate();
        }
    }

    private static void sql(Connection connection, String statement) throws SQLException {
        try (Statement sql = connection.createStatement()) {
            sql.execute(statement);
        }
    }
}
