package io.syncline.store;

import io.quarkus.logging.LoggingFilter;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * Keeps Quartz's own reports of an unreachable state store out of the log. Quartz keeps its
 * triggers and its cluster's check-ins in the store, and while the store is away its cluster
 * manager and its scheduler thread each log an ERROR with a stack trace, and again at every
 * outage, for a failure they recover from by themselves once the store answers (the cluster
 * manager checks in again, the scheduler thread acquires triggers again). The store's probe
 * reports the outage once ({@link StateStoreProbe}). Any other Quartz record, an error without
 * an outage behind it included, is logged as Quartz logs it.
 */
@LoggingFilter(name = QuartzOutageLogFilter.NAME)
public final class QuartzOutageLogFilter implements Filter {

    /** The filter's name, for {@code quarkus.log.console.filter}. */
    public static final String NAME = "quartz-store-outage";

    @Override
    public boolean isLoggable(LogRecord record) {
        String logger = record.getLoggerName();
        return logger == null || !logger.startsWith("org.quartz.") || !StoreOutage.isOutage(record.getThrown());
    }
}
