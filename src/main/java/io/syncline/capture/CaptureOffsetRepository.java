package io.syncline.capture;

import io.agroal.api.AgroalDataSource;
import io.quarkus.arc.Unremovable;
import io.syncline.store.Sql;
import io.syncline.store.Upsert;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The store of table {@code capture_offset}: each capture's Debezium offsets, as the engine's own
 * offset writer serialises them (partition key to offset, JSON text).
 */
@ApplicationScoped
// Debezium's plug-ins look it up by CDI, which no injection point shows at build time
@Unremovable
public class CaptureOffsetRepository {

    private static final Upsert SAVE = Upsert.of("capture_offset", List.of("capture", "offset_key"),
            List.of("offset_value", "updated_at"));

    @Inject
    AgroalDataSource store;

    /** The capture's offsets, partition key to offset. */
    public Map<String, String> find(String capture) throws SQLException {
        try (Connection connection = store.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT offset_key, offset_value FROM capture_offset WHERE capture = ?")) {
            select.setString(1, capture);
            Map<String, String> offsets = new HashMap<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    offsets.put(rows.getString(1), rows.getString(2));
                }
            }
            return offsets;
        }
    }

    /** Saves offsets on the caller's connection, in its transaction (the inbox's, for captured changes). */
    public void save(Connection connection, String capture, Map<String, String> offsets) throws SQLException {
        if (offsets.isEmpty()) {
            return;
        }
        Timestamp now = Timestamp.from(Instant.now());
        List<Upsert.Row> rows = new ArrayList<>();
        for (Map.Entry<String, String> offset : offsets.entrySet()) {
            rows.add(new Upsert.Row(Sql.params().text(capture, offset.getKey()), Sql.params().text(offset.getValue()).timestamp(now)));
        }
        SAVE.write(connection, rows);
    }

    /**
     * Saves offsets the capture has none of yet, in a transaction of their own: where a new
     * capture's engine starts reading. Later offsets are saved with the changes up to them, and
     * the engine's own flush of the same positions must not replace those.
     */
    public void saveFirst(String capture, Map<String, String> offsets) throws SQLException {
        try (Connection connection = store.getConnection()) {
            write(connection, "INSERT INTO capture_offset (capture, offset_key, offset_value, updated_at) VALUES (?, ?, ?, ?)"
                    + " ON CONFLICT DO NOTHING", capture, offsets);
        }
    }

    /** Sends one row of {@code sql} (capture, key, value, now) per offset, as one batch. */
    private static void write(Connection connection, String sql, String capture, Map<String, String> offsets)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            Timestamp now = Timestamp.from(Instant.now());
            for (Map.Entry<String, String> offset : offsets.entrySet()) {
                insert.setString(1, capture);
                insert.setString(2, offset.getKey());
                insert.setString(3, offset.getValue());
                insert.setTimestamp(4, now);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }
}
