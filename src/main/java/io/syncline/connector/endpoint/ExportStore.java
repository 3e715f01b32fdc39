package io.syncline.connector.endpoint;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.store.Sql;
import io.syncline.store.Transactions;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The state store's part of file exports: the writes kept for the next run ({@code export_record},
 * in the apply unit's transaction) and the runs ({@code export_run}), each recorded with the last
 * row it takes before its file is written, so that a run that did not finish is done again with
 * the same rows under the same name.
 */
@ApplicationScoped
class ExportStore {

    private static final TypeReference<Map<String, Object>> VALUES = new TypeReference<>() {
    };

    /** A run of one entity's export. */
    @RegisterForReflection
    record Run(String system, String entity, int run, String fileName, long upTo, Integer records, Instant startedAt,
            Instant finishedAt) {
    }

    /** A kept write: the record's values as written, or its deletion. */
    record Written(long id, String recordId, boolean deleted, Map<String, Object> values) {
    }

    private final AgroalDataSource dataSource;
    private final ObjectMapper json;

    ExportStore(AgroalDataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    /** Keeps one write for the next run, on {@code connection} (the apply unit's, in its transaction). */
    void keep(Connection connection, String system, String entity, String recordId, boolean deleted,
            Map<String, Object> values) throws SQLException {
        Sql.update(connection, "INSERT INTO export_record (system_name, entity, record_id, deleted, record_values, written_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)",
                Sql.params().text(system, entity, recordId).bool(deleted)
                        .text(Sql.json(json, values, "the record's values")).timestamp(Timestamp.from(Instant.now())));
    }

    /** The same, on a connection of its own: a write made outside the apply path. */
    void keep(String system, String entity, String recordId, boolean deleted, Map<String, Object> values) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            keep(connection, system, entity, recordId, deleted, values);
        }
    }

    /**
     * The run to write now: the one that did not finish, else a new one up to the last row kept, or
     * empty where {@code always} is false and no row was kept since the last run.
     *
     * @param fileName the new run's file name, from its number and start
     * @throws SQLException among others where another replica recorded the same run at the same moment
     */
    Optional<Run> begin(String system, String entity, boolean always, FileNamer fileName) throws SQLException {
        return Transactions.inTransaction(dataSource, connection -> {
            Optional<Run> last = Sql.optional(connection, "SELECT * FROM export_run WHERE system_name = ? AND entity = ?"
                    + " ORDER BY run DESC LIMIT 1", Sql.params().text(system, entity), ExportStore::run);
            if (last.isPresent() && last.get().finishedAt() == null) {
                return last;
            }
            long lastUpTo = last.map(Run::upTo).orElse(0L);
            long upTo = Sql.one(connection, "SELECT COALESCE(MAX(id), 0) FROM export_record WHERE system_name = ? AND entity = ?",
                    Sql.params().text(system, entity), row -> row.getLong(1));
            if (upTo <= lastUpTo && !always) {
                return Optional.empty();
            }
            int number = last.map(Run::run).orElse(0) + 1;
            Instant now = Instant.now();
            Run run = new Run(system, entity, number, fileName.name(number, now), Math.max(upTo, lastUpTo), null, now, null);
            Sql.update(connection, "INSERT INTO export_run (system_name, entity, run, file_name, up_to, started_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?)",
                    Sql.params().text(system, entity).integer(number).text(run.fileName())
                            .bigint(run.upTo()).timestamp(Timestamp.from(now)));
            return Optional.of(run);
        });
    }

    /** The rows kept up to the run's last, in the order they were written. */
    List<Written> rows(Run run) throws SQLException {
        return Sql.list(dataSource, "SELECT id, record_id, deleted, record_values FROM export_record WHERE system_name = ?"
                + " AND entity = ? AND id <= ? ORDER BY id", Sql.params().text(run.system(), run.entity()).bigint(run.upTo()),
                row -> new Written(row.getLong(1), row.getString(2), row.getBoolean(3), values(row.getString(4))));
    }

    /**
     * Records the run as written, and lets go of the rows it needs no more, in one transaction: with
     * {@code snapshot}, a row another row of the same record followed, and a deletion; else every
     * row it took.
     */
    Run finish(Run run, int records, boolean snapshot) throws SQLException {
        Instant now = Instant.now();
        Transactions.inTransaction(dataSource, connection -> {
            Sql.update(connection, "UPDATE export_run SET records = ?, finished_at = ? WHERE system_name = ? AND entity = ?"
                    + " AND run = ?",
                    Sql.params().integer(records).timestamp(Timestamp.from(now)).text(run.system(), run.entity())
                            .integer(run.run()));
            if (snapshot) {
                return Sql.update(connection, "DELETE FROM export_record r WHERE r.system_name = ? AND r.entity = ? AND r.id <= ?"
                        + " AND (r.deleted OR EXISTS (SELECT 1 FROM export_record l WHERE l.system_name = r.system_name"
                        + " AND l.entity = r.entity AND l.record_id = r.record_id AND l.id > r.id))",
                        Sql.params().text(run.system(), run.entity()).bigint(run.upTo()));
            }
            return Sql.update(connection, "DELETE FROM export_record WHERE system_name = ? AND entity = ? AND id <= ?",
                    Sql.params().text(run.system(), run.entity()).bigint(run.upTo()));
        });
        return new Run(run.system(), run.entity(), run.run(), run.fileName(), run.upTo(), records, run.startedAt(), now);
    }

    /** The entity's runs, the newest first. */
    List<Run> runs(String system, String entity, int limit) throws SQLException {
        return Sql.list(dataSource, "SELECT * FROM export_run WHERE system_name = ? AND entity = ? ORDER BY run DESC LIMIT ?",
                Sql.params().text(system, entity).integer(limit), ExportStore::run);
    }

    /** The newest finished run of the entity's export. */
    Optional<Run> lastFinished(String system, String entity) throws SQLException {
        return Sql.optional(dataSource, "SELECT * FROM export_run WHERE system_name = ? AND entity = ? AND finished_at IS NOT NULL"
                + " ORDER BY run DESC LIMIT 1", Sql.params().text(system, entity), ExportStore::run);
    }

    private static Run run(java.sql.ResultSet row) throws SQLException {
        Timestamp finished = row.getTimestamp("finished_at");
        Number records = (Number) row.getObject("records");
        return new Run(row.getString("system_name"), row.getString("entity"), row.getInt("run"), row.getString("file_name"),
                row.getLong("up_to"), records == null ? null : records.intValue(), row.getTimestamp("started_at").toInstant(),
                finished == null ? null : finished.toInstant());
    }

    private Map<String, Object> values(String text) throws SQLException {
        try {
            return json.readValue(text, VALUES);
        } catch (java.io.IOException e) {
            throw new SQLException("An export row's values are not JSON: " + e.getMessage(), e);
        }
    }

    /** Names a new run's file. */
    @FunctionalInterface
    interface FileNamer {

        String name(int run, Instant start);
    }
}
