package io.syncline.sync;

import io.syncline.compiled.SyncModelRegistry;
import io.syncline.exchange.ExchangeContract;
import io.syncline.exchange.RouteContext;
import io.syncline.mapping.CanonicalRecord;
import io.syncline.mapping.CompiledField;
import io.syncline.mapping.RecordRejectedException;
import io.syncline.mapping.RecordTransformer;
import io.syncline.mapping.VersionHasher;
import io.syncline.matching.IdMapRepository;
import io.syncline.model.CanonicalField;
import io.syncline.model.MissingParentSpec;
import io.syncline.model.SystemMapping;
import io.syncline.state.RecordStateRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The apply route's reference stage ({@code process: {ref: ReferenceResolver}}), after the record
 * has its canonical id: each reference field of the record (a field with {@code ref}) holds the
 * source's id of the record it names (its parent), which becomes the parent's canonical id through
 * the ID map (entity: the referenced one, system: the source), so that the canonical record, its
 * version hash, its state and the conflict processor all hold canonical ids. The target's id of each
 * parent is looked up too and kept for the writer ({@link ParentLinks}). A source mapping that reads
 * the reference as the parent's external id ({@code externalId}: Salesforce's {@code Account.Ext_Id__c})
 * holds a value, not an id: the parent is the one synced with that value ({@link ParentsByExternalId}).
 *
 * <p>Parents before children: a parent the source's ID map does not know yet (its own event has not
 * been applied), or one not linked in the target yet (not written there yet), stops the record
 * here, before anything is claimed or written. Within the reference's wait
 * ({@code missingParent.wait}, from when the event was received) it waits
 * ({@link ParentNotLinkedException}: the inbox puts it back, pending, the attempt not counted);
 * after it the record goes to the review queue naming the parent ({@link ParentMissingException}),
 * or with {@code missingParent: empty} is written with the reference empty (a list keeps the ids
 * that are linked). With {@code missingParent: sync} the parent is asked of the source at the
 * record's first wait ({@link ParentFetches}: fetched and applied as its own event), and the record
 * waits for it as above; a parent the source cannot return sends the record to the review queue at
 * once, naming it. A waiting record holds nothing that another needs, so two records naming each
 * other cannot wait for each other for longer than their waits (docs/adr/0017).
 */
@ApplicationScoped
@Named("ReferenceResolver")
public class ReferenceResolver implements Processor {

    /** The first pause of a waiting record, and the longest: the pause grows with the time it waited. */
    static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
    static final Duration LONGEST_PAUSE = Duration.ofMinutes(1);

    @Inject
    SyncModelRegistry registry;
    @Inject
    IdMapRepository idMap;
    @Inject
    EventAges ages;
    @Inject
    ParentFetches fetches;
    @Inject
    RecordStateRepository states;

    private final Clock clock = Clock.systemUTC();

    /**
     * A parent not linked yet, in the source's or the target's ID map.
     *
     * @param sourceId the source's id of the parent
     * @param parent   the parent described, for reasons
     */
    private record Missing(String field, CanonicalField definition, String sourceId, String parent) {

        MissingParentSpec.Then then() {
            return definition.missingParentOrDefault().then();
        }

        /** The record's field held for review: the reference, or the list a line's reference is in ({@code lines[2].product}: lines). */
        String heldField() {
            int line = field.indexOf('[');
            return line < 0 ? field : field.substring(0, line);
        }
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        // the route's target: a batch's events carry their own payloads and properties, not the route's
        String target = RouteContext.require(exchange, ExchangeContract.TARGET);
        ApplyEvents.forEach(exchange, event -> resolve(event, target));
    }

    private void resolve(Exchange event, String target) throws SQLException {
        if (event.getProperty(ExchangeContract.PARENT_LINKS) != null
                || !(event.getMessage().getBody() instanceof CanonicalRecord record) || record.deleted()) {
            return; // resolved already (a mapping's own route repeating the stage), or nothing to resolve
        }
        RecordTransformer transformer = registry.current().transformer();
        Map<String, CanonicalField> references = transformer.references(record.entity());
        Map<String, CanonicalField> lines = transformer.linesWithReferences(record.entity());
        if (references.isEmpty() && lines.isEmpty()) {
            return;
        }
        Set<String> written = transformer.contract(record.entity(), target).fields().stream()
                .filter(field -> field.direction().writes()).map(CompiledField::field).collect(Collectors.toSet());
        Map<String, Object> fields = new LinkedHashMap<>(record.fields());
        ParentLinks.Builder links = new ParentLinks.Builder();
        PlannedParents planned = event.getProperty(ExchangeContract.PLANNED_PARENTS, PlannedParents.class);
        List<Missing> missing = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        ByExternalId byExternalId = new ByExternalId(externalIds(record.entity(), target, true), event);
        Map<String, String> readByExternalId = externalIds(record.entity(), record.sourceSystem(), false);
        Lookup lookup = (key, label, reference, value) -> translated(record, target, key, label, reference, value,
                written.contains(key.split("\\.")[0]), links, planned, missing, rejected, byExternalId, readByExternalId.get(key));
        references.forEach((name, reference) -> {
            if (fields.containsKey(name)) {
                links.field(name, reference.ref());
                fields.put(name, lookup.translate(name, name, reference, fields.get(name)));
            }
        });
        // a document's lines: each line's references, as the record's own (docs/model.md, "Documents with lines")
        lines.forEach((name, list) -> {
            if (!(fields.get(name) instanceof List<?> elements)) {
                return;
            }
            list.itemReferences().forEach((item, reference) -> links.field(name + "." + item, reference.ref()));
            List<Object> resolved = new ArrayList<>(elements.size());
            for (int i = 0; i < elements.size(); i++) {
                if (!(elements.get(i) instanceof Map<?, ?> element)) {
                    resolved.add(elements.get(i));
                    continue;
                }
                Map<String, Object> line = new LinkedHashMap<>();
                element.forEach((key, value) -> line.put(String.valueOf(key), value));
                for (Map.Entry<String, CanonicalField> reference : list.itemReferences().entrySet()) {
                    if (line.containsKey(reference.getKey())) {
                        line.put(reference.getKey(), lookup.translate(name + "." + reference.getKey(),
                                name + "[" + i + "]." + reference.getKey(), reference.getValue(), line.get(reference.getKey())));
                    }
                }
                resolved.add(line);
            }
            fields.put(name, resolved);
        });
        if (!rejected.isEmpty()) {
            throw new RecordRejectedException(record.entity(), record.sourceSystem(), rejected);
        }
        if (!missing.isEmpty()) {
            decide(event, record, fields, missing);
        }
        if (!byExternalId.unlinked.isEmpty()) {
            links.unlinked(new ParentLinks.Unlinked(byExternalId.unlinked,
                    retryAt(byExternalId.received(), clock.instant(), byExternalId.giveUpAt), byExternalId.giveUpAt));
        }
        CanonicalRecord resolved = new CanonicalRecord(record.entity(), record.sourceSystem(), record.sourceId(), fields,
                VersionHasher.hash(fields), record.canonicalId(), false);
        event.getMessage().setBody(resolved);
        event.setProperty(ExchangeContract.PARENT_LINKS, links.build(target, idMap));
    }

    /** Translates one reference's value, found under {@code key} in the links and named {@code label} in reasons. */
    private interface Lookup {

        Object translate(String key, String label, CanonicalField reference, Object value);
    }

    /** A reference's value (one id, or a list of them) as canonical ids; a value of the wrong shape is noted rejected. */
    private Object translated(CanonicalRecord record, String target, String key, String label, CanonicalField reference,
            Object value, boolean writesTarget, ParentLinks.Builder links, PlannedParents planned, List<Missing> missing,
            List<String> rejected, ByExternalId byExternalId, String readBy) {
        if (value == null) {
            return null;
        }
        if (reference.referencesMany() != value instanceof List) {
            rejected.add(record.entity() + "." + label + " from " + record.sourceSystem() + ": "
                    + (reference.referencesMany() ? "one id where a list of " + reference.ref() + " ids is expected (many: true)"
                            : "a list where one " + reference.ref() + " id is expected"));
            return value;
        }
        List<Object> canonical = new ArrayList<>();
        for (Object id : value instanceof List<?> ids ? ids : List.of(value)) {
            canonical.add(id == null ? null : canonicalId(record, target, key, label, reference, id.toString(), writesTarget, links,
                    planned, missing, byExternalId, readBy));
        }
        return reference.referencesMany() ? canonical : canonical.get(0);
    }

    /**
     * The parent's canonical id, its target id noted; null (and noted missing) where either is not linked yet.
     * A source that names the parent by its external id ({@code readBy}, {@code Account.Ext_Id__c} read
     * from Salesforce) names it by a value, not an id the ID map knows: the parent is the one synced with it.
     */
    private String canonicalId(CanonicalRecord record, String target, String field, String label, CanonicalField reference,
            String sourceId, boolean writesTarget, ParentLinks.Builder links, PlannedParents planned, List<Missing> missing,
            ByExternalId byExternalId, String readBy) {
        String parent = reference.ref() + " " + sourceId + " of " + record.sourceSystem() + (readBy == null ? "" : " by " + readBy);
        Optional<String> canonicalId = readBy == null ? idMap.canonicalId(reference.ref(), record.sourceSystem(), sourceId)
                : Optional.ofNullable(ParentsByExternalId.canonicalIds(registry.current().transformer(), states, reference.ref(),
                        record.sourceSystem(), readBy, List.of(sourceId)).get(sourceId));
        if (canonicalId.isEmpty()) {
            missing.add(new Missing(label, reference, sourceId, parent + ", not linked in " + record.sourceSystem() + " yet"));
            return null;
        }
        String externalId = byExternalId.fields.get(field);
        if (writesTarget && externalId != null) {
            return byExternalId(record, target, field, label, reference, sourceId, parent, canonicalId.get(), externalId, links, missing,
                    byExternalId);
        }
        if (writesTarget) {
            Optional<String> targetId = idMap.systemId(reference.ref(), canonicalId.get(), target);
            if (targetId.isEmpty() && planned(planned, reference.ref(), target, sourceId)) {
                return canonicalId.get(); // a dry run's parent, created earlier in its backfill: the writer writes nothing
            }
            if (targetId.isEmpty()) {
                missing.add(new Missing(label, reference, sourceId, parent + ", not linked in " + target + " yet"));
                return null;
            }
            links.link(field, canonicalId.get(), targetId.get());
        }
        return canonicalId.get();
    }

    /**
     * A reference the target writes by the parent's external id ({@code externalId} in its mapping):
     * the value is the parent's own value of that field as the target's contract writes it, read
     * from the parent's last synced values, so the child need not wait for the parent's link in
     * the target. A parent not linked there yet is written optimistically while the reference's
     * wait lasts (the target may have it, or get it from the parent's own write first); should the
     * target find no record with that id, the record waits ({@link ParentLinks#waitFor}). Past the
     * wait, or while the parent's values are not known, the parent is missing, as any other.
     */
    private String byExternalId(CanonicalRecord record, String target, String field, String label, CanonicalField reference, String sourceId,
            String parent, String canonicalId, String externalId, ParentLinks.Builder links, List<Missing> missing,
            ByExternalId byExternalId) {
        RecordTransformer transformer = registry.current().transformer();
        Optional<Object> value;
        try {
            value = states.lastValues(reference.ref(), canonicalId)
                    .flatMap(values -> transformer.valueAt(reference.ref(), target, externalId, values));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the last values of " + reference.ref() + " " + canonicalId + ": "
                    + e.getMessage(), e);
        }
        if (value.isEmpty()) {
            missing.add(new Missing(label, reference, sourceId, parent + ", whose " + externalId + " in " + target
                    + " is not known yet"));
            return null;
        }
        String id = value.get().toString();
        if (idMap.systemId(reference.ref(), canonicalId, target).isEmpty()) {
            Instant until = byExternalId.received() == null ? null
                    : byExternalId.received().plus(reference.missingParentOrDefault().waitOrDefault());
            if (until == null || !until.isAfter(clock.instant())) {
                missing.add(new Missing(label, reference, sourceId, parent + " (" + externalId + " " + id + "), not linked in "
                        + target + " yet"));
                return null;
            }
            byExternalId.unlinked.add(record.entity() + "." + label + " names " + parent + " by " + externalId + " " + id
                    + ", not linked in " + target + " yet");
            byExternalId.giveUpAt = byExternalId.giveUpAt == null || until.isBefore(byExternalId.giveUpAt) ? until
                    : byExternalId.giveUpAt;
        }
        links.link(field, canonicalId, id);
        return canonicalId;
    }

    /**
     * The fields of the entity's mapping of {@code system} written (or, not {@code written}, read) by the
     * parent's external id, with that id's field.
     */
    private Map<String, String> externalIds(String entity, String system, boolean written) {
        SystemMapping mapping = system == null ? null : registry.current().model().entities().get(entity).mappings().get(system);
        Map<String, String> fields = new LinkedHashMap<>();
        if (mapping != null) {
            mapping.fields().stream().filter(field -> field.externalId() != null
                    && (written ? field.direction().writes() : field.direction().reads()))
                    .forEach(field -> fields.put(field.field(), field.externalId()));
        }
        return fields;
    }

    /** One record's references written by external id: which parents were not linked in the target, and until when it waits. */
    private final class ByExternalId {

        private final Map<String, String> fields;
        private final Exchange event;
        private final List<String> unlinked = new ArrayList<>();
        private Instant giveUpAt;
        private Optional<Instant> received;

        ByExternalId(Map<String, String> fields, Exchange event) {
            this.fields = fields;
            this.event = event;
        }

        /** When the record's event was received; null where a record cannot wait ({@link #receivedAt}). */
        Instant received() {
            if (received == null) {
                received = Optional.ofNullable(receivedAt(event));
            }
            return received.orElse(null);
        }
    }

    /**
     * When the record's event was received: its inbox event's arrival, or when a backfill's page
     * applied outside the inbox read it ({@link ExchangeContract#RECEIVED_AT}; a record that
     * waits is put into the inbox from there). Null where there is nothing to put back (a dry
     * run, a plan): such a record cannot wait, its waits are over.
     */
    private Instant receivedAt(Exchange event) {
        Long inboxId = event.getProperty(ExchangeContract.INBOX_ID, Long.class);
        if (inboxId != null) {
            return ages.receivedAt(inboxId).orElse(clock.instant());
        }
        return event.getProperty(ExchangeContract.RECEIVED_AT, Instant.class);
    }

    private static boolean planned(PlannedParents planned, String entity, String target, String sourceId) {
        try {
            return planned != null && planned.planned(entity, target, sourceId);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the dry run's report: " + e.getMessage(), e);
        }
    }

    /**
     * Waits while any missing parent's wait lasts; then holds the record for review when any of
     * them asks for it, or empties their references.
     */
    private void decide(Exchange event, CanonicalRecord record, Map<String, Object> fields, List<Missing> missing)
            throws SQLException {
        Instant now = clock.instant();
        Instant received = receivedAt(event);
        if (received != null) {
            fetchParents(record, missing);
        }
        Instant giveUpAt = null;
        boolean backfill = ExchangeContract.ORIGIN_BACKFILL.equals(event.getProperty(ExchangeContract.ORIGIN, String.class));
        for (Missing parent : missing) {
            Instant until = received == null || backfill && parentsCopiedBefore(record, parent) ? now
                    : received.plus(parent.definition().missingParentOrDefault().waitOrDefault());
            if (until.isAfter(now) && (giveUpAt == null || until.isBefore(giveUpAt))) {
                giveUpAt = until;
            }
        }
        String parents = missing.stream().map(m -> record.entity() + "." + m.field() + " names " + m.parent())
                .distinct().collect(Collectors.joining("; "));
        if (giveUpAt != null) {
            throw new ParentNotLinkedException(parents, retryAt(received, now, giveUpAt), giveUpAt);
        }
        event.setProperty(ExchangeContract.UNRESOLVED_REFERENCES, (int) missing.stream()
                .map(m -> m.field() + "/" + m.sourceId()).distinct().count());
        // a parent the source was asked for and never linked is reviewed, as one never sent
        List<Missing> forReview = missing.stream().filter(m -> m.then() != MissingParentSpec.Then.EMPTY).toList();
        if (!forReview.isEmpty()) {
            List<String> reasons = forReview.stream().map(m -> record.entity() + "." + m.field() + " names " + m.parent()
                    + " after waiting " + m.definition().missingParentOrDefault().waitOrDefault()).distinct().toList();
            List<String> held = forReview.stream().map(Missing::heldField).distinct().toList();
            // the record as its source sent it: a person reads the source's ids of the parents
            throw new ParentMissingException(record, reasons, held);
        }
        for (Missing parent : missing) {
            if (!fields.containsKey(parent.field())) {
                continue; // a line's reference: left empty in its line already
            }
            Object value = fields.get(parent.field());
            if (value instanceof List<?> ids) {
                List<Object> linked = new ArrayList<>(ids);
                linked.removeIf(id -> id == null);
                fields.put(parent.field(), linked);
            } else {
                fields.put(parent.field(), null);
            }
        }
    }

    /**
     * Whether a backfill's record waits for nothing: a backfill copies its entities parents first
     * and each to its end before the next, so a parent of another entity that is not linked by
     * the time its child is applied will not be linked by the backfill (docs/backfill.md). A
     * record of the parent's own entity waits as usual (its parent may come later in the same
     * entity's run), and so does one whose {@code missingParent} fetches the parent ({@code sync}).
     */
    private static boolean parentsCopiedBefore(CanonicalRecord record, Missing parent) {
        return !parent.definition().ref().equals(record.entity()) && parent.then() != MissingParentSpec.Then.SYNC;
    }

    /**
     * Asks the source for each missing parent of a {@code missingParent: sync} reference, once (the
     * request is one inbox event, whose status later calls read); a parent the source could not
     * return holds the record for review at once, naming it.
     */
    private void fetchParents(CanonicalRecord record, List<Missing> missing) throws SQLException {
        List<String> unavailable = new ArrayList<>();
        List<String> held = new ArrayList<>();
        for (Missing parent : missing) {
            if (parent.then() != MissingParentSpec.Then.SYNC) {
                continue;
            }
            Optional<String> failed = fetches.request(parent.definition().ref(), record.sourceSystem(), parent.sourceId());
            if (failed.isPresent()) {
                unavailable.add(record.entity() + "." + parent.field() + " names " + parent.parent() + ", which "
                        + record.sourceSystem() + " could not give: " + failed.get());
                held.add(parent.heldField());
            }
        }
        if (!unavailable.isEmpty()) {
            throw new ParentMissingException(record, unavailable.stream().distinct().toList(), held.stream().distinct().toList());
        }
    }

    /** Due again after a pause that grows with the wait so far (half of it, within bounds), no later than the wait's end. */
    static Instant retryAt(Instant received, Instant now, Instant giveUpAt) {
        Duration waited = received == null ? Duration.ZERO : Duration.between(received, now);
        Duration pause = waited.dividedBy(2);
        pause = pause.compareTo(FIRST_PAUSE) < 0 ? FIRST_PAUSE : pause.compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause;
        Instant next = now.plus(pause);
        return next.isAfter(giveUpAt) ? giveUpAt : next;
    }
}
