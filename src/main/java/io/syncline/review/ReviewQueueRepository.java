package io.syncline.review;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.syncline.conflict.ConflictHeldException;
import io.syncline.inbox.InboxRepository;
import io.syncline.mapping.CanonicalRecord;
import io.syncline.mapping.RecordHeldException;
import io.syncline.matching.AmbiguousMatchException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import org.apache.camel.Exchange;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

/**
 * The human review queue: records held by a required-field policy, ambiguous matches and
 * (later) conflicts, each with the record and the reasons. Used by route configurations as
 * {@code bean:reviewQueue?method=hold}.
 */
@ApplicationScoped
@Named("reviewQueue")
public class ReviewQueueRepository {

    /** Exchange property carrying the id of the review item just created. */
    public static final String REVIEW_ITEM_ID = "SynclineReviewItemId";

    public enum Kind { held_record, ambiguous_match, conflict, reconciliation }

    private static final String INSERT = "INSERT INTO review_item (kind, entity, source_system, source_id, reason, payload,"
            + " inbox_id) VALUES (?, ?, ?, ?, ?, ?, ?)";

    private final AgroalDataSource dataSource;
    private final ObjectMapper mapper;

    public ReviewQueueRepository(AgroalDataSource dataSource, ObjectMapper mapper) {
        this.dataSource = dataSource;
        this.mapper = mapper;
    }

    /** Queues the record of a {@link RecordHeldException}, an {@link AmbiguousMatchException} or a {@link ConflictHeldException}. */
    public void hold(Exchange exchange) throws SQLException, JsonProcessingException {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        long id;
        if (cause instanceof AmbiguousMatchException ambiguous) {
            var candidates = ambiguous.result().candidates().stream()
                    .map(candidate -> Map.of("systemId", candidate.systemId(), "fields", candidate.fields()))
                    .toList();
            id = add(Kind.ambiguous_match, ambiguous.record(), ambiguous.getMessage(), Map.of(
                    "targetSystem", ambiguous.targetSystem(), "rule", ambiguous.result().rule(),
                    "confidence", ambiguous.result().confidence(), "candidates", candidates), inboxId(exchange));
        } else if (cause instanceof ConflictHeldException conflict) {
            id = add(Kind.conflict, conflict.record(), conflict.getMessage(), Map.of("conflicts", conflict.conflicts()),
                    inboxId(exchange));
        } else {
            RecordHeldException held = (RecordHeldException) cause;
            id = add(Kind.held_record, held.record(), String.join("; ", held.reasons()), Map.of(), inboxId(exchange));
        }
        exchange.setProperty(REVIEW_ITEM_ID, id);
    }

    /** Queues a record with why it needs a person, and anything that helps decide (e.g. the candidates). */
    private static Long inboxId(Exchange exchange) {
        return exchange.getProperty(InboxRepository.INBOX_ID, Long.class);
    }

    public long add(Kind kind, CanonicalRecord record, String reason, Map<String, Object> context, Long inboxId)
            throws SQLException, JsonProcessingException {
        String payload = mapper.writeValueAsString(Map.of("fields", record.fields(), "versionHash", record.versionHash(),
                "context", context));
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(INSERT, new String[] {"id"})) {
            statement.setString(1, kind.name());
            statement.setString(2, record.entity());
            statement.setString(3, record.sourceSystem());
            statement.setString(4, record.sourceId());
            statement.setString(5, reason);
            statement.setString(6, payload);
            statement.setObject(7, inboxId);
            statement.executeUpdate();
            try (ResultSet keys = statement.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }
}
