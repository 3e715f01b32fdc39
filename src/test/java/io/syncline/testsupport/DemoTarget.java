package io.syncline.testsupport;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Makes the demo target table disappear and come back, as a target database outage would. */
public final class DemoTarget {

    private DemoTarget() {
    }

    public static void takeDown() throws SQLException {
        takeDown(TestDatabase.url());
    }

    /** Safe to call when the table is up. */
    public static void bringBack() throws SQLException {
        bringBack(TestDatabase.url());
    }

    /** {@link #takeDown()} on the database at {@code url}. */
    public static void takeDown(String url) throws SQLException {
        execute(url, "ALTER TABLE demo_contact RENAME TO demo_contact_unavailable");
    }

    /** {@link #bringBack()} on the database at {@code url}. */
    public static void bringBack(String url) throws SQLException {
        if (!TestDatabase.queryOn(url, "SELECT 1 FROM information_schema.tables WHERE table_name = 'demo_contact_unavailable'")
                .isEmpty()) {
            execute(url, "ALTER TABLE demo_contact_unavailable RENAME TO demo_contact");
        }
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection connection = TestDatabase.connect(url); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
