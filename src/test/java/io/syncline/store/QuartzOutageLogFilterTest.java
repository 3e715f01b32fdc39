package io.syncline.store;

import org.junit.jupiter.api.Test;
import org.quartz.JobPersistenceException;

import java.sql.SQLException;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.assertj.core.api.Assertions.assertThat;

/** Quartz's reports of a lost state store are dropped; its other records, and everyone else's, are not. */
class QuartzOutageLogFilterTest {

    private final QuartzOutageLogFilter filter = new QuartzOutageLogFilter();

    private static LogRecord record(String logger, Throwable thrown) {
        LogRecord record = new LogRecord(Level.SEVERE, "ClusterManager: Error managing cluster: {}");
        record.setLoggerName(logger);
        record.setThrown(thrown);
        return record;
    }

    @Test
    void quartzsReportOfALostStoreIsDropped() {
        JobPersistenceException lost = new JobPersistenceException("Failed to obtain DB connection from data source",
                new SQLException("Connection refused", "08001"));

        assertThat(filter.isLoggable(record("org.quartz.impl.jdbcjobstore.JobStoreCMT", lost))).isFalse();
        assertThat(filter.isLoggable(record("org.quartz.core.ErrorLogger", lost))).isFalse();
    }

    @Test
    void quartzsOtherErrorsAndOthersReportsOfALostStoreAreKept() {
        JobPersistenceException broken = new JobPersistenceException("Couldn't retrieve trigger",
                new SQLException("relation \"qrtz_triggers\" does not exist", "42P01"));
        SQLException lost = new SQLException("Connection refused", "08001");

        assertThat(filter.isLoggable(record("org.quartz.impl.jdbcjobstore.JobStoreCMT", broken))).isTrue();
        assertThat(filter.isLoggable(record("org.quartz.core.QuartzSchedulerThread", null))).isTrue();
        assertThat(filter.isLoggable(record("io.syncline.inbox.InboxFailureProcessor", lost))).isTrue();
    }
}
