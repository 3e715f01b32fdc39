package io.syncline.inbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.config.SynclineConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.camel.support.SynchronizationAdapter;

import java.sql.SQLException;
import java.time.Clock;

/**
 * The inbox topic consumer's steps ({@code syncline.inbox.mode=kafka}): {@link #take} writes the
 * event read from the topic as an inbox row claimed for this consumer, for the inbox's own apply
 * path ({@code direct:inbox-event}), and commits the topic offset once that apply has committed,
 * or once the row is the dispatcher's (a retry, an event behind its record's earlier one). A consumer that stops before its commit leaves the offset where it was: the event is read
 * again, and its event id, held by the inbox, keeps it from being applied twice.
 */
@ApplicationScoped
@Named("KafkaInboxSteps")
@RegisterForReflection
public class KafkaInboxSteps {

    private final InboxRepository inbox;
    private final ObjectMapper mapper;
    private final SynclineConfig.Inbox settings;
    private final Clock clock = Clock.systemUTC();

    public KafkaInboxSteps(InboxRepository inbox, ObjectMapper mapper, SynclineConfig config) {
        this.inbox = inbox;
        this.mapper = mapper;
        this.settings = config.inbox();
    }

    /**
     * The event (the body, an envelope as JSON) as an inbox row: the body becomes the claimed
     * {@link InboxEvent} to apply now, or null when there is nothing to apply here (taken before,
     * or left to the dispatcher behind an earlier event of its record). The offset is committed
     * when the exchange completes: after the apply committed, or after the inbox's failure
     * handling recorded its failure on the row (it handles the failure, and the route stops
     * there); never when the row could not be written.
     */
    public void take(Exchange exchange) throws Exception {
        KafkaManualCommit commit = exchange.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class);
        KafkaInboxEnvelope event = mapper.readValue(exchange.getMessage().getMandatoryBody(String.class),
                KafkaInboxEnvelope.class);
        exchange.getMessage().setBody(taken(event));
        if (commit != null) {
            exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
                @Override
                public void onComplete(Exchange done) {
                    commit.commit();
                }
            });
        }
    }

    private InboxEvent taken(KafkaInboxEnvelope event) throws SQLException {
        return inbox.take(event.routeId(), event.applyEndpoint(), event.entity(), event.system(), event.recordKey(),
                event.eventId(), event.payload(), event.origin() == null ? InboxRepository.ORIGIN_WEBHOOK : event.origin(),
                clock.instant().plus(settings.lease())).orElse(null);
    }
}
