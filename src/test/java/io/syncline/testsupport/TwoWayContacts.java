package io.syncline.testsupport;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.restassured.http.ContentType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;

/**
 * Contacts synced both ways between two tables standing for a CRM and a billing system, each
 * of which sends a webhook of its changes, Syncline's own writes included
 * (src/test/resources/conflict-routes: each city column has its own conflict strategy).
 * Tests edit a system's row as its users would (SQL) and deliver that system's webhook.
 */
public final class TwoWayContacts {

    /**
     * The conflict routes with a reconciliation job of the two tables (console-routes), review
     * items overdue after a second, retries that end in a dead letter quickly, and a fixed session
     * key. The routes folder is conflict-routes' files and that job, copied together under target/.
     * One profile for every test of the two-way contacts, so that they share one application.
     */
    public static class Profile implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("syncline.routes.location", routes().toString(),
                    "syncline.review.max-age", "1s",
                    "syncline.inbox.retry-delay", "200ms",
                    "syncline.inbox.max-retry-delay", "500ms",
                    "syncline.inbox.max-attempts", "3",
                    // the key of the employees' sensitive field (employees.syncline.yaml)
                    "syncline.field-key", "c3luY2xpbmUtdGVzdC1vbmx5LWZpZWxkLWtleS0zMmI=",
                    // the orders' rule alerts go to a Slack stub the rules' flow test listens with on this port
                    "syncline.alerts.slack-url", SlackStub.urlOn(ruleAlertsPort()),
                    // One key for every start of the application, so that the browser's session outlives a restart.
                    "quarkus.http.auth.session.encryption-key", "console-test-only-session-key");
        }

        /** A free port, chosen once for the JVM. */
        public static int ruleAlertsPort() {
            return SlackStub.portFor(RULE_ALERTS_PORT);
        }

        private static final String RULE_ALERTS_PORT = "rule-alerts.test-port";

        private static Path routes() {
            Path folder = Path.of("target", "console-routes").toAbsolutePath();
            try {
                Files.createDirectories(folder);
                try (Stream<Path> files = Files.list(Path.of("src", "test", "resources", "conflict-routes"))) {
                    for (Path file : files.toList()) {
                        Files.copy(file, folder.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                try (InputStream job = Profile.class.getResourceAsStream("/console-routes/console-reconcile.syncline.yaml")) {
                    Files.copy(job, folder.resolve("console-reconcile.syncline.yaml"), StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return folder;
        }
    }

    public static final Instant T0 = Instant.parse("2024-05-01T09:00:00Z");
    public static final List<String> CITY_COLUMNS = List.of("city", "city_lww", "city_fww", "city_target", "city_merge",
            "city_review", "city_weighted", "city_complete");
    private static final Set<String> COLUMNS = Set.of("email", "last_name", "city", "city_lww", "city_fww", "city_target",
            "city_merge", "city_review", "city_weighted", "city_complete", "credit_limit", "updated_at");

    /** A system of the pair: its table, key column and webhook. */
    public enum Side {

        CRM("conflict_crm_contact", "id", "/webhooks/echo/crm"),
        BILLING("conflict_billing_contact", "external_id", "/webhooks/echo/billing");

        final String table;
        final String key;
        final String webhook;

        Side(String table, String key, String webhook) {
            this.table = table;
            this.key = key;
            this.webhook = webhook;
        }
    }

    private TwoWayContacts() {
    }

    public static void createTables() throws SQLException {
        String columns = " email VARCHAR(320), last_name VARCHAR(200), city VARCHAR(40), city_lww VARCHAR(40),"
                + " city_fww VARCHAR(40), city_target VARCHAR(40), city_merge VARCHAR(40), city_review VARCHAR(40),"
                + " city_weighted VARCHAR(40), city_complete VARCHAR(40),"
                + " credit_limit INTEGER, updated_at TIMESTAMP WITH TIME ZONE)";
        try (Connection connection = TestDatabase.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS conflict_crm_contact (id VARCHAR(64) PRIMARY KEY," + columns);
            statement.execute("CREATE TABLE IF NOT EXISTS conflict_billing_contact (external_id VARCHAR(64) PRIMARY KEY," + columns);
            // Tables of a database made before the column existed.
            statement.execute("ALTER TABLE conflict_crm_contact ADD COLUMN IF NOT EXISTS credit_limit INTEGER");
            statement.execute("ALTER TABLE conflict_billing_contact ADD COLUMN IF NOT EXISTS credit_limit INTEGER");
            for (String table : List.of("conflict_crm_contact", "conflict_billing_contact")) {
                statement.execute("ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS city_weighted VARCHAR(40)");
                statement.execute("ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS city_complete VARCHAR(40)");
            }
            String orders = " (id VARCHAR(64) PRIMARY KEY, amount NUMERIC(12, 2), quantity INTEGER, reorder_point INTEGER,"
                    + " status VARCHAR(40))";
            statement.execute("CREATE TABLE IF NOT EXISTS rule_crm_order" + orders);
            statement.execute("CREATE TABLE IF NOT EXISTS rule_billing_order" + orders);
            for (String table : List.of("rule_crm_order", "rule_billing_order")) {
                statement.execute("ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS customer VARCHAR(64)");
                statement.execute("ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS placed_at TIMESTAMP WITH TIME ZONE");
            }
            // the subscribers of drift-subscribers.syncline.yaml (SchemaDriftFlowTest)
            String subscribers = " (id VARCHAR(64) PRIMARY KEY, email VARCHAR(320), phone VARCHAR(40))";
            statement.execute("CREATE TABLE IF NOT EXISTS drift_crm_subscriber" + subscribers);
            statement.execute("CREATE TABLE IF NOT EXISTS drift_billing_subscriber" + subscribers);
        }
    }

    /**
     * A contact created in the CRM at {@link #T0} (every city X0, last name Lovelace) and synced
     * to billing; returns once billing has it.
     */
    public static void create(String id) throws SQLException {
        try (Connection connection = TestDatabase.connect(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO conflict_crm_contact (id, email, last_name, city, city_lww, city_fww, city_target, city_merge,"
                        + " city_review, city_weighted, city_complete, updated_at)"
                        + " VALUES (?, ?, 'Lovelace', 'X0', 'X0', 'X0', 'X0', 'X0', 'X0', 'X0', 'X0', ?)")) {
            insert.setString(1, id);
            insert.setString(2, id + "@example.com");
            insert.setTimestamp(3, Timestamp.from(T0));
            insert.executeUpdate();
        }
        DemoWebhook.finalStatus(deliver(Side.CRM, row(Side.CRM, id)));
        TestDatabase.awaitRows("SELECT 1 FROM conflict_billing_contact WHERE external_id = ?", id);
    }

    /** A row made by a user of {@code system} (never synced): its id, e-mail and last name (may be null), at {@link #T0}. */
    public static void insert(Side system, String id, String email, String lastName) throws SQLException {
        try (Connection connection = TestDatabase.connect(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO " + system.table + " (" + system.key + ", email, last_name, city, updated_at) VALUES (?, ?, ?, 'X0', ?)")) {
            insert.setString(1, id);
            insert.setString(2, email);
            insert.setString(3, lastName);
            insert.setTimestamp(4, Timestamp.from(T0));
            insert.executeUpdate();
        }
    }

    /** A user's edit of the row in {@code system}: columns to new values (an Instant for updated_at). */
    public static void edit(Side system, String id, Map<String, Object> changes) throws SQLException {
        StringBuilder sql = new StringBuilder("UPDATE " + system.table + " SET ");
        int n = 0;
        for (String column : changes.keySet()) {
            if (!COLUMNS.contains(column)) {
                throw new IllegalArgumentException("No column " + column);
            }
            sql.append(n++ == 0 ? "" : ", ").append(column).append(" = ?");
        }
        sql.append(" WHERE ").append(system.key).append(" = ?");
        try (Connection connection = TestDatabase.connect(); PreparedStatement update = connection.prepareStatement(sql.toString())) {
            int i = 1;
            for (Object value : changes.values()) {
                update.setObject(i++, value instanceof Instant instant ? Timestamp.from(instant) : value);
            }
            update.setString(i, id);
            update.executeUpdate();
        }
    }

    /** The row in {@code system} as its webhook sends it: column names, times as ISO-8601 text. */
    public static Map<String, Object> row(Side system, String id) {
        List<Map<String, Object>> rows = TestDatabase.query("SELECT * FROM " + system.table + " WHERE " + system.key + " = ?", id);
        if (rows.isEmpty()) {
            throw new IllegalStateException(system + " has no contact " + id);
        }
        Map<String, Object> row = new LinkedHashMap<>();
        rows.get(0).forEach((column, value) -> row.put(column, value instanceof Timestamp timestamp
                ? timestamp.toInstant().toString() : value instanceof OffsetDateTime time ? time.toInstant().toString() : value));
        return row;
    }

    /** Posts a webhook of {@code system} and returns the inbox id. */
    public static long deliver(Side system, Map<String, Object> body) {
        Integer inboxId = given().contentType(ContentType.JSON).body(body).when().post(system.webhook)
                .then().statusCode(202).extract().path("inboxId");
        return inboxId.longValue();
    }

    /** Delivers and waits until the event is done, held or dead; returns that status. */
    public static String deliverAndWait(Side system, Map<String, Object> body) {
        return DemoWebhook.finalStatus(deliver(system, body));
    }

    /** The inbox events and the review item of {@link #lastNameSetByWebhookStrategyAndReviewer}. */
    public record LastNameChain(long created, long conflicting, long billingsChange, long held, long reviewItem) {
    }

    /**
     * A contact whose last name in billing is set three ways: by the CRM's webhook that creates it
     * (Lovelace); by master-always-wins, when billing (Byron) and the CRM (Babbage) change it at once
     * and the CRM's webhook arrives first; by a reviewer (admin) who supplies Hopper when the CRM
     * sends the contact without one and the record is held.
     */
    public static LastNameChain lastNameSetByWebhookStrategyAndReviewer(String id) throws SQLException {
        create(id);
        long created = ((Number) TestDatabase.query("SELECT MIN(id) AS id FROM inbox WHERE record_key = ?", id).get(0).get("id"))
                .longValue();
        edit(Side.BILLING, id, Map.of("last_name", "Byron", "updated_at", T0.plusSeconds(60)));
        Map<String, Object> billingWebhook = row(Side.BILLING, id);
        edit(Side.CRM, id, Map.of("last_name", "Babbage", "updated_at", T0.plusSeconds(120)));
        long conflicting = deliver(Side.CRM, row(Side.CRM, id));
        DemoWebhook.finalStatus(conflicting);
        long billingsChange = deliver(Side.BILLING, billingWebhook);
        DemoWebhook.finalStatus(billingsChange);
        TestDatabase.update("UPDATE conflict_crm_contact SET last_name = NULL, updated_at = ? WHERE id = ?",
                Timestamp.from(T0.plusSeconds(180)), id);
        long held = deliver(Side.CRM, row(Side.CRM, id));
        if (!"held".equals(DemoWebhook.finalStatus(held))) {
            throw new IllegalStateException("The contact without a last name was not held");
        }
        long item = ((Number) TestDatabase.query("SELECT id FROM review_item WHERE kind = 'held_record' AND inbox_id = ?", held)
                .get(0).get("id")).longValue();
        given().auth().preemptive().basic("admin", "test-only-password").contentType(ContentType.JSON)
                .body(Map.of("fields", Map.of("lastName", Map.of("value", "Hopper"))))
                .when().post("/admin/review-items/" + item + "/resolve").then().statusCode(200);
        return new LastNameChain(created, conflicting, billingsChange, held, item);
    }

    /** The open review items of the contact, as (source system -> target system, kind, strategy). */
    public static List<Map<String, Object>> openReviewItems(String id) {
        return TestDatabase.query("SELECT id, source_system, target_system, kind, strategy FROM review_item"
                + " WHERE entity = 'contact' AND status = 'open' AND canonical_id ="
                + " (SELECT canonical_id FROM id_map WHERE entity = 'contact' AND system = 'crm' AND system_id = ?) ORDER BY id", id);
    }
}
