package io.syncline.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * An ERP's MariaDB for the application under test: a fresh test database with the table
 * {@code erp_contact}, and an account of its own whose URL and credentials reach the application
 * only as the environment the model names ({@code ERP_DB_URL}, {@code ERP_DB_USER},
 * {@code ERP_DB_PASSWORD}; system properties in {@code …IT}). The session starts at -05:00, as
 * a server outside UTC would, so that a timestamp stored through the wrong zone shows.
 */
public class MariaDbTargetResource implements QuarkusTestResourceLifecycleManager {

    public static final String TABLE = "erp_contact";

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
