package io.syncline.testsupport;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Makes the demo target table disappear and come back, as a target database outage would. */
public final class DemoTarget {

    private DemoTarget() {
    }

    public static void takeDown() throws SQLException {
        execute("ALTER TABLE demo_contact RENAME TO demo_contact_unavailable");
    }

    /** Safe to call when the table is up. */
    public static void bringBack() throws SQLException {
        if (!TestDatabase.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'demo_contact_unavailable'").isEmpty()) {
            execute("ALTER TABLE demo_contact_unavailable RENAME TO demo_contact");
        }
    }

    private static void execute(String sql) throws SQLException {
        try (Connection connection = TestDatabase.connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
