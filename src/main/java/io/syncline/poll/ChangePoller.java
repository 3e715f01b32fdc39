package io.syncline.poll;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.backfill.BackfillJobRepository;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.SystemTypes;
import io.syncline.connector.spi.PageSink;
import io.syncline.connector.spi.PullRequest;
import io.syncline.connector.spi.PullResult;
import io.syncline.connector.spi.RecordPuller;
import io.syncline.connector.spi.Watermark;
import io.syncline.inbox.InboxEnqueuer;
import io.syncline.metrics.SourceActivity;
import io.syncline.model.EntityDefinition;
import io.syncline.model.PollSpec;
import io.syncline.model.PollStartAt;
import io.syncline.model.SyncModel;
import io.syncline.model.SystemMapping;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A change poll of a system that sends no webhooks ({@code entities.<entity>.polls.<system>}),
 * called by its route's Quartz trigger: reads the records changed since the poll's watermark
 * through the system's type ({@code READ_CHANGES}) and puts each into the durable inbox as if the
 * system's webhook had sent it, page by page, each page with the watermark after it
 * ({@link ChangePages}). Before its first change it starts where its {@code startAt} says
 * ({@link PollStart}). A poll that fails or stops before the end is counted
 * ({@link PollMetrics}) and the next one goes on from the last page stored.
 */
@ApplicationScoped
@Named("ChangePoller")
@RegisterForReflection
public class ChangePoller {

    private static final Logger LOG = Logger.getLogger(ChangePoller.class);

    @Inject
    SyncModelRegistry registry;
    @Inject
    SystemTypes types;
    @Inject
    InboxEnqueuer inbox;
    @Inject
    WatermarkRepository watermarks;
    @Inject
    AgroalDataSource store;
    @Inject
    ObjectMapper json;
    @Inject
    PollMetrics metrics;
    @Inject
    SourceActivity activity;
    @Inject
    BackfillJobRepository backfills;
    @Inject
    PollStartRepository starts;

    /** The poll's job name, by which its watermark is kept. */
    public static String job(String entity, String source) {
        return "poll:" + entity + ":" + source;
    }

    /**
     * Polls once.
     *
     * @param route the poll's route id, which the events are counted under
     * @return how many changes were new to the inbox
     */
    public int poll(String entity, String source, String applyEndpoint, String route) throws Exception {
        try {
            return pollChanges(entity, source, applyEndpoint, route);
        } catch (Exception e) {
            metrics.failed(entity, source);
            throw e;
        }
    }

    private int pollChanges(String entity, String source, String applyEndpoint, String route) throws Exception {
        SyncModel model = registry.current().model();
        EntityDefinition definition = model.entities().get(entity);
        PollSpec spec = definition.polls().get(source);
        SystemMapping mapping = definition.mappings().get(source);
        String changedAt = mapping.pathOf(definition.modifiedAt()).orElseThrow();
        String job = job(entity, source);
        Watermark after;
        try (Connection connection = store.getConnection()) {
            after = watermarks.find(connection, job).orElse(null);
            if (after == null) {
                PollStart start = start(connection, entity, source, spec, job);
                if (start.waits()) {
                    LOG.debugf("Polling %s of %s waits: %s", entity, source, start.reason());
                    activity.seen(entity, source, SourceActivity.Kind.POLL);
                    return 0;
                }
                LOG.debugf("Polling %s of %s starts %s", entity, source, start.reason());
                after = start.after();
            }
        }
        PullRequest request = new PullRequest(entity, source, model.systems().get(source), mapping,
                spec.pageSizeOrDefault(), null, new PullRequest.Changes(changedAt, after, spec.changes()));
        RecordPuller puller = types.of(source).puller();
        ChangePages pages = new ChangePages(new ChangePages.Poll(entity, source, applyEndpoint, route, job, mapping.key(),
                changedAt, spec.changes(), spec.eventId()), after, puller.changesIncludeWatermarkInstant(request), store, inbox, watermarks,
                json);
        PullResult result = puller.changesByPosition(request) ? puller.pull(request, new PageSink() {

            @Override
            public void accept(List<Map<String, Object>> page) throws Exception {
                pages.store(page);
            }

            @Override
            public void accept(List<Map<String, Object>> page, String position) throws Exception {
                pages.store(page, position);
            }
        }) : puller.pull(request, pages::store);
        if (result.reachedEnd()) {
            pages.finish();
        }
        if (pages.stored() > 0) {
            metrics.stored(entity, source, pages.stored());
            LOG.infof("Polled %s of %s: %d changes into the inbox", entity, source, pages.stored());
        }
        if (pages.unplaced() > 0) {
            LOG.warnf("Polling %s of %s: %d records without a key or a modification time (%s) were left out", entity, source,
                    pages.unplaced(), changedAt);
        }
        if (result.reachedEnd()) {
            activity.seen(entity, source, SourceActivity.Kind.POLL);
        } else {
            metrics.failed(entity, source);
            LOG.warnf("Polling %s of %s stopped before the end: %s; the changes stored so far stay, the next poll goes on"
                    + " from them", entity, source, result.problem());
        }
        return pages.stored();
    }

    /** Where a poll with no watermark yet starts: its model's startAt, with the store's backfills and kept start. */
    private PollStart start(Connection connection, String entity, String source, PollSpec spec, String job) throws SQLException {
        PollStartAt declared = PollStartAt.of(spec);
        Optional<Instant> backfill = declared.kind() == PollStartAt.Kind.DEFAULT || declared.kind() == PollStartAt.Kind.BACKFILL
                ? backfills.lastCompletedRunStart(connection, entity, source) : Optional.empty();
        Instant now = declared.kind() == PollStartAt.Kind.NOW ? starts.keep(connection, job, Instant.now()) : null;
        return PollStart.of(declared, backfill, () -> now);
    }
}
