package io.syncline.rules;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.store.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

/**
 * The state store's memory for {@link RuleCondition.Same} conditions ({@code rule_repeat}): for each
 * rule and each combination of the values it compares (kept as a digest, not in clear), the last record
 * that had them and when (its {@code of} field's time, or when Syncline saw it). A record repeats an
 * earlier one when the mark of its values names another record, at a time within the window of its
 * own.
 *
 * <p>Looked up and written in the apply's own transaction, the mark's row locked until it commits:
 * two records with the same values applied at once are taken one after the other, so the second sees
 * the first (a record held or refused rolls its mark back with its change, and is marked once
 * approved). Marks whose window is over are purged by {@link #purgeExpired}.
 */
@ApplicationScoped
@Named("RepeatMarks")
@RegisterForReflection
public class RepeatMarks {

    /** The record a change repeats, and the time of the earlier one. */
    public record Repeat(String recordKey, Instant at) {
    }

    private static final String UNIQUE_VIOLATION = "23505";

    private final DataSource dataSource;
    private final Clock clock;

    @Inject
    public RepeatMarks(AgroalDataSource dataSource) {
        this(dataSource, Clock.systemUTC());
    }

    RepeatMarks(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /**
     * Whether the record {@code recordKey}, with {@code values}, repeats an earlier record under
     * {@code same} of rule {@code rule}; unless {@code dryRun}, the record becomes the mark of its values.
     * Empty when a value compared is missing (nothing is marked then either).
     */
    public Optional<Repeat> check(Connection connection, String entity, String rule, RuleCondition.Same same, String recordKey,
            Map<String, Object> values, boolean dryRun) throws SQLException {
        Instant now = clock.instant();
        String digest = digest(same.fields(), values);
        Instant at = same.over() == null ? now : instant(values.get(same.over()));
        if (digest == null || at == null) {
            return Optional.empty();
        }
        Optional<Repeat> last = locked(connection, entity, rule, digest, !dryRun);
        if (last.isEmpty() && !dryRun && !inserted(connection, entity, rule, digest, recordKey, at, now, same.window())) {
            // another transaction marked these values first and has committed since: it is the earlier record
            last = locked(connection, entity, rule, digest, true);
        }
        Optional<Repeat> repeat = last.filter(mark -> !mark.recordKey().equals(recordKey)
                && Duration.between(mark.at(), at).abs().compareTo(same.window()) <= 0);
        if (last.isPresent() && !dryRun) {
            Sql.update(connection, "UPDATE rule_repeat SET record_key = ?, happened_at = ?, keep_until = ? WHERE entity = ?"
                    + " AND rule_name = ? AND digest = ?",
                    Sql.params().text(recordKey).timestamp(Timestamp.from(at))
                            .timestamp(keepUntil(at, now, same.window())).text(entity, rule, digest));
        }
        return repeat;
    }

    /** Deletes one mark (a person's, erased); returns how many rows went. */
    public int forget(Connection connection, String entity, String rule, String digest) throws SQLException {
        return Sql.update(connection, "DELETE FROM rule_repeat WHERE entity = ? AND rule_name = ? AND digest = ?",
                Sql.params().text(entity, rule, digest));
    }

    /** Deletes the marks whose window is over; returns how many. */
    public int purgeExpired() throws SQLException {
        return Sql.update(dataSource, "DELETE FROM rule_repeat WHERE keep_until < ?",
                Sql.params().timestamp(Timestamp.from(clock.instant())));
    }

    private static Optional<Repeat> locked(Connection connection, String entity, String rule, String digest, boolean lock)
            throws SQLException {
        return Sql.optional(connection, "SELECT record_key, happened_at FROM rule_repeat WHERE entity = ? AND rule_name = ?"
                + " AND digest = ?" + (lock ? " FOR UPDATE" : ""), Sql.params().text(entity, rule, digest),
                row -> new Repeat(row.getString(1), row.getTimestamp(2).toInstant()));
    }

    /** False when another transaction holds or has committed the same mark: its insert won. */
    private static boolean inserted(Connection connection, String entity, String rule, String digest, String recordKey,
            Instant at, Instant now, Duration window) throws SQLException {
        Savepoint savepoint = connection.getAutoCommit() ? null : connection.setSavepoint();
        try {
            Sql.update(connection, "INSERT INTO rule_repeat (entity, rule_name, digest, record_key, happened_at, keep_until)"
                    + " VALUES (?, ?, ?, ?, ?, ?)",
                    Sql.params().text(entity, rule, digest, recordKey)
                            .timestamp(Timestamp.from(at)).timestamp(keepUntil(at, now, window)));
            if (savepoint != null) {
                connection.releaseSavepoint(savepoint);
            }
            return true;
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState()) || savepoint == null) {
                throw e;
            }
            connection.rollback(savepoint);
            return false;
        }
    }

    /** A mark serves until its window has passed both its own time and the time it was written. */
    private static Timestamp keepUntil(Instant at, Instant now, Duration window) {
        return Timestamp.from((at.isAfter(now) ? at : now).plus(window));
    }

    /** SHA-256 of the values compared, numbers by value; null when one is missing. */
    static String digest(List<String> fields, Map<String, Object> values) {
        StringBuilder text = new StringBuilder();
        for (String field : fields) {
            Object value = values.get(field);
            if (value == null || value instanceof String string && string.isBlank()) {
                return null;
            }
            BigDecimal number = RuleCondition.number(value);
            text.append(number != null ? number.stripTrailingZeros().toPlainString() : String.valueOf(value)).append('\u001f');
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.toString()
                    .getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** A date (its start, UTC) or a timestamp, as the canonical record holds it; null when it is neither. */
    static Instant instant(Object value) {
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof Timestamp timestamp) {
            return timestamp.toInstant();
        }
        if (value instanceof OffsetDateTime time) {
            return time.toInstant();
        }
        if (value instanceof LocalDate date) {
            return date.atStartOfDay(ZoneOffset.UTC).toInstant();
        }
        if (value instanceof java.sql.Date date) {
            return date.toLocalDate().atStartOfDay(ZoneOffset.UTC).toInstant();
        }
        if (value instanceof String text && !text.isBlank()) {
            try {
                return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
                        : text.endsWith("Z") || text.matches(".*[+-]\\d\\d:?\\d\\d$") ? OffsetDateTime.parse(text).toInstant()
                        : LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        return null;
    }
}
