package io.syncline.backfill;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.config.SynclineConfig;
import io.syncline.connector.SystemTypes;
import io.syncline.connector.spi.PullRequest;
import io.syncline.inbox.BackfillEvents;
import io.syncline.inbox.InboxBatches;
import io.syncline.inbox.InboxEnqueuer;
import io.syncline.model.BackfillDefinition;
import io.syncline.model.EntityDefinition;
import io.syncline.model.SyncModel;
import io.syncline.model.SystemMapping;
import io.syncline.store.HotTableStatistics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Runs backfill jobs (docs/backfill.md), one at a time on each replica: route
 * {@code backfill-runner} calls {@link #claimAndRun} on a timer. A job is read from its source
 * page by page through the source's type ({@code READ_PAGES}), in key order where the type reads
 * so; each page commits with the job's checkpoint, its counts and what the page produced, in one
 * state-store transaction:
 * <ul>
 * <li>a dry run's report lines ({@link DryRunPages}): what applying each record would do, found
 *     by the apply route itself with nothing written or committed;</li>
 * <li>a run's records applied to their targets in that same transaction ({@link AppliedPages}),
 *     down the apply routes as one batch; what a page cannot decide (holds, refusals, records
 *     that wait) and targets that cannot take batches go as inbox events ({@link RunPages}),
 *     which the inbox workers apply like any other event.</li>
 * </ul>
 * A runner that dies (a crash, a deploy, SIGKILL) stops reporting; once the lease has passed,
 * any replica takes the job over from its checkpoint: a page is in the store whole or not at
 * all, and a page read again stores nothing twice (its events' ids and report lines are keyed
 * by job, target and source key).
 */
@ApplicationScoped
@Named("BackfillRunner")
@RegisterForReflection
public class BackfillRunner {

    private static final Logger LOG = Logger.getLogger(BackfillRunner.class);
    private static final Duration DRAIN_POLL = Duration.ofMillis(250);

    private final BackfillJobRepository jobs;
    private final SyncModelRegistry registry;
    private final SystemTypes types;
    private final InboxEnqueuer inbox;
    private final BackfillEvents runEvents;
    private final AgroalDataSource store;
    private final ObjectMapper json;
    private final DryRunPages dryRuns;
    private final MeterRegistry meters;
    private final ProducerTemplate producer;
    private final CamelContext camel;
    private final InboxBatches batches;
    private final HotTableStatistics statistics;
    private final SynclineConfig.Backfill settings;
    private final boolean applies;
    private volatile boolean applyRoutesLoaded;
    private final Clock clock = Clock.systemUTC();
    private final String owner;

    public BackfillRunner(BackfillJobRepository jobs, SyncModelRegistry registry, SystemTypes types, InboxEnqueuer inbox,
            BackfillEvents runEvents, AgroalDataSource store, ObjectMapper json, DryRunPages dryRuns, MeterRegistry meters,
            ProducerTemplate producer, CamelContext camel, InboxBatches batches, HotTableStatistics statistics,
            SynclineConfig config) {
        this.jobs = jobs;
        this.registry = registry;
        this.types = types;
        this.inbox = inbox;
        this.runEvents = runEvents;
        this.store = store;
        this.json = json;
        this.dryRuns = dryRuns;
        this.meters = meters;
        this.producer = producer;
        this.camel = camel;
        this.batches = batches;
        this.statistics = statistics;
        this.settings = config.backfill();
        this.applies = config.inbox().apply();
        this.owner = hostName() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The route files are loaded: the model's apply routes, down which a run applies its pages, exist. */
    public void applyRoutesLoaded() {
        applyRoutesLoaded = true;
    }

    /**
     * Takes the next job that is queued, or whose runner died, and runs it to its end, a pause or
     * a cancel; nothing before the apply routes exist.
     */
    public void claimAndRun() {
        if (!applyRoutesLoaded) {
            return;
        }
        Instant now = clock.instant();
        Optional<BackfillJob> claimed;
        try {
            claimed = jobs.claim(owner, now, now.minus(settings.lease()));
        } catch (SQLException e) {
            // the state store is away: its health says so, and the next tick asks again
            LOG.debugf("Looking for a backfill job failed: %s", e.getMessage());
            return;
        }
        if (claimed.isPresent()) {
            run(claimed.get());
        }
    }

    private void run(BackfillJob job) {
        LOG.infof("Backfill job %d (%s, %s) %s on %s", job.id(), job.backfill(), job.kind(),
                job.checkpoint() == null ? "starts" : "resumes after source key " + job.checkpoint(), owner);
        Progress progress = new Progress(job);
        try {
            progress.start();
            SyncModel model = registry.current().model();
            BackfillDefinition definition = model.backfills().get(job.backfill());
            if (definition == null) {
                throw new IllegalStateException("backfill " + job.backfill() + " is no longer in the model");
            }
            // parents first: each entity read (and a run's events applied) to its end before the next
            BackfillJob at = job;
            List<String> order = at.entities();
            for (int i = order.indexOf(at.entity()); i >= 0 && i < order.size(); i++) {
                if (!at.entityCounts().containsKey(order.get(i))) {
                    EntityCounts counts = copy(at, definition, progress);
                    jobs.entityDone(at.id(), owner, at.entity(), counts, i + 1 < order.size() ? order.get(i + 1) : null);
                    at = jobs.find(at.id()).orElseThrow(() -> new BackfillStoppedException(job.id()));
                }
            }
            Map<String, Long> targetRecords = null;
            if (job.kind() == BackfillJob.Kind.dry_run) {
                targetRecords = new LinkedHashMap<>();
                for (EntityCounts counts : at.entityCounts().values()) {
                    counts.targetRecords().forEach(targetRecords::putIfAbsent);
                }
            }
            if (jobs.finish(job.id(), owner, BackfillJob.Status.completed, targetRecords, null, clock.instant())) {
                LOG.infof("Backfill job %d (%s, %s) completed: %s", job.id(), job.backfill(), job.kind(), progress.line());
            }
        } catch (Exception e) {
            if (stopped(e)) {
                LOG.infof("Backfill job %d (%s) stopped: %s", job.id(), job.backfill(), progress.line());
                return;
            }
            LOG.warnf("Backfill job %d (%s, %s) failed: %s", job.id(), job.backfill(), job.kind(), e.getMessage());
            try {
                jobs.finish(job.id(), owner, BackfillJob.Status.failed, null, e.getMessage(), clock.instant());
            } catch (SQLException storeAway) {
                // its heartbeat stops: once the lease has passed, a runner takes it over from its checkpoint
                LOG.debugf("Backfill job %d could not be marked failed: %s", job.id(), storeAway.getMessage());
            }
        }
    }

    /** Copies the entity the job is on: its pages read and stored, a run's events applied; what it counted. */
    private EntityCounts copy(BackfillJob job, BackfillDefinition definition, Progress progress) throws Exception {
        SyncModel model = registry.current().model();
        EntityDefinition entity = model.entities().get(job.entity());
        SystemMapping mapping = entity.mappings().get(job.source());
        List<String> targets = definition.targetsIn(entity);
        PageStore pages = job.kind() == BackfillJob.Kind.dry_run ? dryRuns.forJob(job, definition, targets) : runPages(job, definition, targets);
        if (job.readDoneAt() == null) {
            PullRequest request = new PullRequest(job.entity(), job.source(), model.systems().get(job.source()), mapping,
                    definition.batchSizeOrDefault(), null, null, checkpointKey(job));
            types.of(job.source()).puller().pull(request, rows -> commitPage(job, pages, rows, definition, progress));
            jobs.readDone(job.id(), owner, clock.instant());
        }
        BackfillJob read = jobs.find(job.id()).orElseThrow(() -> new BackfillStoppedException(job.id()));
        long records = read.recordsRead() - job.entityCounts().values().stream().mapToLong(EntityCounts::read).sum();
        if (job.kind() == BackfillJob.Kind.run) {
            drain(job, progress);
            return new EntityCounts(records, runEvents.outcomes(job.routeId(), job.entity()), null);
        }
        Map<String, Long> targetRecords = dryRuns.countTargets(job, targets);
        return new EntityCounts(records, jobs.countReport(job.id(), job.entity()).ofEntity(), targetRecords);
    }

    private PageStore runPages(BackfillJob job, BackfillDefinition definition, List<String> targets) {
        RunPages inboxPages = new RunPages(job, definition, targets, registry, inbox, json);
        // a replica that only accepts webhooks (syncline.inbox.apply=false) applies nothing itself
        return settings.applyPages() && applies
                ? new AppliedPages(job, targets, inboxPages, producer, camel, batches, types, statistics, json)
                : inboxPages;
    }

    /** What a page of source records becomes in the state store. */
    interface PageStore {

        /** Writes what the page produced on the page's connection (its transaction), answering what the job counts. */
        BackfillJobRepository.Page store(Connection connection, List<SourceRecord> records, long firstSeq) throws Exception;

        /** Called once the page's transaction ended, committed or rolled back. */
        default void ended(boolean committed) {
        }

        /** Called after the page committed: wakes whoever applies what it stored. */
        default void committed(BackfillJobRepository.Page page) {
        }
    }

    private void commitPage(BackfillJob job, PageStore pages, List<Map<String, Object>> rows, BackfillDefinition definition,
            Progress progress) throws Exception {
        String keyPath = registry.current().model().entities().get(job.entity()).mappings().get(job.source()).key();
        List<SourceRecord> records = new ArrayList<>(rows.size());
        rows.forEach(row -> records.add(SourceRecord.of(row, keyPath)));
        BackfillJobRepository.Page page;
        try (Connection connection = store.getConnection()) {
            connection.setAutoCommit(false);
            boolean committed = false;
            try {
                BackfillJob current = jobs.find(connection, job.id(), true).orElseThrow(() -> new BackfillStoppedException(job.id()));
                if (current.status() != BackfillJob.Status.running || !owner.equals(current.owner())) {
                    throw new BackfillStoppedException(job.id());
                }
                page = pages.store(connection, records, current.recordsRead() + 1);
                jobs.pageDone(connection, job.id(), page, clock.instant());
                connection.commit();
                committed = true;
            } catch (Exception e) {
                connection.rollback();
                throw e;
            } finally {
                pages.ended(committed);
            }
        }
        pages.committed(page);
        progress.page(page);
        count(job, "read", page.records());
        count(job, "filtered", page.filtered());
        count(job, "stored", page.eventsStored() - page.applied());
        count(job, "applied", page.applied());
        if (job.kind() == BackfillJob.Kind.run) {
            pace(job, definition, progress);
        }
    }

    /** Holds the read back to the rate limit, and while the run's events wait in the inbox beyond the bound. */
    private void pace(BackfillJob job, BackfillDefinition definition, Progress progress) throws Exception {
        if (definition.rateLimit() != null) {
            long due = (long) ((progress.read - job.recordsRead()) / definition.rateLimit() * 1000) - progress.elapsed().toMillis();
            if (due > 0) {
                sleep(job, Duration.ofMillis(due));
            }
        }
        while (runEvents.open(job.routeId()) > settings.maxOpenEvents()) {
            sleep(job, DRAIN_POLL);
            progress.maybeLog(this::applied);
        }
    }

    /** Waits, reporting alive, until each of the run's events is applied, held or dead. */
    private void drain(BackfillJob job, Progress progress) throws Exception {
        long open = runEvents.open(job.routeId());
        while (open > 0) {
            sleep(job, DRAIN_POLL);
            progress.maybeLog(this::applied);
            long left = runEvents.open(job.routeId());
            if (left < open) {
                // events of the run applied: it moves on while the inbox drains
                jobs.progressed(job.id(), owner, clock.instant());
            }
            open = left;
        }
    }

    private void sleep(BackfillJob job, Duration duration) throws InterruptedException, SQLException {
        Thread.sleep(duration.toMillis());
        if (!jobs.heartbeat(job.id(), owner, clock.instant())) {
            throw new BackfillStoppedException(job.id());
        }
    }

    private long applied(BackfillJob job) {
        try {
            return runEvents.statuses(job.routeId()).entrySet().stream()
                    .filter(status -> !status.getKey().equals("pending") && !status.getKey().equals("processing"))
                    .mapToLong(Map.Entry::getValue).sum();
        } catch (SQLException e) {
            return -1;
        }
    }

    private static Object checkpointKey(BackfillJob job) throws JsonProcessingException {
        return Checkpoints.key(job.checkpoint());
    }

    private void count(BackfillJob job, String stage, long records) {
        if (records > 0) {
            Counter.builder("syncline.backfill.records")
                    .description("Records backfills read, left out by their filter, stored (a dry run's report lines, a run's inbox"
                            + " events) and applied (a run's records applied with their page, one per target)")
                    .tag("backfill", job.backfill()).tag("kind", job.kind().name()).tag("stage", stage)
                    .register(meters).increment(records);
        }
    }

    private static boolean stopped(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BackfillStoppedException) {
                return true;
            }
        }
        return false;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "replica";
        }
    }

    /** The job's progress as this runner saw it, logged at the configured interval. */
    private final class Progress {

        private final BackfillJob job;
        private final Instant started = clock.instant();
        private long total = -1;
        private long read;
        private long stored;
        private Instant logged = clock.instant();

        Progress(BackfillJob job) {
            this.job = job;
            this.read = job.recordsRead();
        }

        /** The total to expect: what the dry run the run starts from read. */
        void start() throws SQLException {
            BackfillJob dryRun = job.dryRunId() == null ? null : jobs.find(job.dryRunId()).orElse(null);
            total = dryRun == null ? -1 : dryRun.recordsRead();
        }

        void page(BackfillJobRepository.Page page) {
            read += page.records();
            stored += page.eventsStored();
            maybeLog(ignored -> -1);
        }

        Duration elapsed() {
            return Duration.between(started, clock.instant());
        }

        void maybeLog(java.util.function.ToLongFunction<BackfillJob> applied) {
            Instant now = clock.instant();
            if (Duration.between(logged, now).compareTo(settings.progressInterval()) < 0) {
                return;
            }
            logged = now;
            long done = applied.applyAsLong(job);
            LOG.infof("Backfill job %d (%s, %s): %s%s", job.id(), job.backfill(), job.kind(), line(),
                    done >= 0 ? ", " + done + " events finished" : "");
        }

        String line() {
            double seconds = Math.max(1, elapsed().toMillis()) / 1000.0;
            double rate = (read - job.recordsRead()) / seconds;
            String left = total > 0 && rate > 0 && read < total
                    ? ", about " + Math.round((total - read) / rate) + " s left" : "";
            return read + " records read" + (total > 0 ? " of " + total : "") + ", " + stored + " stored, "
                    + Math.round(rate) + " records/s" + left;
        }
    }
}
