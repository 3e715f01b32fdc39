package io.syncline.inbox;

import io.syncline.config.SynclineConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.camel.CamelContext;

import java.util.concurrent.ExecutorService;

/**
 * The threads that apply the events of a claimed batch side by side: the dispatcher's split
 * names them ({@code executorService: inboxWorkers}); {@code syncline.inbox.workers} sizes them.
 * Camel's executor manager owns the pool, so it stops with the Camel context, after the routes.
 */
@ApplicationScoped
public class InboxWorkers {

    @Produces
    @Singleton
    @Named("inboxWorkers")
    ExecutorService inboxWorkers(CamelContext camel, SynclineConfig config) {
        return camel.getExecutorServiceManager().newFixedThreadPool(this, "InboxWorker", size(config.inbox().workers()));
    }

    static int size(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("syncline.inbox.workers is " + workers + ": it must be at least 1");
        }
        return workers;
    }
}
