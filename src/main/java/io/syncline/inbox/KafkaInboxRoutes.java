package io.syncline.inbox;

import io.syncline.config.SynclineConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;

/**
 * The inbox topic's consumers ({@code syncline.inbox.mode=kafka}; in the PostgreSQL mode there is
 * no such route, and nothing connects to a broker). Each consumer thread, one of the group the
 * replicas share, reads its partitions in order, takes each poll's records into the inbox as rows
 * claimed for itself (an event behind an unfinished earlier one of its record is left to the
 * dispatcher, in order) and applies them through the inbox's apply path before the next poll: a
 * record's events are in one partition, so they apply in the order they were accepted. The
 * offsets are committed by hand once the poll's events are applied or are the dispatcher's
 * (a retry, a dead letter, an event behind an earlier one of its record); never before they are
 * in the inbox.
 */
@ApplicationScoped
public class KafkaInboxRoutes extends RouteBuilder {

    static final String CONSUMER = "inbox-kafka";

    private final SynclineConfig config;

    public KafkaInboxRoutes(SynclineConfig config) {
        this.config = config;
    }

    @Override
    public void configure() {
        // @formatter:off: the route indented as the flow it runs
        if (config.inbox().mode() != SynclineConfig.Inbox.InboxMode.KAFKA) {
            return;
        }
        SynclineConfig.Inbox.KafkaInbox kafka = config.inbox().kafka();
        from("kafka:" + kafka.topic() + "?brokers=" + kafka.brokers() + "&groupId=" + kafka.groupId()
                + "&consumersCount=" + kafka.consumers() + "&autoOffsetReset=earliest"
                // a poll's records together: one transaction takes them into the inbox, and they
                // apply in batches as the workers' claims do
                + "&batching=true&maxPollRecords={{syncline.inbox.batch-size}}&pollTimeoutMs=100"
                + "&autoCommitEnable=false&allowManualCommit=true")
                .routeId(CONSUMER)
                .description("inbox topic -> inbox rows -> apply route of each event -> offsets")
                // started with the dispatcher, once the route files (the apply routes) are loaded
                .autoStartup(false)
                // the offsets are committed once this exchange is done (KafkaInboxSteps#takeAll)
                .bean("KafkaInboxSteps", "takeAll")
                // Splitter: the poll's claimed events in chunks, several in one transaction where
                // their apply route allows it, one after the other on this consumer's thread
                .split().method("InboxBatches", "inTurn")
                    .to(InboxRoutes.CHUNK)
                .end();
        // @formatter:on
    }

    /** Starts the consumers in Kafka mode, unless this replica does not apply events. */
    void start(CamelContext context) throws Exception {
        if (config.inbox().mode() == SynclineConfig.Inbox.InboxMode.KAFKA && config.inbox().apply()) {
            context.getRegistry().lookupByNameAndType("KafkaInboxSteps", KafkaInboxSteps.class).restarted();
            context.getRouteController().startRoute(CONSUMER);
        }
    }
}
