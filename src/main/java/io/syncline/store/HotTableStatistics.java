package io.syncline.store;

import io.agroal.api.AgroalDataSource;
import io.syncline.config.SynclineConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

/**
 * Keeps PostgreSQL's planner statistics of the tables every event writes (inbox, processed keys,
 * record state, ID map, audit log) from going stale across a burst: after
 * {@code syncline.inbox.analyze-after} events stored by this replica (or records a dry run
 * linked), it analyses them, in the background, one {@code ANALYZE} at a time; the first analyses
 * come sooner ({@link #due}). Autovacuum would, if it were on (it may not be) and
 * once a tenth of a table had changed (a burst into 30 days of applied events may not reach it).
 * The inbox's claims do not need it to stay fast (their plans do not depend on statistics:
 * InboxClaimPlanTest, InboxBurstDrainTest); an ID map that was never analysed does (a look-up may
 * then read every link of a system), and the rest (the cleanups, the admin API, ad hoc
 * queries of ops) are planned on figures no older than the last burst. H2 keeps no such statistics.
 */
@ApplicationScoped
@Named("HotTableStatistics")
public class HotTableStatistics {

    private static final Logger LOG = Logger.getLogger(HotTableStatistics.class);

    /** Everything the apply path writes per event, in one statement (PostgreSQL analyses each in turn). */
    static final String ANALYZE = "ANALYZE inbox, processed_key, record_state, id_map, audit_log";

    /** Records after which the first analysis is due. */
    static final long FIRST = 500;

    private final DataSource dataSource;
    private final long threshold;
    private final AtomicLong stored = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicInteger analyses = new AtomicInteger();
    private final ExecutorService analyser = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "syncline-analyze");
        thread.setDaemon(true);
        return thread;
    });

    @Inject
    public HotTableStatistics(AgroalDataSource dataSource, SynclineConfig config) {
        this(dataSource, config.inbox().analyzeAfter());
    }

    public HotTableStatistics(DataSource dataSource, long threshold) {
        if (threshold < 0) {
            throw new IllegalArgumentException("syncline.inbox.analyze-after is " + threshold
                    + ": it must be 0 (never) or the number of events stored after which the hot tables are analysed");
        }
        this.dataSource = dataSource;
        this.threshold = threshold;
    }

    /** An event was stored in the inbox: past the threshold, the hot tables are analysed (once at a time). */
    public void stored() {
        grew(1);
    }

    /**
     * {@code records} more records went through the hot tables (events stored, or a dry run's
     * records linked in the ID map): past the threshold, the hot tables are analysed.
     */
    public void grew(int records) {
        if (threshold > 0 && stored.addAndGet(records) >= due() && running.compareAndSet(false, true)) {
            stored.set(0);
            analyser.execute(this::analyse);
        }
    }

    /**
     * The records after which the next analysis is due: {@value #FIRST} for the first, twice as
     * many for each next one, up to the threshold. Tables that were never analysed have no
     * statistics at all, and the planner may then choose an index that reads every row of a
     * system for one ID map look-up, slowing a first sync with every record it links; the
     * statistics of a small map already plan a large one well.
     */
    private long due() {
        int done = analyses.get();
        return done >= 20 ? threshold : Math.min(threshold, FIRST << done);
    }

    private void analyse() {
        try (Connection connection = dataSource.getConnection()) {
            if (connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres")) {
                long started = System.nanoTime();
                try (Statement statement = connection.createStatement()) {
                    statement.execute(ANALYZE);
                }
                analyses.incrementAndGet();
                LOG.debugf("Analysed the hot tables (analysis %d) in %d ms", analyses.get(),
                        (System.nanoTime() - started) / 1_000_000);
            }
        } catch (SQLException e) {
            // Statistics are an optimisation: the next burst tries again.
            LOG.warnf("Analysing the hot tables failed: %s", e.getMessage());
        } finally {
            running.set(false);
        }
    }

    @PreDestroy
    void stop() {
        analyser.shutdownNow();
    }
}
