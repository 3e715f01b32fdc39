package io.syncline.metrics;

import io.micrometer.core.instrument.Metrics;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Empties Micrometer's global registry when the application stops. The injected registry is that
 * composite, and it outlives a restart within one JVM (dev mode's live reload, tests that restart
 * the application): a gauge left from the stopped application, whose object is gone, would hide
 * the new application's gauge of the same name and tags, which would then be missing from
 * {@code /q/metrics} (as {@code syncline_store_reachable} was) and from the alert notifier.
 */
@ApplicationScoped
class GlobalMeterCleanup {

    void stop(@Observes ShutdownEvent event) {
        Metrics.globalRegistry.clear();
    }
}
