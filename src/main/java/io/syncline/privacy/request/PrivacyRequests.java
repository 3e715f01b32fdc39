package io.syncline.privacy.request;

import io.agroal.api.AgroalDataSource;
import io.syncline.audit.AuditEntry;
import io.syncline.audit.AuditLog;
import io.syncline.config.SynclineConfig;
import io.syncline.privacy.erase.StateStoreScrubber;
import io.syncline.privacy.erase.SystemEraser;
import io.syncline.privacy.subject.Footprint;
import io.syncline.privacy.subject.Subject;
import io.syncline.privacy.subject.SubjectResolver;
import io.syncline.tombstone.SubjectDigests;
import io.syncline.tombstone.Tombstones;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Privacy requests from plan to proof (docs/privacy.md). An erasure is planned (every record of
 * the person, by system and erase mode), then confirmed: the person's tombstones are laid and in
 * force on every replica before the first record is erased, Syncline's own tables are scrubbed,
 * and route {@code privacy-erasure} erases each system's record; once all are settled the tables
 * are scrubbed again and the request is finished. A subject-access request is ready at once;
 * its export reads everything live. A re-consent lifts an erasure's tombstones.
 */
@ApplicationScoped
public class PrivacyRequests {

    @Inject
    SubjectResolver resolver;
    @Inject
    SubjectDigests digests;
    @Inject
    PrivacyRequestStore store;
    @Inject
    Tombstones tombstones;
    @Inject
    StateStoreScrubber scrubber;
    @Inject
    SystemEraser eraser;
    @Inject
    AuditLog audit;
    @Inject
    AgroalDataSource dataSource;
    @Inject
    SynclineConfig config;

    /** Resolves the person and records the request: an erasure's plan, or a subject access, ready. */
    public PrivacyRequest create(String kind, Subject subject, String user) throws Exception {
        Footprint person = resolver.resolve(subject);
        List<PrivacyRequestStore.NewPart> parts = new ArrayList<>();
        person.ids().forEach((system, ids) -> ids.forEach(id -> parts.add(new PrivacyRequestStore.NewPart(system, id,
                digests.ofId(subject.entity(), system, id),
                PrivacyRequest.ACCESS.equals(kind) ? "read" : eraser.spec(subject.entity(), system).mode().code()))));
        long id;
        try (Connection connection = dataSource.getConnection()) {
            id = store.insert(connection, kind, subject.entity(), PrivacyRequest.ACCESS.equals(kind) ? "ready" : "planned",
                    person.digests(), user, parts);
        }
        return store.find(id).orElseThrow();
    }

    public Optional<PrivacyRequest> find(long id) throws Exception {
        return store.find(id);
    }

    public List<PrivacyRequest> list(int limit) throws Exception {
        return store.list(limit);
    }

    /**
     * Carries out a planned erasure: tombstones laid and parts due once every replica has loaded
     * them, in one transaction; then Syncline's own tables scrubbed.
     *
     * @return empty when the request is not a planned erasure
     */
    public Optional<PrivacyRequest> confirm(long id, String user) throws Exception {
        Optional<PrivacyRequest> request = store.find(id);
        if (request.isEmpty() || !PrivacyRequest.ERASURE.equals(request.get().kind())) {
            return Optional.empty();
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            if (!store.transition(connection, id, "planned", "erasing", user)) {
                connection.rollback();
                return Optional.empty();
            }
            List<String> held = store.digests(connection, id);
            tombstones.lay(connection, request.get().entity(), id, held);
            store.parts(connection, id, "planned", "pending", Instant.now().plus(config.privacy().tombstoneRefresh().multipliedBy(2)));
            connection.commit();
        }
        tombstones.reload();
        scrub(id, request.get());
        return store.find(id);
    }

    /** Drops a planned request; false when it is not planned. */
    public boolean cancel(long id) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            if (!store.transition(connection, id, "planned", "cancelled", null)) {
                connection.rollback();
                return false;
            }
            store.parts(connection, id, "planned", "cancelled", null);
            connection.commit();
            return true;
        }
    }

    /** Tries a failed erasure's failed parts again; false when it has not failed. */
    public boolean retry(long id, String user) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            if (!store.transition(connection, id, "failed", "erasing", user)) {
                connection.rollback();
                return false;
            }
            store.parts(connection, id, "failed", "pending", Instant.now());
            connection.commit();
            return true;
        }
    }

    /** Finishes an erasure whose parts are all settled: scrubbed once more, then completed (or failed). */
    public void finish(long id) throws Exception {
        PrivacyRequest request = store.find(id).orElseThrow();
        boolean failed = request.parts().stream().anyMatch(part -> "failed".equals(part.status()));
        if (!failed) {
            scrub(id, request);
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            if (store.transition(connection, id, "erasing", failed ? "failed" : "completed", null) && !failed) {
                store.forgetOwnIds(connection, id);
            }
            connection.commit();
        }
    }

    /**
     * Lifts the tombstones of every erasure the person's identifiers match: their records may be
     * created again. Audited.
     *
     * @return the erasure requests whose tombstones were lifted (empty: none matched)
     */
    public List<Long> reconsent(Subject subject, String user) throws Exception {
        Set<String> named = new TreeSet<>();
        if (subject.system() != null) {
            named.add(digests.ofId(subject.entity(), subject.system(), subject.id().trim()));
        } else {
            named.add(digests.ofValue(subject.entity(), subject.field(), subject.value()));
        }
        List<Long> lifted;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            lifted = tombstones.requestsMatching(connection, named);
            tombstones.lift(connection, lifted);
            for (long request : lifted) {
                audit.record(connection, new AuditEntry(AuditEntry.Action.RECONSENTED, subject.entity(), null, null, null, null, null,
                        "privacy-" + request, null, null, null, null, "tombstones of privacy request " + request + " lifted",
                        user));
            }
            connection.commit();
        }
        tombstones.reload();
        return lifted;
    }

    /** The person a request is about, from the record ids its parts still hold, with each system's current record. */
    public Footprint footprint(PrivacyRequest request) throws Exception {
        return footprint(request, true);
    }

    private Footprint footprint(PrivacyRequest request, boolean read) throws Exception {
        Map<String, Set<String>> ids = new TreeMap<>();
        request.parts().stream().filter(part -> part.systemId() != null)
                .forEach(part -> ids.computeIfAbsent(part.system(), system -> new TreeSet<>()).add(part.systemId()));
        return resolver.ofRecords(request.entity(), ids, read);
    }

    private void scrub(long id, PrivacyRequest request) throws Exception {
        Footprint person = footprint(request, false);
        Map<String, Integer> counts = scrubber.scrub(id, person);
        try (Connection connection = dataSource.getConnection()) {
            store.forgetIds(connection, id, person.digests());
        }
        store.addScrubbed(id, counts);
    }
}
