package io.syncline.routes;

import io.syncline.connector.SystemTypes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

/**
 * What a {@code system-schedule} route calls at each fire: the system's type runs the task
 * ({@link io.syncline.connector.spi.SystemType#runScheduled}), so the engine names no type.
 */
@ApplicationScoped
@Named("ScheduledSystemTasks")
public class ScheduledSystemTasks {

    private final SystemTypes types;

    ScheduledSystemTasks(SystemTypes types) {
        this.types = types;
    }

    public void run(String system, String task) throws Exception {
        types.of(system).runScheduled(system, task);
    }
}
