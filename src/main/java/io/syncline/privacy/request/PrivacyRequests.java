package io.syncline.privacy.request;

import io.agroal.api.AgroalDataSource;
import io.syncline.audit.AuditEntry;
import io.syncline.audit.AuditLog;
import io.syncline.config.SynclineConfig;
import io.syncline.matching.IdMapRepository;
import io.syncline.privacy.erase.ChildDetacher;
import io.syncline.privacy.erase.ChildWalk;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
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
    ChildDetacher children;
    @Inject
    IdMapRepository idMap;
    @Inject
    AuditLog audit;
    @Inject
    AgroalDataSource dataSource;
    @Inject
    SynclineConfig config;

    /**
     * Resolves the person and records the request: an erasure's plan, or a subject access, ready.
     * An erasure's plan holds the records of the children the model erases with the person
     * ({@code onParentErased: erase}), each found as the person is, from its ids.
     */
    public PrivacyRequest create(String kind, Subject subject, String user) throws Exception {
        Footprint person = resolver.resolve(subject);
        List<PrivacyRequestStore.NewPart> parts = new ArrayList<>();
        Set<String> held = new TreeSet<>(person.digests());
        addParts(parts, kind, person);
        Map<String, Map<String, Integer>> counts = Map.of();
        if (PrivacyRequest.ERASURE.equals(kind)) {
            Set<ChildWalk.Node> erased = children.children(subject.entity(), person.canonicalIds()).erased();
            for (ChildWalk.Node child : erased) {
                Map<String, Set<String>> ids = new TreeMap<>();
                idMap.systemIds(child.entity(), child.canonicalId()).forEach((system, id) -> ids.put(system, Set.of(id)));
                Footprint record = resolver.ofRecords(child.entity(), ids, true);
                addParts(parts, kind, record);
                held.addAll(record.digests());
            }
            counts = new ChildWalk.Children(erased, List.of()).counts();
        }
        long id;
        try (Connection connection = dataSource.getConnection()) {
            id = store.insert(connection, kind, subject.entity(), PrivacyRequest.ACCESS.equals(kind) ? "ready" : "planned",
                    held, user, parts, counts);
        }
        return store.find(id).orElseThrow();
    }

    private void addParts(List<PrivacyRequestStore.NewPart> parts, String kind, Footprint records) {
        String entity = records.entity();
        records.ids().forEach((system, ids) -> ids.forEach(id -> parts.add(new PrivacyRequestStore.NewPart(entity, system, id,
                digests.ofId(entity, system, id),
                PrivacyRequest.ACCESS.equals(kind) ? "read" : eraser.spec(entity, system).mode().code()))));
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
        detachChildren(id, request.get(), user);
        scrub(id, request.get());
        return store.find(id);
    }

    /**
     * Puts the children that stay ({@code onParentErased: detach}) into the inbox with their
     * references to the erased records emptied, before the scrub forgets which records those were.
     */
    private void detachChildren(long id, PrivacyRequest request, String user) throws Exception {
        Map<String, Footprint> records = footprints(request);
        Footprint person = records.get(request.entity());
        if (person == null) {
            return;
        }
        // the walk reaches the children erased with the person again; the plan's parts say which those are
        Set<ChildWalk.Node> erased = new HashSet<>();
        records.values().forEach(record -> record.canonicalIds()
                .forEach(canonicalId -> erased.add(new ChildWalk.Node(record.entity(), canonicalId))));
        List<ChildWalk.Detach> detached = new ArrayList<>();
        for (ChildWalk.Detach child : children.children(person.entity(), person.canonicalIds()).detached()) {
            if (!erased.contains(new ChildWalk.Node(child.entity(), child.canonicalId()))) {
                detached.add(child);
            }
        }
        List<ChildWalk.Detach> put = children.detach(id, detached, user);
        if (!put.isEmpty()) {
            store.addChildren(id, new ChildWalk.Children(Set.of(), put).counts());
        }
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
        return resolver.ofRecords(request.entity(), idsOf(request).getOrDefault(request.entity(), Map.of()), true);
    }

    /** By entity, the records a request's parts still hold an id of: the person's, and the children erased with them. */
    private Map<String, Footprint> footprints(PrivacyRequest request) throws Exception {
        Map<String, Footprint> footprints = new TreeMap<>();
        for (Map.Entry<String, Map<String, Set<String>>> entity : idsOf(request).entrySet()) {
            footprints.put(entity.getKey(), resolver.ofRecords(entity.getKey(), entity.getValue(), false));
        }
        return footprints;
    }

    private static Map<String, Map<String, Set<String>>> idsOf(PrivacyRequest request) {
        Map<String, Map<String, Set<String>>> ids = new TreeMap<>();
        request.parts().stream().filter(part -> part.systemId() != null).forEach(part -> ids
                .computeIfAbsent(part.entity(), entity -> new TreeMap<>())
                .computeIfAbsent(part.system(), system -> new TreeSet<>()).add(part.systemId()));
        return ids;
    }

    private void scrub(long id, PrivacyRequest request) throws Exception {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Footprint records : footprints(request).values()) {
            scrubber.scrub(id, records).forEach((table, count) -> counts.merge(table, count, Integer::sum));
            try (Connection connection = dataSource.getConnection()) {
                store.forgetIds(connection, id, records.digests());
            }
        }
        store.addScrubbed(id, counts);
    }
}
