package io.syncline.inbox;

import io.syncline.config.SynclineConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;

/**
 * The inbox topic's consumers ({@code syncline.inbox.mode=kafka}; in the PostgreSQL mode there is
 * no such route, and nothing connects to a broker). Each consumer thread, one of the group the
 * replicas share, reads its partitions in order and applies each event through the inbox's apply
 * path ({@code direct:inbox-event}) before the next: a record's events are in one partition, so
 * they apply in the order they were accepted. The offset is committed by hand, only once the
 * apply committed (or the event became the dispatcher's: a retry, a dead letter, an event behind
 * an earlier one of its record). A failure before that (the state store away) reads the event
 * again from its offset ({@code breakOnFirstError}).
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
        if (config.inbox().mode() != SynclineConfig.Inbox.InboxMode.KAFKA) {
            return;
        }
        SynclineConfig.Inbox.KafkaInbox kafka = config.inbox().kafka();
        from("kafka:" + kafka.topic() + "?brokers=" + kafka.brokers() + "&groupId=" + kafka.groupId()
                + "&consumersCount=" + kafka.consumers() + "&autoOffsetReset=earliest"
                + "&autoCommitEnable=false&allowManualCommit=true&breakOnFirstError=true"
                + "&maxPollRecords={{syncline.inbox.batch-size}}")
                .routeId(CONSUMER)
                .description("inbox topic -> inbox row -> apply route of each event -> offset")
                // started with the dispatcher, once the route files (the apply routes) are loaded
                .autoStartup(false)
                // the state store away: the same event again after a pause, then read again from its offset
                .errorHandler(defaultErrorHandler().maximumRedeliveries(3).redeliveryDelay(1000))
                .bean("KafkaInboxSteps", "take")
                // the offset is committed once this exchange completes (KafkaInboxSteps#take)
                .filter(body().isNotNull())
                    .to("direct:inbox-event")
                .end();
    }

    /** Starts the consumers in Kafka mode, unless this replica does not apply events. */
    void start(CamelContext context) throws Exception {
        if (config.inbox().mode() == SynclineConfig.Inbox.InboxMode.KAFKA && config.inbox().apply()) {
            context.getRouteController().startRoute(CONSUMER);
        }
    }
}
