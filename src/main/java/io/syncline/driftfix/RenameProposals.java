package io.syncline.driftfix;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.drift.FieldDrift;
import io.syncline.inbox.InboxLookups;
import io.syncline.mapping.CompiledField;
import io.syncline.mapping.FieldContract;
import io.syncline.mapping.FieldPaths;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The rename a field that vanished most likely underwent: a field of the waiting events, one the
 * mapping does not read, whose value equals, record by record, the vanished field's last known
 * value, which is its value in the record's last applied event from the same source (the inbox
 * keeps applied events for {@code syncline.inbox.retention}). Proposed only where it agrees with
 * every waiting event that can be compared; the counts say how sure that is.
 */
@ApplicationScoped
public class RenameProposals {

    /** Waiting events read for a proposal: enough to tell a rename from a coincidence, bounded for a large backlog. */
    static final int SAMPLE = 200;
    /** A record's applied events searched back for the vanished field's last value. */
    static final int HISTORY = 20;

    @Inject
    InboxLookups inbox;
    @Inject
    SyncModelRegistry registry;
    @Inject
    ObjectMapper json;

    /** A candidate path and how many compared events it matched. */
    public record Candidate(String path, int matches) {
    }

    /**
     * {@code renameTo}: the proposed new path, null where no candidate matched every compared event;
     * {@code compared}: waiting events whose record had a last known value of the vanished field.
     */
    public record Proposal(String renameTo, int compared, List<Candidate> candidates) {
    }

    /** The proposal for a field that went missing; empty for a type change (no rename to propose). */
    public Optional<Proposal> propose(FieldDrift drift) throws SQLException {
        if (!FieldDrift.MISSING.equals(drift.change())) {
            return Optional.empty();
        }
        Set<String> read = readPaths(drift);
        Map<String, Integer> matches = new HashMap<>();
        Map<String, Object> lastKnown = new HashMap<>();
        int compared = 0;
        for (InboxLookups.WaitingEvent event : inbox.pendingEvents(drift.entity(), drift.system(), SAMPLE)) {
            Map<String, Object> payload = parse(event.payload());
            if (payload == null || FieldPaths.has(payload, drift.path())) {
                continue;
            }
            Object last = lastKnown.containsKey(event.recordKey()) ? lastKnown.get(event.recordKey())
                    : lastKnownValue(drift, event.recordKey());
            lastKnown.put(event.recordKey(), last);
            if (last == null) {
                continue;
            }
            compared++;
            Map<String, Object> leaves = new LinkedHashMap<>();
            flatten("", payload, leaves);
            leaves.forEach((path, value) -> {
                if (!read.contains(path) && same(value, last)) {
                    matches.merge(path, 1, Integer::sum);
                }
            });
        }
        List<Candidate> candidates = matches.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(entry -> new Candidate(entry.getKey(), entry.getValue())).toList();
        boolean sure = compared > 0 && !candidates.isEmpty() && candidates.get(0).matches() == compared
                && (candidates.size() == 1 || candidates.get(1).matches() < compared);
        return Optional.of(new Proposal(sure ? candidates.get(0).path() : null, compared, candidates));
    }

    /** The paths the mapping reads now: a field it reads already is no rename. */
    private Set<String> readPaths(FieldDrift drift) {
        Set<String> read = new HashSet<>();
        FieldContract contract = registry.current().transformer().contract(drift.entity(), drift.system());
        for (CompiledField field : contract.fields()) {
            if (field.path() != null) {
                read.add(field.path());
            }
        }
        read.add(contract.keyPath());
        return read;
    }

    private Object lastKnownValue(FieldDrift drift, String recordKey) throws SQLException {
        for (String applied : inbox.appliedPayloads(drift.entity(), drift.system(), recordKey, HISTORY)) {
            Map<String, Object> payload = parse(applied);
            if (payload != null && FieldPaths.has(payload, drift.path())) {
                return FieldPaths.get(payload, drift.path());
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> parse(String payload) {
        try {
            return payload == null ? null : json.readValue(payload, Map.class);
        } catch (JsonProcessingException e) {
            return null; // a payload that is no JSON object carries no field to compare
        }
    }

    /** The payload's values that are no object, by path ({@code address.city}); lists are values too. */
    @SuppressWarnings("unchecked")
    static void flatten(String prefix, Map<String, Object> record, Map<String, Object> leaves) {
        record.forEach((name, value) -> {
            String path = prefix.isEmpty() ? name : prefix + '.' + name;
            if (value instanceof Map<?, ?> nested) {
                flatten(path, (Map<String, Object>) nested, leaves);
            } else {
                leaves.put(path, value);
            }
        });
    }

    /** Equal values, a number and its digits as text alike: a rename may come with a change of JSON type. */
    static boolean same(Object value, Object last) {
        if (value == null) {
            return false;
        }
        return Objects.equals(value, last) || (value instanceof Number || last instanceof Number)
                && String.valueOf(value).equals(String.valueOf(last));
    }
}
