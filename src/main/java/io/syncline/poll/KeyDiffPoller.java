package io.syncline.poll;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.SystemTypes;
import io.syncline.connector.spi.PullException;
import io.syncline.connector.spi.PullRequest;
import io.syncline.connector.spi.PullResult;
import io.syncline.inbox.InboxEnqueuer;
import io.syncline.mapping.FieldPaths;
import io.syncline.model.EntityDefinition;
import io.syncline.model.PollDeletes;
import io.syncline.model.PollSpec;
import io.syncline.model.SyncModel;
import io.syncline.model.SystemMapping;
import io.syncline.state.RecordStateRepository;
import io.syncline.store.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The deletions of a polled system that shows none (a hard {@code DELETE} leaves no row for a poll
 * to read), found by a key diff ({@code entities.<entity>.polls.<system>.deletes: {by: keyDiff}}),
 * called by its route's Quartz trigger: the keys Syncline knows for the system (its live record
 * states, read through their store) less the keys the system has now (read page by page through
 * its type, {@code READ_PAGES}) become deletions in the durable inbox, each marked with the
 * mapping's {@code delete.flag} as the system's webhook would mark it, for the source's apply
 * routes to apply as the targets' delete handling says. Both sides meet in the state store
 * ({@link KeyDiffStaging}): memory holds a batch, whatever the tables' size.
 *
 * <p>The known keys are read first: a record the system gets while the diff runs is never taken
 * for deleted. A deletion's time is the run's start (the system keeps none), so that a change read
 * before it is not applied after it, and a record made again later is newer. Its event id is the
 * key and the time of the last change Syncline synced of the record: a deletion found again before
 * it was applied is not stored twice, and a record deleted a second time, later, is deleted again.
 *
 * <p>A source that answers no rows because the query hit the wrong table, or permissions hide them,
 * looks like a source whose records were all deleted. So a run that finds more of the known keys
 * gone than {@code maxShare} of them (at least one may always go) deletes nothing, records itself
 * as refused ({@link KeyDiffRepository}: readiness lists it, {@code syncline_poll_deletes_refused}
 * is 1, the log says why) and waits for a person to confirm that number
 * ({@code POST /admin/polls/<entity>/<system>/deletes/confirmation}); the next run then deletes up
 * to it. A read of the system that ends early deletes nothing either.
 */
@ApplicationScoped
@Named("KeyDiffPoller")
@RegisterForReflection
public class KeyDiffPoller {

    private static final Logger LOG = Logger.getLogger(KeyDiffPoller.class);

    @Inject
    SyncModelRegistry registry;
    @Inject
    SystemTypes types;
    @Inject
    RecordStateRepository states;
    @Inject
    InboxEnqueuer inbox;
    @Inject
    KeyDiffRepository keyDiffs;
    @Inject
    AgroalDataSource store;
    @Inject
    ObjectMapper json;
    @Inject
    PollMetrics metrics;
    private final Clock clock = Clock.systemUTC();

    /** What the deletions are of, and where they go. */
    private record Deletions(String entity, String source, String applyEndpoint, String route, SystemMapping mapping,
            String modifiedAtPath, Instant at) {
    }

    /**
     * Compares the keys once.
     *
     * @param route the key diff's route id, which the deletions are counted under
     * @return how many deletions were new to the inbox
     */
    public int run(String entity, String source, String applyEndpoint, String route) throws Exception {
        Instant started = clock.instant();
        try {
            return diff(entity, source, applyEndpoint, route, started);
        } catch (Exception e) {
            metrics.failed(entity, source);
            try {
                keyDiffs.saveFailure(entity, source, started, e.getMessage());
            } catch (SQLException unrecorded) {
                e.addSuppressed(unrecorded);
            }
            throw e;
        }
    }

    private int diff(String entity, String source, String applyEndpoint, String route, Instant started) throws Exception {
        SyncModel model = registry.current().model();
        EntityDefinition definition = model.entities().get(entity);
        PollSpec poll = definition.polls().get(source);
        SystemMapping mapping = definition.mappings().get(source);
        String modifiedAtPath = mapping.pathOf(definition.modifiedAt()).orElse(null);
        Deletions deletions = new Deletions(entity, source, applyEndpoint, route, mapping, modifiedAtPath, started);
        try (Connection connection = store.getConnection(); KeyDiffStaging staging = new KeyDiffStaging(connection)) {
            // known first: a record the system gets meanwhile is then never taken for deleted
            states.liveKeys(entity, source, staging::known);
            PullResult read = types.of(source).puller().pull(new PullRequest(entity, source, model.systems().get(source), mapping,
                    poll.pageSizeOrDefault()), page -> {
                        for (Map<String, Object> row : page) {
                            Object key = ChangePages.value(row, mapping.key());
                            if (key != null) {
                                staging.present(String.valueOf(key));
                            }
                        }
                    });
            if (!read.reachedEnd()) {
                throw new PullException(source + ": reading its keys ended early (" + read.problem() + "); a key diff of a"
                        + " partial read deletes nothing");
            }
            long known = staging.knownCount();
            long missing = staging.findMissing();
            return decide(connection, staging, deletions, poll.deletes(), known, missing);
        }
    }

    /** Within the share a run may delete, or as far as a person confirmed: the deletions into the inbox with the run's record. */
    private int decide(Connection connection, KeyDiffStaging staging, Deletions deletions, PollDeletes deletes, long known,
            long missing) throws Exception {
        String entity = deletions.entity();
        String source = deletions.source();
        Decision decision = Transactions.inTransaction(connection, begun -> {
            Long confirmed = keyDiffs.confirmedDeletes(begun, entity, source);
            long allowed = deletes.allowedOf(known);
            if (missing > allowed && (confirmed == null || missing > confirmed)) {
                String why = missing + " of the " + known + " keys Syncline knows are gone from " + source + ", more than the "
                        + allowed + " a run deletes unconfirmed (maxShare " + deletes.maxShareOrDefault() + ")"
                        + (confirmed == null ? "" : " and than the " + confirmed + " confirmed")
                        + "; if they were deleted, confirm: POST /admin/polls/" + entity + "/" + source + "/deletes/confirmation";
                keyDiffs.save(begun, new KeyDiffRepository.Run(entity, source, deletions.at(),
                        KeyDiffRepository.Outcome.refused, known, missing, 0L, why, null, null, null));
                return new Decision(0, why);
            }
            int stored = 0;
            String after = null;
            for (List<KeyDiffStaging.Missing> page = staging.missingAfter(null); !page.isEmpty(); page = staging.missingAfter(after)) {
                stored += inbox.enqueueAll(begun, events(deletions, page));
                after = page.get(page.size() - 1).key();
            }
            keyDiffs.save(begun, new KeyDiffRepository.Run(entity, source, deletions.at(), KeyDiffRepository.Outcome.deleted,
                    known, missing, (long) stored, null, null, null, null));
            return new Decision(stored, null);
        });
        if (decision.refusal() != null) {
            metrics.keyDiff(entity, source, missing, true, 0);
            LOG.warnf("Key diff of %s in %s deleted nothing: %s", entity, source, decision.refusal());
            return 0;
        }
        int stored = decision.stored();
        inbox.arrived(stored);
        metrics.keyDiff(entity, source, missing, false, stored);
        if (stored > 0) {
            LOG.infof("Key diff of %s in %s: %d of %d known records are gone, %d deletions into the inbox", entity, source,
                    missing, known, stored);
        }
        return stored;
    }

    /** What a key diff decided: the deletions it put into the inbox, or why it refused to delete. */
    private record Decision(int stored, String refusal) {
    }

    /** Each key as a deleted record of the system, as its webhook would send one: the key, the delete flag, the time. */
    private List<InboxEnqueuer.NewEvent> events(Deletions deletions, List<KeyDiffStaging.Missing> page)
            throws JsonProcessingException {
        SystemMapping mapping = deletions.mapping();
        List<InboxEnqueuer.NewEvent> events = new ArrayList<>(page.size());
        for (KeyDiffStaging.Missing missing : page) {
            Map<String, Object> record = new LinkedHashMap<>();
            FieldPaths.set(record, mapping.key(), missing.key());
            FieldPaths.set(record, mapping.delete().flag(), true);
            if (deletions.modifiedAtPath() != null) {
                FieldPaths.set(record, deletions.modifiedAtPath(), deletions.at().toString());
            }
            events.add(new InboxEnqueuer.NewEvent(deletions.route(), deletions.applyEndpoint(), deletions.entity(),
                    deletions.source(), missing.key(), "delete:" + missing.key() + "@" + missing.knownAt(),
                    json.writeValueAsString(record)));
        }
        return events;
    }
}
