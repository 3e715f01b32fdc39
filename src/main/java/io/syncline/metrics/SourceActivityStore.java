package io.syncline.metrics;

import io.agroal.api.AgroalDataSource;
import io.syncline.store.Sql;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** The {@code source_activity} table: when each source last showed it is alive, the newest of every replica's. */
@ApplicationScoped
public class SourceActivityStore {

    private final AgroalDataSource dataSource;

    public SourceActivityStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Saves each source's mark unless a replica saved a newer one. A row a statement each, in
     * SQL the embedded H2 store speaks too (no {@code ON CONFLICT}): a deployment has a few dozen
     * sources, saved every few seconds.
     */
    public void save(Map<SourceActivity.Source, Instant> marks) throws SQLException {
        if (marks.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection()) {
            for (Map.Entry<SourceActivity.Source, Instant> mark : marks.entrySet()) {
                SourceActivity.Source source = mark.getKey();
                Timestamp at = Timestamp.from(mark.getValue());
                if (newer(connection, source, at) == 0 && Sql.update(connection, "INSERT INTO source_activity"
                        + " (entity, source_system, kind, last_seen_at) SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM source_activity"
                        + " WHERE entity = ? AND source_system = ? AND kind = ?)",
                        Sql.params().text(source.entity(), source.system(),
                                source.kind().code()).timestamp(at).text(source.entity(), source.system(), source.kind().code()))
                        == 0) {
                    // a replica saved the source first, between the two statements
                    newer(connection, source, at);
                }
            }
        }
    }

    /** Moves the source's row to {@code at} where it holds an older mark; 0 where there is no row, or a newer one. */
    private static int newer(Connection connection, SourceActivity.Source source, Timestamp at) throws SQLException {
        return Sql.update(connection, "UPDATE source_activity SET last_seen_at = ? WHERE entity = ? AND source_system = ? AND kind = ?"
                + " AND last_seen_at < ?",
                Sql.params().timestamp(at).text(source.entity(), source.system(), source.kind().code())
                        .timestamp(at));
    }

    /** When each source last showed it is alive. */
    public Map<SourceActivity.Source, Instant> lastSeen() throws SQLException {
        Map<SourceActivity.Source, Instant> seen = new HashMap<>();
        for (Map.Entry<SourceActivity.Source, Instant> row : Sql.list(dataSource,
                "SELECT entity, source_system, kind, last_seen_at FROM source_activity", Sql.NONE,
                rows -> Map.entry(new SourceActivity.Source(rows.getString(1), rows.getString(2),
                        SourceActivity.Kind.of(rows.getString(3))), rows.getTimestamp(4).toInstant()))) {
            seen.put(row.getKey(), row.getValue());
        }
        return seen;
    }
}
