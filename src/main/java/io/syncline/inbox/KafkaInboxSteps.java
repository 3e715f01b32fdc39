package io.syncline.inbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.config.SynclineConfig;
import io.syncline.deadletter.DeadLetterRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.camel.support.SynchronizationAdapter;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
 * applied twice. A record that is no inbox event, or one the inbox cannot hold, is a dead letter
 * and its partition moves on.
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
    @Inject
    DeadLetterRepository deadLetters;
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
        List<Polled> polled = new ArrayList<>(records.size());
        Map<Integer, KafkaManualCommit> lastOfPartition = new LinkedHashMap<>();
        for (Exchange record : records) {
            Integer partition = record.getMessage().getHeader(KafkaConstants.PARTITION, Integer.class);
            String at = "partition " + partition + ", offset " + record.getMessage().getHeader(KafkaConstants.OFFSET);
            String raw = record.getMessage().getBody(String.class);
            try {
                polled.add(new Polled(mapper.readValue(raw, KafkaInboxEnvelope.class), raw, at, null));
            } catch (JsonProcessingException | IllegalArgumentException notOurs) {
                // written by something else than Syncline: kept as a dead letter, and the partition moves on
                polled.add(new Polled(null, raw, at, "no inbox event: " + (notOurs instanceof JsonProcessingException json
                        ? json.getOriginalMessage() : notOurs.getMessage())));
            }
            KafkaManualCommit commit = record.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class);
            if (commit != null) {
                lastOfPartition.put(partition, commit);
            }
        }
        exchange.getMessage().setBody(polled.isEmpty() ? List.of() : taken(polled));
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

    private List<InboxEvent> taken(List<Polled> polled) throws Exception {
        for (int attempt = 1;; attempt++) {
            try {
                return takenOrDeadLettered(polled);
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

    /**
     * The poll's events as inbox rows, in one transaction; a record that is no inbox event, or that
     * the inbox refuses to hold (a value no retry can make fit), a dead letter instead, so that its
     * partition moves on: such a record would otherwise fail every poll that reads it. One refused
     * record spoils its poll's transaction, so the poll is then taken one event at a time.
     */
    private List<InboxEvent> takenOrDeadLettered(List<Polled> polled) throws Exception {
        List<KafkaInboxEnvelope> events = new ArrayList<>(polled.size());
        for (Polled record : polled) {
            if (record.event() == null) {
                deadLetter(record, record.unreadable());
            } else {
                events.add(record.event());
            }
        }
        try {
            return events.isEmpty() ? List.of() : inbox.takeAll(events, leaseEnd());
        } catch (SQLException e) {
            if (!refusedValue(e)) {
                throw e;
            }
        }
        List<InboxEvent> claimed = new ArrayList<>();
        for (Polled record : polled) {
            if (record.event() == null) {
                continue;
            }
            try {
                claimed.addAll(inbox.takeAll(List.of(record.event()), leaseEnd()));
            } catch (SQLException e) {
                if (!refusedValue(e)) {
                    throw e;
                }
                deadLetter(record, "the inbox cannot hold this event: " + refusal(e));
            }
        }
        return claimed;
    }

    private Instant leaseEnd() {
        return clock.instant().plus(config.inbox().lease());
    }

    /** A value the database refuses whatever the retry: a data exception (SQLSTATE 22) or a violated constraint (23). */
    static boolean refusedValue(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("22") || sql.getSQLState().startsWith("23"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * What the database refused, without the values: the SQLSTATE and the first line of its message.
     * The driver's message goes on with the failing row ("Detail: Failing row contains …"), which holds
     * the event's payload, personal data and sensitive fields included, and must reach no log or reason.
     */
    static String refusal(SQLException e) {
        String message = String.valueOf(e.getMessage());
        int lineBreak = message.indexOf('\n');
        return "SQLSTATE " + e.getSQLState() + ": " + (lineBreak < 0 ? message : message.substring(0, lineBreak)).strip();
    }

    private void deadLetter(Polled record, String reason) throws SQLException {
        KafkaInboxEnvelope event = record.event();
        String why = "inbox topic " + record.at() + ": " + reason;
        LOG.errorf("A record of the inbox topic is a dead letter: %s", why);
        // the event's own payload where it has one, so that its sensitive fields are found and encrypted;
        // text columns hold no NUL character, the rest is kept as it came
        String kept = event != null && event.payload() != null ? event.payload() : record.raw();
        String payload = kept == null ? "" : kept.replace('\u0000', '\uFFFD');
        deadLetters.storeOnce(KafkaInboxRoutes.CONSUMER, event == null ? null : event.entity(), event == null ? null
                : event.system(), payload, new UnreadableInboxRecordException(why));
    }

    /** A record of one poll: the event it holds (null where it is none), its text, where it was read, and why it is unreadable. */
    private record Polled(KafkaInboxEnvelope event, String raw, String at, String unreadable) {
    }

    /** Why a record of the inbox topic became a dead letter. */
    static final class UnreadableInboxRecordException extends Exception {

        UnreadableInboxRecordException(String message) {
            super(message);
        }
    }
}
