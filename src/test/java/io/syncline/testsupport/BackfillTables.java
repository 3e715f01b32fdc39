package io.syncline.testsupport;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * The tables of src/test/resources/backfill-routes: an ERP's customers ({@code records} of them,
 * a quarter tier gold), billing holding a tenth of them under other names (unlinked), and the
 * shop (MariaDB) a twentieth as the ERP has them. Keys are {@link #key}: unique to the test run,
 * since a test database keeps the ID map and record states of earlier runs.
 */
public final class BackfillTables {

    /** This run's keys' prefix: 'cu-' and the run's start in base 36. */
    public static final String PREFIX = "cu-" + Long.toString(System.currentTimeMillis(), 36) + "-";

    private BackfillTables() {
    }

    /** The key of customer {@code n}. */
    public static String key(int n) {
        return PREFIX + String.format("%07d", n);
    }

    public static int inBilling(int records) {
        return records / 10;
    }

    public static int inShop(int records) {
        return records / 20;
    }

    /** The ERP's and billing's tables on the PostgreSQL database of {@code url}, anew. */
    public static void createOnPostgres(String url, int records) throws SQLException {
        try (Connection connection = TestDatabase.connect(url); Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS bf_erp_customer");
            statement.execute("CREATE TABLE bf_erp_customer (id VARCHAR(30) PRIMARY KEY, email VARCHAR(100), name VARCHAR(100),"
                    + " tier VARCHAR(30), updated_at TIMESTAMP WITH TIME ZONE)");
            statement.execute("INSERT INTO bf_erp_customer SELECT '" + PREFIX + "' || lpad(g::text, 7, '0'), 'customer' || g || '@example.com',"
                    + " 'Customer ' || g, CASE WHEN g % 4 = 0 THEN 'gold' ELSE 'silver' END, TIMESTAMPTZ '2024-03-01 10:30:00Z'"
                    + " FROM generate_series(1, " + records + ") g");
            statement.execute("DROP TABLE IF EXISTS bf_billing_customer");
            statement.execute("CREATE TABLE bf_billing_customer (customer_no VARCHAR(30) PRIMARY KEY, email VARCHAR(100) UNIQUE,"
                    + " name VARCHAR(100), tier VARCHAR(30), updated_at TIMESTAMP WITH TIME ZONE)");
            statement.execute("CREATE INDEX bf_billing_customer_email ON bf_billing_customer (LOWER(TRIM(email)))");
            // an earlier tool copied a tenth into billing; their names have drifted since, and nothing links them
            statement.execute("INSERT INTO bf_billing_customer SELECT '" + PREFIX + "' || lpad(g::text, 7, '0'), 'customer' || g || '@example.com',"
                    + " 'Old name ' || g, CASE WHEN g % 4 = 0 THEN 'gold' ELSE 'silver' END, TIMESTAMPTZ '2024-03-01 10:30:00Z'"
                    + " FROM generate_series(1, " + inBilling(records) + ") g");
        }
    }

    /** The shop's table on the MariaDB test database, anew. */
    public static void createOnMariaDb(int records) throws SQLException {
        MariaDbTestDatabase.execute("DROP TABLE IF EXISTS bf_shop_customer",
                "CREATE TABLE bf_shop_customer (shop_id VARCHAR(30) NOT NULL PRIMARY KEY, email VARCHAR(100), name VARCHAR(100),"
                        + " tier VARCHAR(30), updated_at DATETIME(3),"
                        // what the e-mail rule compares, indexed as MariaDB can: a generated column
                        + " email_key VARCHAR(100) AS (LOWER(TRIM(email))) VIRTUAL, KEY (email_key)) ENGINE=InnoDB");
        try (Connection connection = MariaDbTestDatabase.connect(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO bf_shop_customer (shop_id, email, name, tier, updated_at) VALUES (?, ?, ?, ?, ?)")) {
            for (int g = 1; g <= inShop(records); g++) {
                insert.setString(1, key(g));
                insert.setString(2, "customer" + g + "@example.com");
                insert.setString(3, "Customer " + g);
                insert.setString(4, g % 4 == 0 ? "gold" : "silver");
                insert.setTimestamp(5, Timestamp.from(Instant.parse("2024-03-01T10:30:00Z")));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /**
     * The related-records backfill's tables (src/test/resources/backfill-routes/related.syncline.yaml),
     * made anew: the ERP's companies, contacts naming a company and deals naming a contact and a
     * company, ids starting with {@code prefix}; billing's three tables empty, with foreign keys to
     * its own codes.
     */
    public static void createRelated(String prefix, int companies, int contacts, int deals) {
        TestDatabase.update("DROP TABLE IF EXISTS bf_billing_deal, bf_billing_contact, bf_billing_company,"
                + " bf_erp_deal, bf_erp_contact, bf_erp_company");
        TestDatabase.update("CREATE TABLE bf_erp_company (id VARCHAR(40) PRIMARY KEY, name VARCHAR(100))");
        TestDatabase.update("CREATE TABLE bf_erp_contact (id VARCHAR(40) PRIMARY KEY, email VARCHAR(100), company_id VARCHAR(40))");
        TestDatabase.update("CREATE TABLE bf_erp_deal (id VARCHAR(40) PRIMARY KEY, title VARCHAR(100), contact_id VARCHAR(40),"
                + " company_id VARCHAR(40))");
        TestDatabase.update("INSERT INTO bf_erp_company SELECT ? || 'co-' || lpad(g::text, 4, '0'), 'Company ' || g"
                + " FROM generate_series(1, ?) g", prefix, companies);
        TestDatabase.update("INSERT INTO bf_erp_contact SELECT ? || 'ct-' || lpad(g::text, 4, '0'), 'contact' || g || '@example.com',"
                + " ? || 'co-' || lpad((g % ? + 1)::text, 4, '0') FROM generate_series(1, ?) g", prefix, prefix, companies, contacts);
        TestDatabase.update("INSERT INTO bf_erp_deal SELECT ? || 'dl-' || lpad(g::text, 4, '0'), 'Deal ' || g, c.id, c.company_id"
                + " FROM generate_series(1, ?) g JOIN bf_erp_contact c ON c.id = ? || 'ct-' || lpad((g % ? + 1)::text, 4, '0')",
                prefix, deals, prefix, contacts);
        TestDatabase.update("CREATE TABLE bf_billing_company (code VARCHAR(40) PRIMARY KEY, name VARCHAR(100))");
        TestDatabase.update("CREATE TABLE bf_billing_contact (code VARCHAR(40) PRIMARY KEY, email VARCHAR(100),"
                + " company_code VARCHAR(40) REFERENCES bf_billing_company (code))");
        TestDatabase.update("CREATE TABLE bf_billing_deal (code VARCHAR(40) PRIMARY KEY, title VARCHAR(100),"
                + " contact_code VARCHAR(40) REFERENCES bf_billing_contact (code),"
                + " company_code VARCHAR(40) REFERENCES bf_billing_company (code))");
    }
}
