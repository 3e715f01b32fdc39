package io.syncline.testsupport;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Billing's tables that the change-capture routes (src/test/resources/salesforce-cdc-routes) write
 * to: its accounts under billing's own codes, and contacts and tickets naming them by foreign key.
 * Every test that runs those routes makes these, so a mapping added to the routes cannot meet a
 * table that lacks its column.
 */
public final class SalesforceCdcBilling {

    private SalesforceCdcBilling() {
    }

    public static void createTables(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS sf_cdc_billing_account (code VARCHAR(18) PRIMARY KEY,"
                    + " name VARCHAR(200), number VARCHAR(40))");
            statement.execute("CREATE TABLE IF NOT EXISTS sf_cdc_billing_contact (sf_id VARCHAR(18) PRIMARY KEY,"
                    + " email VARCHAR(200), last_name VARCHAR(200), modified_at TIMESTAMP WITH TIME ZONE,"
                    + " account_code VARCHAR(18) REFERENCES sf_cdc_billing_account (code))");
            statement.execute("CREATE TABLE IF NOT EXISTS sf_cdc_billing_ticket (sf_id VARCHAR(18) PRIMARY KEY,"
                    + " subject VARCHAR(200), account_code VARCHAR(18) REFERENCES sf_cdc_billing_account (code))");
        }
    }
}
