package io.syncline.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.store.Sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

/**
 * The {@code reconciliation_difference} table. A difference the job's previous trustworthy run
 * also found (same key, same bucket) keeps that run's first-seen time: how long drift has lasted
 * is what a data owner needs to judge it.
 */
public final class DifferenceRepository {

    private static final String INSERT = "INSERT INTO reconciliation_difference (run_id, job, entity, record_key, bucket,"
            + " fields, a_values, b_values, record_at, action, expected_because, first_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            + " COALESCE((SELECT p.first_seen_at FROM reconciliation_difference p WHERE p.run_id = ? AND p.record_key = ?"
            + " AND p.bucket = ?), ?))";
    private static final String COLUMNS = "id, run_id, job, entity, record_key, bucket, fields, a_values, b_values,"
            + " record_at, first_seen_at, action, inbox_id, review_item_id, expected_because";

    private final DataSource dataSource;
    private final ObjectMapper mapper;
    private final Sealing sealing;

    public DifferenceRepository(DataSource dataSource, ObjectMapper mapper) {
        this(dataSource, mapper, Sealing.NONE);
    }

    public DifferenceRepository(DataSource dataSource, ObjectMapper mapper, Sealing sealing) {
        this.dataSource = dataSource;
        this.mapper = mapper;
        this.sealing = sealing;
    }

    /** What the stored differences keep of sensitive fields. */
    Sealing sealing() {
        return sealing;
    }

    /**
     * What a stored difference keeps of an entity's sensitive fields (docs/privacy.md, "Sensitive
     * fields"): each value its digest, so that the report still tells which fields differ.
     */
    public interface Sealing {

        /** Values kept as they are: a model without sensitive fields. */
        Sealing NONE = new Sealing() {

            @Override
            public boolean any(String entity) {
                return false;
            }

            @Override
            public boolean sensitive(String entity, String field) {
                return false;
            }

            @Override
            public Object digest(Object value) {
                return value;
            }
        };

        boolean any(String entity);

        boolean sensitive(String entity, String field);

        Object digest(Object value);

        /** The difference with each sensitive field's values digests. */
        default Difference seal(String entity, Difference difference) {
            if (!any(entity)) {
                return difference;
            }
            List<Difference.FieldDifference> fields = difference.fields().stream()
                    .map(field -> sensitive(entity, field.field())
                            ? new Difference.FieldDifference(field.field(), digest(field.a()), digest(field.b()), field.reference())
                            : field)
                    .toList();
            return new Difference(difference.key(), difference.bucket(), fields, sealValues(entity, difference.valuesA()),
                    sealValues(entity, difference.valuesB()), difference.recordAt(), difference.action(), difference.expectedBecause());
        }

        private Map<String, Object> sealValues(String entity, Map<String, Object> values) {
            if (values == null) {
                return null;
            }
            Map<String, Object> sealed = new java.util.LinkedHashMap<>(values);
            sealed.replaceAll((field, value) -> sensitive(entity, field) ? digest(value) : value);
            return sealed;
        }
    }

    void insert(long runId, ReconciliationJob job, Long previousRunId, Instant seenAt, List<Difference> differences)
            throws SQLException, JsonProcessingException {
        if (differences.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (Difference stored : differences) {
                Difference difference = sealing.seal(job.entity(), stored);
                int i = 1;
                insert.setLong(i++, runId);
                insert.setString(i++, job.name());
                insert.setString(i++, job.entity());
                insert.setString(i++, difference.key());
                insert.setString(i++, difference.bucket().name());
                insert.setString(i++, difference.fields().isEmpty() ? null : mapper.writeValueAsString(difference.fields()));
                insert.setString(i++, difference.valuesA() == null ? null : mapper.writeValueAsString(difference.valuesA()));
                insert.setString(i++, difference.valuesB() == null ? null : mapper.writeValueAsString(difference.valuesB()));
                insert.setTimestamp(i++, difference.recordAt() == null ? null : Timestamp.from(difference.recordAt()));
                insert.setString(i++, difference.action().name());
                insert.setString(i++, difference.expectedBecause());
                insert.setObject(i++, previousRunId, Types.BIGINT);
                insert.setString(i++, difference.key());
                insert.setString(i++, difference.bucket().name());
                insert.setTimestamp(i, Timestamp.from(seenAt));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** The run's differences planned for {@code action}, after {@code afterId}, a batch at a time. */
    List<StoredDifference> planned(long runId, Difference.Action action, long afterId, int limit) throws SQLException {
        return Sql.list(dataSource, "SELECT " + COLUMNS + " FROM reconciliation_difference WHERE run_id = ? AND action = ?"
                + " AND id > ? ORDER BY id LIMIT ?", Sql.params().bigint(runId).text(action.name()).bigint(afterId).integer(limit), DifferenceRepository::read);
    }

    void recordAction(long id, Difference.Action action, Long inboxId, Long reviewItemId) throws SQLException {
        Sql.update(dataSource, "UPDATE reconciliation_difference SET action = ?, inbox_id = ?, review_item_id = ? WHERE id = ?",
                Sql.params().text(action.name()).object(inboxId, Types.BIGINT).object(reviewItemId, Types.BIGINT).bigint(id));
    }

    /** Replaces a difference's fields (JSON): a planned response not carried out, and why, noted with them. */
    void note(long id, String fields) throws SQLException {
        Sql.update(dataSource, "UPDATE reconciliation_difference SET fields = ? WHERE id = ?", Sql.params().text(fields).bigint(id));
    }

    /** A fix refused because the record is an erased person's: its values are not kept. */
    void refused(long id, long requestId) throws SQLException {
        String erased = "{\"retained\":\"erased\",\"request\":" + requestId + "}";
        Sql.update(dataSource, "UPDATE reconciliation_difference SET action = 'refused',"
                + " a_values = CASE WHEN a_values IS NULL THEN NULL ELSE ? END,"
                + " b_values = CASE WHEN b_values IS NULL THEN NULL ELSE ? END,"
                + " fields = CASE WHEN fields IS NULL THEN NULL ELSE ? END WHERE id = ?", Sql.params().text(erased, erased, erased).bigint(id));
    }

    /** The still-open review item an earlier run of the job made for the same key and bucket, if any. */
    Long openReviewItem(String job, String key, String bucket, long beforeRun) throws SQLException {
        return Sql.optional(dataSource, "SELECT d.review_item_id FROM reconciliation_difference d JOIN review_item r"
                + " ON r.id = d.review_item_id WHERE d.job = ? AND d.record_key = ? AND d.bucket = ? AND d.run_id < ?"
                + " AND r.status = 'open' ORDER BY d.id DESC LIMIT 1", Sql.params().text(job, key, bucket).bigint(beforeRun), rows -> rows.getLong(1))
                .orElse(null);
    }

    /** Newest first; every filter is optional. */
    public List<StoredDifference> list(Long runId, String job, String entity, String bucket, int limit) throws SQLException {
        return Sql.list(dataSource, "SELECT " + COLUMNS + " FROM reconciliation_difference WHERE (? IS NULL OR run_id = ?)"
                + " AND (? IS NULL OR job = ?) AND (? IS NULL OR entity = ?) AND (? IS NULL OR bucket = ?) ORDER BY id DESC LIMIT ?",
                Sql.params().object(runId, Types.BIGINT).object(runId, Types.BIGINT).text(job, job, entity, entity, bucket, bucket).integer(limit),
                DifferenceRepository::read);
    }

    private static StoredDifference read(ResultSet rows) throws SQLException {
        return new StoredDifference(rows.getLong("id"), rows.getLong("run_id"), rows.getString("job"),
                rows.getString("entity"), rows.getString("record_key"), rows.getString("bucket"), rows.getString("fields"),
                rows.getString("a_values"), rows.getString("b_values"), rows.getObject("record_at", OffsetDateTime.class),
                rows.getObject("first_seen_at", OffsetDateTime.class), rows.getString("action"),
                (Long) rows.getObject("inbox_id", Long.class), (Long) rows.getObject("review_item_id", Long.class),
                rows.getString("expected_because"));
    }

    /**
     * Replaces difference {@code id}'s values and fields (a privacy request's erasure: marks and
     * field names only), on the caller's connection; returns the rows changed.
     */
    public int erase(Connection connection, long id, String aValues, String bValues, String fields) throws SQLException {
        return Sql.update(connection, "UPDATE reconciliation_difference SET a_values = ?, b_values = ?, fields = ? WHERE id = ?",
                Sql.params().text(aValues, bValues, fields).bigint(id));
    }
}
