package io.syncline.webhook;

import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * HTTP requests received and not yet answered, counted from the moment Vert.x routes them, so
 * that those still waiting for a thread or a CPU count too (a Camel route's inflight count only
 * starts once the route has the request: under load most of the wait comes before). Health
 * probes and metrics scrapes ({@code /q/}) are left out.
 */
@ApplicationScoped
public class RequestsInProgress {

    private final AtomicInteger inProgress = new AtomicInteger();

    void register(@Observes Filters filters) {
        filters.register(context -> {
            if (!context.normalizedPath().startsWith("/q/")) {
                inProgress.incrementAndGet();
                context.addEndHandler(ended -> inProgress.decrementAndGet());
            }
            context.next();
        }, 100);
    }

    public int count() {
        return inProgress.get();
    }
}
