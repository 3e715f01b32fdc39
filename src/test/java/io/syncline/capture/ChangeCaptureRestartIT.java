package io.syncline.capture;

import io.syncline.testsupport.PackagedApplication;
import io.syncline.testsupport.PrivateMariaDb;
import io.syncline.testsupport.PrivatePostgres;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Change data capture across restarts: the packaged application captures a PostgreSQL table
 * (logical decoding) and a MariaDB table (binary log) while the tables change, and is killed
 * (SIGKILL) in the middle of the stream and started again. The source databases are the tests'
 * own servers ({@link PrivatePostgres}, {@link PrivateMariaDb}), set up for capture; the state
 * store and the targets are on the shared test database.
 *
 * <ul>
 *     <li>1,000 inserts, updates and deletes in each table, neither with a timestamp column, one
 *     kill: each change reaches its target exactly once (one inbox event and one audit entry per
 *     change, by action), the targets hold exactly the surviving rows with their last values, and
 *     the capture's database passwords appear nowhere in the application's output.</li>
 *     <li>1,000 rows of each table, with their own modification time, each updated and deleted
 *     within the same second (in one transaction or two), the update's time for half of them set
 *     5 s ahead of the database's clock, two kills: every deleted row is gone from both targets,
 *     none is skipped as stale, and the rows only updated are there.</li>
 * </ul>
 */
class ChangeCaptureRestartIT {

    private static final int INSERTS = 600;
    private static final int UPDATES = 250;
    private static final int DELETES_FROM = 450;
    private static final int CHANGES = INSERTS + UPDATES + (INSERTS - DELETES_FROM);
    /** Rows updated then deleted, and rows only updated, in the captured-deletes test. */
    private static final int PAIRS = 1000;
    private static final int SURVIVORS = 50;
    private static final int PAIR_CHANGES = 2 * PAIRS + SURVIVORS;
    private static final String STORE = TestDatabase.siblingUrl("_capture_it");
    private static final java.util.regex.Pattern CAPTURING = java.util.regex.Pattern.compile(
            "\"capture\\.[a-z_]+\"\\s*:\\s*\"capturing");

    private final String shopUser = "capture_shop_cdc";
    private final String erpPassword = "erp-" + secret();
    private final String shopPassword = "shop-" + secret();
    /** The source databases of the test that runs, on the private servers. */
    private String erpDatabase;
    private String shopDatabase;
    private PackagedApplication app;

    @Test
    void everyCapturedChangeReachesItsTargetOnceAcrossAKilledAndRestartedApplication() throws Exception {
        sources("capture_erp", "capture_shop",
                "CREATE TABLE capture_erp_customer (id VARCHAR(64) PRIMARY KEY, name VARCHAR(200))",
                "CREATE TABLE capture_it_shop_account (id VARCHAR(64) PRIMARY KEY, name VARCHAR(200))");
        app = PackagedApplication.start("capture-it-0", environment("/capture-routes/capture.syncline.yaml"), List.of("-Xmx384m"));
        awaitCapturing("the first start");
        // the targets' tables, in the state store's database once its migrations ran
        storeTables("CREATE TABLE capture_billing_customer (customer_no VARCHAR(64) PRIMARY KEY, name VARCHAR(200))",
                "CREATE TABLE capture_ledger_account (account_no VARCHAR(64) PRIMARY KEY, name VARCHAR(200))");

        // the writers hold at half their changes until the kill, and write the rest while the application is away
        Holds erpHolds = new Holds(CHANGES / 2);
        Holds shopHolds = new Holds(CHANGES / 2);
        CompletableFuture<Void> erp = CompletableFuture.runAsync(() -> writeChanges(this::erp, "capture_erp_customer", erpHolds));
        CompletableFuture<Void> shop = CompletableFuture.runAsync(() -> writeChanges(this::shop, "capture_it_shop_account", shopHolds));
        // killed while both captures are putting changes into the inbox
        await("a third of the changes captured").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> captured("erp") >= CHANGES / 3 && captured("shop") >= CHANGES / 3);
        assertThat(app.kill()).as("exit code of the killed application (137 = SIGKILL)").isEqualTo(137);
        erpHolds.release();
        shopHolds.release();
        long beforeRestart = captured("erp") + captured("shop");
        erp.get(120, TimeUnit.SECONDS);
        shop.get(120, TimeUnit.SECONDS);
        assertThat(beforeRestart).as("changes captured before the kill").isLessThan(2L * CHANGES);
        app = app.restart("capture-it-1");
        awaitCapturing("the restart");

        for (String source : List.of("erp", "shop")) {
            awaitApplied(source, CHANGES);
            assertThat(actions(source, "billing")).as("%s: audit entries by action, one per change", source)
                    .isEqualTo(Map.of("created", (long) INSERTS, "updated", (long) UPDATES, "deleted", (long) (INSERTS - DELETES_FROM)));
        }
        Map<String, String> survivors = new LinkedHashMap<>();
        for (int i = 0; i < DELETES_FROM; i++) {
            survivors.put(id(i), i < UPDATES ? "second" : "first");
        }
        assertThat(rows("capture_billing_customer", "customer_no")).as("the surviving customers with their last values")
                .isEqualTo(survivors);
        assertThat(rows("capture_ledger_account", "account_no")).as("the surviving accounts with their last values")
                .isEqualTo(survivors);
        assertThat(count("SELECT count(*) FROM dead_letter")).as("dead letters").isZero();
        // nothing more arrives: no change was captured twice
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(*) FROM inbox") == 2L * CHANGES);
        for (String log : List.of("capture-it-0", "capture-it-1")) {
            String output = Files.readString(Path.of("target", log + ".log"));
            // a secret leaked into a log is a finding whatever else the log says
            assertThat(output).as("%s: the capture's passwords stay out of the output", log)
                    .doesNotContain(erpPassword).doesNotContain(shopPassword);
        }
    }

    @Test
    void deletesInTheSameSecondAsTheUpdateOrAfterAClockAheadReachEveryTargetAcrossTwoKills() throws Exception {
        sources("capture_order_erp", "capture_order_shop",
                "CREATE TABLE capture_erp_invoice (id VARCHAR(64) PRIMARY KEY, name VARCHAR(200), updated_at TIMESTAMPTZ NOT NULL)",
                "CREATE TABLE capture_shop_payment (id VARCHAR(64) PRIMARY KEY, name VARCHAR(200), updated_at DATETIME(6) NOT NULL)");
        // the rows are there before the capture starts: what it reads is their updates and deletes
        insertRows(this::erp, "capture_erp_invoice", "now()");
        insertRows(this::shop, "capture_shop_payment", "utc_timestamp(6)");
        app = PackagedApplication.start("capture-order-it-0", environment("/capture-order-routes/capture-order.syncline.yaml"),
                List.of("-Xmx384m"));
        awaitCapturing("the first start");
        storeTables("CREATE TABLE capture_billing_invoice (invoice_no VARCHAR(64) PRIMARY KEY, name VARCHAR(200))",
                "CREATE TABLE capture_ledger_invoice (invoice_no VARCHAR(64) PRIMARY KEY, name VARCHAR(200))",
                "CREATE TABLE capture_billing_payment (payment_no VARCHAR(64) PRIMARY KEY, name VARCHAR(200))",
                "CREATE TABLE capture_ledger_payment (payment_no VARCHAR(64) PRIMARY KEY, name VARCHAR(200))");

        // the writers hold half-way between one kill's share and the next until that kill is done
        Holds erpHolds = new Holds(PAIR_CHANGES / 2, PAIR_CHANGES * 5 / 6);
        Holds shopHolds = new Holds(PAIR_CHANGES / 2, PAIR_CHANGES * 5 / 6);
        CompletableFuture<Void> erp = CompletableFuture.runAsync(() -> updateThenDelete(this::erp, "capture_erp_invoice",
                "now()", "now() + interval '5 seconds'", erpHolds));
        CompletableFuture<Void> shop = CompletableFuture.runAsync(() -> updateThenDelete(this::shop, "capture_shop_payment",
                "utc_timestamp(6)", "utc_timestamp(6) + interval 5 second", shopHolds));
        for (int kill = 1; kill <= 2; kill++) {
            long share = (long) PAIR_CHANGES * kill / 3;
            await("%d/3 of the changes captured".formatted(kill)).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20))
                    .until(() -> captured("erp") >= share && captured("shop") >= share);
            assertThat(app.kill()).as("exit code of kill %d (137 = SIGKILL)", kill).isEqualTo(137);
            erpHolds.release();
            shopHolds.release();
            app = app.restart("capture-order-it-" + kill);
            awaitCapturing("restart " + kill);
        }
        erp.get(120, TimeUnit.SECONDS);
        shop.get(120, TimeUnit.SECONDS);

        Map<String, String> survivors = new LinkedHashMap<>();
        for (int i = PAIRS; i < PAIRS + SURVIVORS; i++) {
            survivors.put(id(i), "second");
        }
        for (String source : List.of("erp", "shop")) {
            awaitApplied(source, PAIR_CHANGES);
            for (String target : List.of("billing", "ledger")) {
                Map<String, Long> actions = actions(source, target);
                // a kill between the two targets' commits applies the event again: the first finds it a duplicate
                actions.remove("skipped-duplicate");
                assertThat(actions).as("%s -> %s: audit entries by action, none stale", source, target)
                        .isEqualTo(Map.of("created", (long) PAIRS + SURVIVORS, "deleted", (long) PAIRS));
            }
        }
        for (String table : List.of("capture_billing_invoice", "capture_ledger_invoice")) {
            assertThat(rows(table, "invoice_no")).as("%s: every deleted invoice gone, the updated ones there", table)
                    .isEqualTo(survivors);
        }
        for (String table : List.of("capture_billing_payment", "capture_ledger_payment")) {
            assertThat(rows(table, "payment_no")).as("%s: every deleted payment gone, the updated ones there", table)
                    .isEqualTo(survivors);
        }
        assertThat(count("SELECT count(*) FROM dead_letter")).as("dead letters").isZero();
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (app != null) {
            app.close();
        }
        if (erpDatabase != null) {
            dropSlots();
        }
    }

    /** The state store, and the source databases on the private servers with their tables, all new. */
    private void sources(String erp, String shop, String erpTable, String shopTable) throws SQLException {
        erpDatabase = erp;
        shopDatabase = shop;
        TestDatabase.ensureDatabase(STORE, true);
        PrivatePostgres.ensureDatabase(erp, true);
        try (Connection connection = erp(); Statement statement = connection.createStatement()) {
            statement.execute(erpTable);
        }
        PrivateMariaDb.execute("DROP DATABASE IF EXISTS " + shop, "CREATE DATABASE " + shop,
                // the capture's own account: it reads the binary log, and a password only its environment knows
                "CREATE OR REPLACE USER '" + shopUser + "'@'%' IDENTIFIED BY '" + shopPassword + "'",
                "GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO '" + shopUser + "'@'%'");
        try (Connection connection = shop(); Statement statement = connection.createStatement()) {
            statement.execute(shopTable);
        }
    }

    private Connection erp() throws SQLException {
        return PrivatePostgres.connect(erpDatabase);
    }

    private Connection shop() throws SQLException {
        return PrivateMariaDb.connect(shopDatabase);
    }

    /** The application's environment: the state store, the model's routes folder, and the sources' connections. */
    private Map<String, String> environment(String model) throws Exception {
        Path routes = Path.of("target", "capture-it-routes");
        Files.createDirectories(routes);
        try (var files = Files.list(routes)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        try (var yaml = ChangeCaptureRestartIT.class.getResourceAsStream(model)) {
            Files.write(routes.resolve(Path.of(model).getFileName().toString()), yaml.readAllBytes());
        }
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("QUARKUS_DATASOURCE_JDBC_URL", STORE);
        environment.put("QUARKUS_DATASOURCE_USERNAME", TestDatabase.user());
        environment.put("QUARKUS_DATASOURCE_PASSWORD", TestDatabase.password());
        environment.put("SYNCLINE_ADMIN_PASSWORD", "capture-it-password");
        environment.put("SYNCLINE_ROUTES_LOCATION", routes.toAbsolutePath().toString());
        environment.put("CAPTURE_ERP_URL", PrivatePostgres.url(erpDatabase));
        environment.put("CAPTURE_ERP_USER", PrivatePostgres.USER);
        environment.put("CAPTURE_ERP_PASSWORD", erpPassword);
        environment.put("CAPTURE_SHOP_URL", PrivateMariaDb.url(shopDatabase));
        environment.put("CAPTURE_SHOP_USER", shopUser);
        environment.put("CAPTURE_SHOP_PASSWORD", shopPassword);
        return environment;
    }

    private static void storeTables(String... statements) throws SQLException {
        try (Connection store = TestDatabase.connect(STORE); Statement statement = store.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    /**
     * The 1,000 changes: every row inserted, the first 250 updated, the last 150 deleted; one
     * transaction each, the writer holding at each of {@code holds}.
     */
    private static void writeChanges(Connector connector, String table, Holds holds) {
        int written = 0;
        try (Connection connection = connector.connect()) {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table + " (id, name) VALUES (?, ?)")) {
                for (int i = 0; i < INSERTS; i++) {
                    insert.setString(1, id(i));
                    insert.setString(2, "first");
                    insert.executeUpdate();
                    holds.written(++written);
                }
            }
            try (PreparedStatement update = connection.prepareStatement("UPDATE " + table + " SET name = ? WHERE id = ?")) {
                for (int i = 0; i < UPDATES; i++) {
                    update.setString(1, "second");
                    update.setString(2, id(i));
                    update.executeUpdate();
                    holds.written(++written);
                }
            }
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table + " WHERE id = ?")) {
                for (int i = DELETES_FROM; i < INSERTS; i++) {
                    delete.setString(1, id(i));
                    delete.executeUpdate();
                    holds.written(++written);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Writing the source's changes failed", e);
        }
    }

    /** Every row of the captured-deletes test, as it stands before the capture starts. */
    private static void insertRows(Connector connector, String table, String now) throws SQLException {
        try (Connection connection = connector.connect();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table + " (id, name, updated_at) VALUES (?, ?, "
                        + now + ")")) {
            for (int i = 0; i < PAIRS + SURVIVORS; i++) {
                insert.setString(1, id(i));
                insert.setString(2, "first");
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /**
     * Each row updated with its modification time, then deleted right after, in the same second:
     * in turn in two transactions or in one, with the database's time or one 5 s ahead of it (an
     * application whose clock runs ahead). The last rows are only updated. The writer holds at each
     * of {@code holds} between two rows, never inside one's transaction.
     */
    private static void updateThenDelete(Connector connector, String table, String now, String ahead, Holds holds) {
        int written = 0;
        try (Connection connection = connector.connect();
                PreparedStatement update = connection.prepareStatement("UPDATE " + table + " SET name = 'second', updated_at = "
                        + now + " WHERE id = ?");
                PreparedStatement updateAhead = connection.prepareStatement("UPDATE " + table + " SET name = 'second', updated_at = "
                        + ahead + " WHERE id = ?");
                PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table + " WHERE id = ?")) {
            for (int i = 0; i < PAIRS + SURVIVORS; i++) {
                boolean oneTransaction = i % 4 >= 2;
                connection.setAutoCommit(!oneTransaction);
                PreparedStatement change = i % 2 == 1 ? updateAhead : update;
                change.setString(1, id(i));
                change.executeUpdate();
                if (i < PAIRS) {
                    delete.setString(1, id(i));
                    delete.executeUpdate();
                }
                if (oneTransaction) {
                    connection.commit();
                }
                written += i < PAIRS ? 2 : 1;
                holds.written(written);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Updating and deleting the source's rows failed", e);
        }
    }

    /**
     * Where a source's writer holds until the test lets it go on, each after a kill: counts of its
     * changes, ascending, so that the stream of changes goes on across each kill whatever the
     * machine's speed.
     */
    private static final class Holds {

        private final int[] at;
        private final CountDownLatch[] released;
        private int next;
        private int releasedSoFar;

        Holds(int... at) {
            this.at = at;
            this.released = new CountDownLatch[at.length];
            for (int i = 0; i < at.length; i++) {
                released[i] = new CountDownLatch(1);
            }
        }

        /** The writer has written {@code changes} in all: it holds here if it reached the next hold. */
        void written(int changes) {
            if (next < at.length && changes >= at[next]) {
                try {
                    if (!released[next].await(180, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("The writer was not let go on past " + at[next] + " changes");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while holding at " + at[next] + " changes", e);
                }
                next++;
            }
        }

        /** Lets the writer go on past its next hold. */
        synchronized void release() {
            released[releasedSoFar++].countDown();
        }
    }

    private static String id(int i) {
        return String.format("rec-%04d", i);
    }

    private interface Connector {

        Connection connect() throws SQLException;
    }

    /** Waits until each of the source's changes is in the inbox and done, each once. */
    private static void awaitApplied(String source, int changes) {
        await(source + "'s changes applied").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .until(() -> count("SELECT count(*) FROM inbox WHERE source_system = ? AND status = 'done'", source) == changes);
        assertThat(captured(source)).as("%s: inbox events", source).isEqualTo(changes);
    }

    /** A target table's rows, key to name. */
    private static Map<String, String> rows(String table, String key) {
        Map<String, String> actual = new LinkedHashMap<>();
        TestDatabase.queryOn(STORE, "SELECT " + key + " AS k, name FROM " + table + " ORDER BY " + key)
                .forEach(row -> actual.put((String) row.get("k"), (String) row.get("name")));
        return actual;
    }

    private static Map<String, Long> actions(String source, String target) {
        Map<String, Long> actions = new LinkedHashMap<>();
        TestDatabase.queryOn(STORE, "SELECT action, count(*) AS n FROM audit_log WHERE source_system = ? AND target_system = ?"
                + " GROUP BY action", source, target)
                .forEach(row -> actions.put((String) row.get("action"), (Long) row.get("n")));
        return actions;
    }

    private static long captured(String source) {
        return count("SELECT count(*) FROM inbox WHERE source_system = ?", source);
    }

    private static long count(String sql, Object... parameters) {
        return ((Number) TestDatabase.queryOn(STORE, sql, parameters).get(0).values().iterator().next()).longValue();
    }

    /** Waits until readiness is 200 and shows both captures capturing. */
    private void awaitCapturing(String context) {
        app.awaitReady(context);
        await(context + ": both captures capturing").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> CAPTURING.matcher(readiness()).results().count() == 2);
    }

    private String readiness() {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(app.url("/q/health/ready")))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            return "";
        }
    }

    /** The capture keeps its slot while stopped, so that no change is lost; the test removes the slots of its database. */
    private void dropSlots() throws SQLException {
        try (Connection admin = PrivatePostgres.connect("postgres"); PreparedStatement drop = admin.prepareStatement(
                "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = ? AND NOT active")) {
            drop.setString(1, erpDatabase);
            drop.execute();
        }
    }

    private static String secret() {
        byte[] random = new byte[12];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
