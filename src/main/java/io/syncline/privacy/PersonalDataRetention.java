package io.syncline.privacy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.config.SynclineConfig;
import io.syncline.tombstone.ReducedValues;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Personal data does not linger in Syncline's own tables: audit diffs, dead-letter payloads and the
 * payloads of dead inbox events older than their entity's retention are reduced to their field names and a SHA-256 digest of
 * each value, by route {@code privacy-retention}. The digests still tell whether two values were
 * equal (an audit trail's "did this field change?") without holding either value. A reduced
 * value is JSON of the form {@code {"retained":"digests","value":…}}; a dead letter so reduced
 * can no longer be replayed. Every replica may run it: a reduced row is never reduced again.
 */
@ApplicationScoped
@Named("PersonalDataRetention")
@RegisterForReflection
public class PersonalDataRetention {

    private static final Logger LOG = Logger.getLogger(PersonalDataRetention.class);
    private static final int BATCH = 500;

    /** A table whose rows carry personal data in one JSON column, aged by one time column, those {@code where} says. */
    private record Column(String table, String column, String time, String where) {

        String select() {
            return "SELECT id, entity, " + time + ", " + column + " FROM " + table + " WHERE " + where + " AND " + time + " < ? AND id > ?"
                    + " AND " + column + " IS NOT NULL AND " + column + " NOT LIKE '" + ReducedValues.MARK + "%' ORDER BY id LIMIT " + BATCH;
        }

        String update() {
            return "UPDATE " + table + " SET " + column + " = ? WHERE id = ?";
        }
    }

    private static final List<Column> COLUMNS = List.of(
            new Column("audit_log", "diff", "occurred_at", "TRUE"),
            new Column("dead_letter", "payload", "first_failed_at", "TRUE"),
            // a dead event stays in the inbox beside its dead letter (applied ones are purged by inbox-cleanup)
            new Column("inbox", "payload", "received_at", "status = 'dead'"));

    private final AgroalDataSource store;
    private final ObjectMapper mapper;
    private final Duration retention;
    private final Map<String, Duration> perEntity;
    private final Clock clock;

    @Inject
    public PersonalDataRetention(AgroalDataSource store, ObjectMapper mapper, SynclineConfig config) {
        this(store, mapper, config.privacy().retention(), config.privacy().retentionPerEntity(), Clock.systemUTC());
    }

    PersonalDataRetention(AgroalDataSource store, ObjectMapper mapper, Duration retention, Map<String, Duration> perEntity,
            Clock clock) {
        this.store = store;
        this.mapper = mapper;
        this.retention = retention;
        this.perEntity = Map.copyOf(perEntity);
        this.clock = clock;
    }

    /** Reduces every audit diff and dead-letter payload past its entity's retention. @return rows reduced */
    public int reduce() throws SQLException {
        Instant now = clock.instant();
        int reduced = 0;
        for (Column column : COLUMNS) {
            reduced += reduce(column, now);
        }
        if (reduced > 0) {
            LOG.infof("Personal data retention: %d audit diffs and dead-letter payloads reduced to field names and digests", reduced);
        }
        return reduced;
    }

    /** How long personal data of {@code entity} is kept in Syncline's own tables. */
    Duration retentionOf(String entity) {
        return entity == null ? retention : perEntity.getOrDefault(entity, retention);
    }

    private int reduce(Column column, Instant now) throws SQLException {
        // the youngest age any entity keeps: each row is then held to its own entity's
        Instant candidates = now.minus(perEntity.values().stream().reduce(retention, (a, b) -> a.compareTo(b) < 0 ? a : b));
        int reduced = 0;
        long after = 0;
        while (true) {
            List<Object[]> due = new ArrayList<>();
            long last = after;
            try (Connection connection = store.getConnection();
                    PreparedStatement select = connection.prepareStatement(column.select())) {
                select.setTimestamp(1, Timestamp.from(candidates));
                select.setLong(2, after);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        last = rows.getLong(1);
                        Instant at = rows.getTimestamp(3).toInstant();
                        if (at.isBefore(now.minus(retentionOf(rows.getString(2))))) {
                            due.add(new Object[]{last, reduced(rows.getString(4))});
                        }
                    }
                }
                if (!due.isEmpty()) {
                    try (PreparedStatement update = connection.prepareStatement(column.update())) {
                        for (Object[] row : due) {
                            update.setString(1, (String) row[1]);
                            update.setLong(2, (Long) row[0]);
                            update.addBatch();
                        }
                        update.executeBatch();
                    }
                }
            }
            reduced += due.size();
            if (last == after) {
                return reduced;
            }
            after = last;
        }
    }

    /** The value's field names, each with a digest of its value in place of the value. */
    String reduced(String stored) {
        // begins with ReducedValues.MARK: the wrapper's first field
        ObjectNode wrapper = mapper.createObjectNode().put("retained", "digests");
        JsonNode value;
        try {
            value = mapper.readTree(stored);
        } catch (JsonProcessingException e) {
            value = null;
        }
        wrapper.set("value", value == null ? mapper.getNodeFactory().textNode(digest(stored)) : reduce(value));
        return wrapper.toString();
    }

    private JsonNode reduce(JsonNode node) {
        if (node.isObject()) {
            ObjectNode fields = mapper.createObjectNode();
            node.fields().forEachRemaining(field -> fields.set(field.getKey(), reduce(field.getValue())));
            return fields;
        }
        return node.isNull() ? node : mapper.getNodeFactory().textNode(digest(node.isTextual() ? node.textValue() : node.toString()));
    }

    static String digest(String value) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}
