package io.syncline.connector.spi;

import io.quarkus.runtime.StartupEvent;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.model.SystemDefinition;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A readiness check that says something of each system of the model, as {@code system.<name>}, from
 * a probe on a daemon thread of its own (at start, then every few seconds), so that a health
 * request reads what the last probe found and never waits for a system or the state store. Always
 * UP: a system that cannot be used makes its own events wait and retry, while the other systems'
 * flow on; taking the replica out of service would stop those too.
 */
public abstract class SystemStatesCheck implements HealthCheck {

    private final String name;
    private final SyncModelRegistry registry;
    private final long probeSeconds;
    private final Map<String, String> states = new ConcurrentHashMap<>();
    private final ScheduledExecutorService thread;

    protected SystemStatesCheck(String name, SyncModelRegistry registry, long probeSeconds) {
        this.name = name;
        this.registry = registry;
        this.probeSeconds = probeSeconds;
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread probe = new Thread(runnable, name + "-probe");
            probe.setDaemon(true);
            return probe;
        });
    }

    /** The system's state now, or null for a system this check says nothing of. Runs on the probe's thread. */
    protected abstract String probe(String system, SystemDefinition definition);

    /** The state shown for {@code system}, from the last {@code probed}; a hook for what is known between probes. */
    protected String shown(String system, String probed) {
        return probed;
    }

    void start(@Observes StartupEvent event) {
        thread.scheduleWithFixedDelay(this::probe, 0, probeSeconds, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        thread.shutdownNow();
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(name).up();
        new TreeMap<>(states).forEach((system, state) -> response.withData("system." + system, shown(system, state)));
        return response.build();
    }

    void probe() {
        Map<String, SystemDefinition> systems;
        try {
            systems = registry.current().model().systems();
        } catch (RuntimeException e) {
            return;
        }
        states.keySet().retainAll(systems.keySet());
        systems.forEach((system, definition) -> {
            String state = probe(system, definition);
            if (state != null) {
                states.put(system, state);
            }
        });
    }
}
