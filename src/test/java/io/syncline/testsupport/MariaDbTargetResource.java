package io.syncline.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * An ERP's MariaDB for the application under test: a fresh test database with the tables
 * {@code erp_contact}, {@code erp_orders} and {@code erp_order_lines}, three sales channels'
 * stock tables (and the warehouse's, on the state store's PostgreSQL), and an account of its own whose URL and credentials reach the application
 * only as the environment the model names ({@code ERP_DB_URL}, {@code ERP_DB_USER},
 * {@code ERP_DB_PASSWORD}; system properties in {@code …IT}). The session starts at -05:00, as
 * a server outside UTC would, so that a timestamp stored through the wrong zone shows.
 */
public class MariaDbTargetResource implements QuarkusTestResourceLifecycleManager {

    public static final String TABLE = "erp_contact";
    /** The ERP's orders, and their lines a row each, with a foreign key to the order. */
    public static final String ORDERS = "erp_orders";
    public static final String ORDER_LINES = "erp_order_lines";
    /** Three sales channels' stock levels (src/test/resources/mariadb-routes/stock.syncline.yaml). */
    public static final List<String> CHANNEL_STOCK = List.of("shop_stock", "amz_stock", "ebay_stock");
    /** The warehouse's stock levels, on the state store's PostgreSQL (its default datasource). */
    public static final String WAREHOUSE_STOCK = "wh_stock";

    @Override
    public Map<String, String> start() {
        MariaDbTestDatabase.recreate();
        MariaDbTestDatabase.execute("CREATE TABLE " + TABLE + " ("
                + " customer_no VARCHAR(64) NOT NULL PRIMARY KEY,"
                + " email VARCHAR(320) NOT NULL,"
                + " first_name VARCHAR(200),"
                + " last_name VARCHAR(200),"
                + " phone VARCHAR(32),"
                + " company VARCHAR(200),"
                + " status VARCHAR(32),"
                + " customer_since DATE,"
                + " created_at TIMESTAMP(3) NULL,"
                + " updated_at DATETIME(3)"
                + ") ENGINE=InnoDB");
        MariaDbTestDatabase.execute("CREATE TABLE " + ORDERS + " (id VARCHAR(64) NOT NULL PRIMARY KEY, note VARCHAR(200))"
                + " ENGINE=InnoDB",
                "CREATE TABLE " + ORDER_LINES + " (order_id VARCHAR(64) NOT NULL, line_no INT NOT NULL,"
                        + " sku VARCHAR(64), quantity DECIMAL(12, 2), ship_by DATE, position INT NOT NULL,"
                        + " PRIMARY KEY (order_id, line_no), FOREIGN KEY (order_id) REFERENCES " + ORDERS + " (id)) ENGINE=InnoDB");
        for (String channel : CHANNEL_STOCK) {
            MariaDbTestDatabase.execute("CREATE TABLE " + channel + " (sku VARCHAR(64) NOT NULL PRIMARY KEY, available INT NOT NULL)"
                    + " ENGINE=InnoDB");
        }
        TestDatabase.ensureDatabase(TestDatabase.url(), false);
        try (Connection connection = TestDatabase.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS public." + WAREHOUSE_STOCK + " (sku VARCHAR(64) PRIMARY KEY,"
                    + " on_hand INTEGER NOT NULL)");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create the warehouse's stock table", e);
        }
        Map<String, String> account = MariaDbTestDatabase.createApplicationUser();
        return Map.of(
                "ERP_DB_URL", MariaDbTestDatabase.urlWith("sessionVariables=time_zone='-05:00'"),
                "ERP_DB_USER", account.get("user"),
                "ERP_DB_PASSWORD", account.get("password"));
    }

    @Override
    public void stop() {
        // The database outlives the test run so that a failure can be inspected.
    }
}
