package io.syncline.connector.spi;

/**
 * Work a system's type runs on the system's own schedule (a file export's run): the engine makes a
 * route of it ({@code system-schedule}) whose Quartz trigger is kept in the state store and shared
 * by the replicas, so each fire runs on one replica, and calls {@link SystemType#runScheduled}
 * with the system's and the task's names.
 *
 * @param name the task's name, unique within its system, e.g. {@code export}
 * @param cron its Quartz cron expression, in UTC
 */
public record ScheduledTask(String name, String cron) {
}
