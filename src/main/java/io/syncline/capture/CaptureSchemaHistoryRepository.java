package io.syncline.capture;

import io.agroal.api.AgroalDataSource;
import io.quarkus.arc.Unremovable;
import io.syncline.store.Rows;
import io.syncline.store.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/** The store of table {@code capture_schema_history}: each binary-log capture's table definitions, in order. */
@ApplicationScoped
// Debezium's plug-ins look it up by CDI, which no injection point shows at build time
@Unremovable
public class CaptureSchemaHistoryRepository {

    @Inject
    AgroalDataSource store;

    public void append(String capture, String record) throws SQLException {
        Sql.update(store, "INSERT INTO capture_schema_history (capture, record, recorded_at) VALUES (?, ?, ?)",
                Sql.params().text(capture, record).timestamp(Timestamp.from(Instant.now())));
    }

    /** The capture's records, oldest first. */
    public List<String> all(String capture) throws SQLException {
        try (Connection connection = store.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT record FROM capture_schema_history WHERE capture = ? ORDER BY id")) {
            select.setString(1, capture);
            return Rows.list(select, rows -> rows.getString(1));
        }
    }

    public boolean exists(String capture) throws SQLException {
        try (Connection connection = store.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT 1 FROM capture_schema_history WHERE capture = ? FETCH FIRST 1 ROWS ONLY")) {
            select.setString(1, capture);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next();
            }
        }
    }
}
