package io.syncline.poll;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.connector.SystemTypes;
import io.syncline.inbox.InboxRepository;
import io.syncline.mapping.CanonicalInstants;
import io.syncline.model.EntityDefinition;
import io.syncline.model.FieldMapping;
import io.syncline.model.PollSpec;
import io.syncline.model.SystemMapping;
import io.syncline.model.load.SyncModelRegistry;
import io.syncline.reconcile.pull.PullRequest;
import io.syncline.reconcile.pull.Watermark;
import io.syncline.sync.CanonicalValues;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A change poll of a system that sends no webhooks ({@code entities.<entity>.polls.<system>}),
 * called by its route's Quartz trigger: reads the records changed since the poll's watermark
 * through the system's type ({@code READ_CHANGES}) and puts each into the durable inbox as if the
 * system's webhook had sent it, page by page. Each page's events and the watermark after its last
 * record commit in one transaction: a crash loses no change and puts none in twice (an event's id
 * is the record's key and modification time, so a change read again is a duplicate).
 */
@ApplicationScoped
@Named("ChangePoller")
@RegisterForReflection
public class ChangePoller {

    private static final Logger LOG = Logger.getLogger(ChangePoller.class);

    private final SyncModelRegistry registry;
    private final SystemTypes types;
    private final InboxRepository inbox;
    private final WatermarkRepository watermarks;
    private final AgroalDataSource store;
    private final ObjectMapper json;

    public ChangePoller(SyncModelRegistry registry, SystemTypes types, InboxRepository inbox, WatermarkRepository watermarks,
                        AgroalDataSource store, ObjectMapper json) {
        this.registry = registry;
        this.types = types;
        this.inbox = inbox;
        this.watermarks = watermarks;
        this.store = store;
        this.json = json;
    }

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
        EntityDefinition definition = registry.current().model().entities().get(entity);
        PollSpec spec = definition.polls().get(source);
        SystemMapping mapping = definition.mappings().get(source);
        String changedAt = mapping.fields().stream().filter(field -> field.field().equals(definition.modifiedAt()))
                .map(FieldMapping::path).findFirst().orElseThrow();
        String job = job(entity, source);
        Watermark after;
        try (Connection connection = store.getConnection()) {
            after = watermarks.find(connection, job).orElse(null);
        }
        PullRequest request = new PullRequest(entity, source, registry.current().model().systems().get(source), mapping,
                spec.pageSizeOrDefault(), null, new PullRequest.Changes(changedAt, after));
        Page page = new Page(entity, source, applyEndpoint, route, job, mapping.key(), changedAt);
        types.of(source).puller().pull(request, page::store);
        if (page.stored > 0) {
            LOG.infof("Polled %s of %s: %d changes into the inbox", entity, source, page.stored);
        }
        return page.stored;
    }

    /** Stores each page of changes with the watermark after it. */
    private final class Page {

        private final String entity;
        private final String source;
        private final String applyEndpoint;
        private final String route;
        private final String job;
        private final String keyPath;
        private final String changedAtPath;
        private int stored;

        Page(String entity, String source, String applyEndpoint, String route, String job, String keyPath, String changedAtPath) {
            this.entity = entity;
            this.source = source;
            this.applyEndpoint = applyEndpoint;
            this.route = route;
            this.job = job;
            this.keyPath = keyPath;
            this.changedAtPath = changedAtPath;
        }

        void store(List<Map<String, Object>> rows) throws Exception {
            List<InboxRepository.NewEvent> events = new ArrayList<>(rows.size());
            Watermark reached = null;
            for (Map<String, Object> row : rows) {
                Map<String, Object> record = portable(row);
                Object key = value(record, keyPath);
                Object changedAt = value(record, changedAtPath);
                events.add(new InboxRepository.NewEvent(route, applyEndpoint, entity, source, String.valueOf(key),
                        "poll:" + key + "@" + changedAt, json.writeValueAsString(record)));
                reached = new Watermark(CanonicalValues.instant(changedAt), key);
            }
            int fresh;
            try (Connection connection = store.getConnection()) {
                connection.setAutoCommit(false);
                try {
                    fresh = inbox.enqueueAll(connection, events);
                    watermarks.save(connection, job, reached);
                    connection.commit();
                } catch (SQLException | RuntimeException e) {
                    connection.rollback();
                    throw e;
                }
            }
            inbox.arrived(fresh);
            stored += fresh;
        }
    }

    /** A record's value at a column or path, as read (JDBC labels are lower case). */
    private static Object value(Map<String, Object> record, String path) {
        Object value = record.get(path);
        return value != null ? value : record.get(path.toLowerCase(Locale.ROOT));
    }

    /** The record with its times as ISO-8601 text, as a webhook would carry them (a database hands out its own classes). */
    private static Map<String, Object> portable(Map<String, Object> row) {
        Map<String, Object> record = new LinkedHashMap<>();
        row.forEach((name, value) -> record.put(name, CanonicalInstants.canonical(value)));
        return record;
    }
}
