package io.syncline.inbox;

import io.quarkus.arc.Unremovable;
import jakarta.inject.Singleton;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Tells the inbox's waits that Camel has begun to stop its context, so that the dispatcher
 * claims no more and its waits end at once ({@link InboxWorkerQueue#onStopping},
 * {@link InboxArrivals#onStopping}).
 *
 * <p>A Camel event notifier of context events alone, where a CDI observer of the same Camel event
 * served before: such an observer makes Camel Quarkus register its CDI event bridge, which takes
 * every Camel event, so Camel built and offered it each exchange's events (created, sending, sent,
 * completed, each step's) only to have them turned down one by one: about 5 % of the JVM's CPU
 * for each new contact applied (JFR and alternating pairs, 2026-11-25). This notifier declares
 * up front that it takes no exchange, step, route or service events, so Camel never builds them
 * for it. Camel Main adds every {@code EventNotifier} bean to the context's management strategy;
 * nothing injects this one, hence {@code @Unremovable}.
 */
@Singleton
@Unremovable
public class InboxStopNotifier extends EventNotifierSupport {

    private final InboxWorkerQueue queue;
    private final InboxArrivals arrivals;

    public InboxStopNotifier(InboxWorkerQueue queue, InboxArrivals arrivals) {
        this.queue = queue;
        this.arrivals = arrivals;
        setupIgnore(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.CamelContextStoppingEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        queue.onStopping();
        arrivals.onStopping();
    }
}
