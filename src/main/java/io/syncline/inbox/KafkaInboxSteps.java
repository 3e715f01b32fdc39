package io.syncline.inbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.config.SynclineConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.camel.support.SynchronizationAdapter;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The inbox topic consumer's steps ({@code syncline.inbox.mode=kafka}): {@link #takeAll} writes
 * the events of one poll as inbox rows claimed for this consumer, in one transaction, for the
 * inbox's own apply path, and commits the poll's offsets once that apply is over: the events are
 * applied, or their rows are the dispatcher's (a retry, an event behind its record's earlier one,
 * one whose lease runs out). A consumer that stops before its commit leaves the offsets where they
 * were: the events are read again, and their event ids, held by the inbox, keep them from being
 * applied twice.
 */
@ApplicationScoped
@Named("KafkaInboxSteps")
@RegisterForReflection
public class KafkaInboxSteps {

    private static final Logger LOG = Logger.getLogger(KafkaInboxSteps.class);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(5);

    @Inject
    KafkaInboxRows inbox;
    @Inject
    ObjectMapper mapper;
    @Inject
    InboxWorkerQueue queue;
    @Inject
    SynclineConfig config;
    private final Clock clock = Clock.systemUTC();
    /**
     * Set once a poll could not be taken (the application stopping while the state store was away):
     * the consumer has moved past that poll's records, so no later poll may commit its offsets
     * (which would cover them) before the consumer starts again from the committed ones.
     */
    private volatile boolean refusing;

    /**
     * One poll's records (the body, the batching consumer's exchanges, each an envelope as JSON)
     * as inbox rows: the body becomes the events claimed to apply now, in the topic's order. The
     * offsets are committed when the exchange is done, whatever became of the apply: every event
     * is in the inbox by then. Never when the rows could not be written: while the state store is
     * away this waits for it (the poll's records are not taken in part), and a stop gives up.
     */
    public void takeAll(Exchange exchange) throws Exception {
        if (refusing) {
            throw new IllegalStateException("An earlier poll of the inbox topic was not taken: nothing is committed"
                    + " until the consumer starts again from its committed offsets");
        }
        try {
            take(exchange);
        } catch (Exception e) {
            refusing = true;
            throw e;
        }
    }

    private void take(Exchange exchange) throws Exception {
        @SuppressWarnings("unchecked")
        List<Exchange> records = exchange.getMessage().getMandatoryBody(List.class);
        List<KafkaInboxEnvelope> events = new ArrayList<>(records.size());
        Map<Integer, KafkaManualCommit> lastOfPartition = new LinkedHashMap<>();
        for (Exchange record : records) {
            Integer partition = record.getMessage().getHeader(KafkaConstants.PARTITION, Integer.class);
            try {
                events.add(mapper.readValue(record.getMessage().getMandatoryBody(String.class), KafkaInboxEnvelope.class));
            } catch (JsonProcessingException notOurs) {
                // written by something else than Syncline: nothing was accepted with it
                LOG.errorf("Skipped a record of the inbox topic that is no inbox event (partition %s, offset %s): %s",
                        partition, record.getMessage().getHeader(KafkaConstants.OFFSET), notOurs.getOriginalMessage());
            }
            KafkaManualCommit commit = record.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class);
            if (commit != null) {
                lastOfPartition.put(partition, commit);
            }
        }
        exchange.getMessage().setBody(events.isEmpty() ? List.of() : taken(events));
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {

            @Override
            public void onDone(Exchange done) {
                lastOfPartition.values().forEach(KafkaManualCommit::commit);
            }
        });
    }

    /** Clears a refusal: the consumer starts again from the committed offsets. */
    void restarted() {
        refusing = false;
    }

    private List<InboxEvent> taken(List<KafkaInboxEnvelope> events) throws Exception {
        for (int attempt = 1;; attempt++) {
            try {
                return inbox.takeAll(events, clock.instant().plus(config.inbox().lease()));
            } catch (Exception e) {
                if (queue.stopping()) {
                    throw e;
                }
                if (attempt == 1) {
                    LOG.warnf("The inbox topic's events could not be written to the inbox (%s): trying again until"
                            + " they are", e.getMessage());
                }
                // an interrupt (the route stopping) ends the wait with the poll not taken
                Thread.sleep(Math.min(attempt * 500L, LONGEST_PAUSE.toMillis()));
            }
        }
    }
}
