package io.syncline.review;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.syncline.conflict.ConflictHeldException;
import io.syncline.inbox.InboxRepository;
import io.syncline.mapping.CanonicalRecord;
import io.syncline.mapping.RecordHeldException;
import io.syncline.matching.AmbiguousMatchException;
import io.syncline.sync.SyncUnit;
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
 * conflicts a strategy sent to review, each with the record, the reasons, the target and what
 * sent it there (both values per field for a conflict). Used by route configurations as
 * {@code bean:ReviewQueueRepository?method=hold}; {@link ReviewQueueAdmin} is what people do with it.
 */
@ApplicationScoped
@Named("ReviewQueueRepository")
public class ReviewQueueRepository {

    /** Exchange property carrying the id of the review item just created. */
    public static final String REVIEW_ITEM_ID = "SynclineReviewItemId";

    public enum Kind { held_record, ambiguous_match, conflict, reconciliation }

    private static final String INSERT = "INSERT INTO review_item (kind, entity, source_system, source_id, reason, payload,"
            + " inbox_id, target_system, canonical_id, strategy) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final AgroalDataSource dataSource;
    private final ObjectMapper mapper;

    public ReviewQueueRepository(AgroalDataSource dataSource, ObjectMapper mapper) {
        this.dataSource = dataSource;
        this.mapper = mapper;
    }

    /** Queues the record of a {@link RecordHeldException}, an {@link AmbiguousMatchException} or a {@link ConflictHeldException}. */
    public void hold(Exchange exchange) throws SQLException, JsonProcessingException {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        SyncUnit unit = exchange.getProperty(SyncUnit.PROPERTY, SyncUnit.class);
        String target = unit == null ? null : unit.target();
        long id;
        if (cause instanceof AmbiguousMatchException ambiguous) {
            var candidates = ambiguous.result().candidates().stream()
                    .map(candidate -> Map.of("systemId", candidate.systemId(), "fields", candidate.fields()))
                    .toList();
            id = add(new Item(Kind.ambiguous_match, ambiguous.record(), ambiguous.getMessage(), Map.of(
                    "targetSystem", ambiguous.targetSystem(), "rule", ambiguous.result().rule(),
                    "confidence", ambiguous.result().confidence(), "candidates", candidates), inboxId(exchange),
                    ambiguous.targetSystem(), "match rule " + ambiguous.result().rule()));
        } else if (cause instanceof ConflictHeldException conflict) {
            id = add(new Item(Kind.conflict, conflict.record(), conflict.getMessage(), Map.of("conflicts", conflict.conflicts()),
                    inboxId(exchange), conflict.targetSystem(), conflict.strategies()));
        } else {
            RecordHeldException held = (RecordHeldException) cause;
            id = add(new Item(Kind.held_record, held.record(), String.join("; ", held.reasons()),
                    Map.of("heldFields", held.fields()), inboxId(exchange),
                    target, "required: hold"));
        }
        exchange.setProperty(REVIEW_ITEM_ID, id);
    }

    private static Long inboxId(Exchange exchange) {
        return exchange.getProperty(InboxRepository.INBOX_ID, Long.class);
    }

    /** A record for a person, why, what helps decide (the candidates, the conflicts), and what sent it here. */
    public record Item(Kind kind, CanonicalRecord record, String reason, Map<String, Object> context, Long inboxId,
                       String targetSystem, String strategy) {
    }

    public long add(Item item) throws SQLException, JsonProcessingException {
        CanonicalRecord record = item.record();
        String payload = mapper.writeValueAsString(Map.of("fields", record.fields(), "versionHash", record.versionHash(),
                "context", item.context()));
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(INSERT, new String[] {"id"})) {
            statement.setString(1, item.kind().name());
            statement.setString(2, record.entity());
            statement.setString(3, record.sourceSystem());
            statement.setString(4, record.sourceId());
            statement.setString(5, item.reason());
            statement.setString(6, payload);
            statement.setObject(7, item.inboxId());
            statement.setString(8, item.targetSystem());
            statement.setString(9, record.canonicalId());
            statement.setString(10, item.strategy());
            statement.executeUpdate();
            try (ResultSet keys = statement.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }
}
