package io.syncline.inbox;

import io.syncline.config.SynclineConfig;
import io.syncline.exchange.ExchangeContract;
import io.syncline.store.StoreOutageRouteConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.camel.CamelContext;
import org.apache.camel.ShutdownRunningTask;
import org.apache.camel.builder.RouteBuilder;

/**
 * The inbox's engine routes, part of the application rather than of the routes folder an
 * integrator edits: the dispatcher claims due events and queues them, the workers apply each
 * through its apply route, {@code inbox-cleanup} purges applied events past the retention.
 *
 * <p>The dispatcher starts once the route files are loaded ({@link #startDispatcher}, called by
 * the boot wiring when they are): an event claimed before its apply route exists would fail and
 * be retried for nothing. With
 * {@code syncline.inbox.apply=false} it does not start: the replica only accepts webhooks.
 */
@ApplicationScoped
public class InboxRoutes extends RouteBuilder {

    static final String DISPATCHER = "inbox-dispatcher";
    /** Applies a chunk of claimed events (InboxBatches): the workers' and the inbox topic consumers' last step. */
    static final String CHUNK = "direct:inbox-chunk";

    private final SynclineConfig config;
    private final KafkaInboxRoutes topic;

    public InboxRoutes(SynclineConfig config, KafkaInboxRoutes topic) {
        this.config = config;
        this.topic = topic;
    }

    @Override
    public void configure() {
        // @formatter:off: the route indented as the flow it runs
        // Claim, queue, claim again while the workers apply (a claim skips a record with an earlier
        // unfinished event, queued ones included, so each record's events apply in order); when
        // nothing more is due, wait for this replica's next accepted event (and the claim linger,
        // for company) or the poll interval. The timer restarts the loop after the store failed it.
        from("timer:inbox-dispatcher?period={{syncline.inbox.poll-interval}}")
                .routeId(DISPATCHER)
                .description("inbox -> inbox workers' queue")
                .routeConfigurationId("inbox-dispatcher")
                // started after the workers and stopped before them, so that their queue drains on
                // shutdown (above the numbers Camel gives routes without one, from 1000 up)
                .startupOrder(100001)
                .autoStartup(false)
                .loopDoWhile(constant(true)).breakOnShutdown()
                    // each lap stamped: liveness turns DOWN when the loop stays stuck in one
                    .bean("InboxHeartbeat", "dispatcherLap")
                    // claim no more than the workers' queue has room for: queueing never blocks,
                    // so a stop ends the loop within a poll interval
                    .setProperty(ExchangeContract.INBOX_ROOM).method("InboxWorkerQueue", "awaitRoom")
                    .bean("InboxSteps", "claim(${exchange}, ${exchangeProperty." + ExchangeContract.INBOX_ROOM + "})")
                    // Splitter: one event a chunk, or for the routes in syncline.inbox.apply-batch.routes
                    // several applied in one transaction once every worker has its share
                    .split().method("InboxBatches", "chunks")
                        .to("seda:inbox-workers?size={{syncline.inbox.batch-size}}&blockWhenFull=true")
                    .end()
                    .filter(exchangeProperty(ExchangeContract.INBOX_DRAINED))
                        .bean("InboxArrivals", "await")
                    .end()
                .end();

        // Competing consumers: syncline.inbox.workers threads; a free worker takes the next queued
        // chunk at once. The events queued when the application stops are taken (and handed back)
        // before it stops.
        from("seda:inbox-workers?size={{syncline.inbox.batch-size}}&concurrentConsumers={{syncline.inbox.workers}}")
                .routeId("inbox-workers")
                .description("inbox workers' queue -> apply route of each event")
                .routeConfigurationId("inbox-dispatcher")
                .startupOrder(100000)
                .shutdownRunningTask(ShutdownRunningTask.CompleteAllTasks)
                // free places in the queue: the dispatcher may claim more
                .bean("InboxWorkerQueue", "taken")
                // Throttler: accepting comes first; during a burst of webhooks only
                // intake-priority.workers chunks apply at once
                .throttle(method("IntakePriority", "applySlots")).concurrentRequestsMode()
                // stamped until the chunk is done: liveness turns DOWN when a worker stays stuck in it
                .bean("InboxHeartbeat", "chunkTaken(${exchange})")
                .to(CHUNK);

        // A chunk of claimed events, from a worker or the inbox topic's consumer (Kafka mode).
        from(CHUNK)
                .routeId("inbox-chunk")
                .description("a chunk of claimed events -> their apply route -> committed")
                .routeConfigurationId("inbox-dispatcher")
                // a chunk of several events: one transaction and one trip down their apply route
                // together; a chunk of one, alone
                .bean("InboxBatches", "begin")
                .split().method("InboxBatches", "units")
                    .to("direct:inbox-event")
                .end()
                // committed together; if one failed, rolled back and each applied again on its own
                .bean("InboxBatches", "end");

        // One claimed event, or a batch's events together: its apply route, then done. A failure
        // is handed to inboxFailures (retry, review queue or dead letter), or rolls a batch back.
        from("direct:inbox-event")
                .routeId("inbox-event")
                .description("one claimed event -> its apply route -> done")
                .routeConfigurationId("inbox-dispatcher")
                .bean("InboxHeartbeat", "eventBegun")
                .choice()
                    // once the application is stopping, an event not yet begun goes back to the inbox
                    // unapplied, for the next claim here or on another replica
                    .when(method("InboxWorkerQueue", "stopping"))
                        .bean("InboxSteps", "handBack")
                    .otherwise()
                        .process("InboxEventProcessor")
                        // block=false: an event whose apply route is missing (a broken route file)
                        // fails at once and is retried with backoff, instead of stalling a worker
                        .toD("${exchangeProperty.SynclineApplyEndpoint}?block=false")
                        .bean("InboxSteps", "complete(${exchange})")
                .end();

        // Housekeeping: applied events older than syncline.inbox.retention are purged; pending, held
        // and dead ones stay. Every replica may run it: the DELETE is the same whoever runs it.
        from("timer:inbox-cleanup?period={{syncline.inbox.cleanup-interval}}&delay=60000")
                .routeId("inbox-cleanup")
                .routeConfigurationId(StoreOutageRouteConfiguration.ID)
                .description("purge applied inbox events older than the retention")
                .bean("InboxRetention", "purgeApplied");
        // @formatter:on
    }

    /** Starts the dispatcher (and in Kafka mode the topic's consumers), unless this replica does not apply events ({@code syncline.inbox.apply=false}). */
    public void startDispatcher(CamelContext context) throws Exception {
        if (config.inbox().apply()) {
            context.getRouteController().startRoute(DISPATCHER);
            // the dispatcher runs in Kafka mode too: it retries, and applies the events that
            // Syncline enqueues itself (re-syncs, change polls, backfills)
            topic.start(context);
        }
    }
}
