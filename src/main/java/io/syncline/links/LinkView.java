package io.syncline.links;

import io.syncline.matching.IdMapConflictException;
import io.syncline.matching.IdMapLink;
import io.syncline.matching.SystemRecord;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The ID map as one batch of an import sees it: the links its rows' records have, read before the
 * batch, and the links the batch's rows before make. Decides each row: already linked, linked (its
 * new links collected in {@link #newLinks}), or a conflict with what the map holds. A row's links
 * are made all or none.
 */
final class LinkView {

    /** A link to be made by the batch: the row's line, and the link. */
    record NewLink(long line, String entity, String canonicalId, SystemRecord record, SystemRecord with) {
    }

    private final Map<SystemRecord, String> canonicalIds = new HashMap<>();
    private final Map<List<String>, String> systemIds = new HashMap<>();
    private final List<NewLink> newLinks = new ArrayList<>();

    LinkView(List<IdMapLink> known) {
        known.forEach(link -> remember(link.entity(), link.canonicalId(), link.system(), link.systemId()));
    }

    List<NewLink> newLinks() {
        return newLinks;
    }

    /** The row's outcome, as a run ({@code linked}) or dry run would report it. */
    LinkOutcome decide(LinkRow row, LinkOutcome.Kind linked) {
        SystemRecord record = new SystemRecord(row.entity(), row.system(), row.systemId());
        if (!row.isPair()) {
            List<SystemRecord> links = List.of(record);
            String conflict = conflict(row.entity(), row.canonicalId(), record);
            if (conflict != null) {
                return outcome(row, LinkOutcome.Kind.CONFLICT, row.canonicalId(), links, conflict);
            }
            boolean known = row.canonicalId().equals(canonicalIds.get(record));
            return known ? outcome(row, LinkOutcome.Kind.ALREADY_LINKED, row.canonicalId(), links, null)
                    : link(row, linked, row.canonicalId(), links, List.of(record), null);
        }
        SystemRecord other = new SystemRecord(row.entity(), row.otherSystem(), row.otherSystemId());
        List<SystemRecord> links = List.of(record, other);
        String canonical = canonicalIds.get(record);
        String otherCanonical = canonicalIds.get(other);
        if (canonical != null && otherCanonical != null) {
            return canonical.equals(otherCanonical) ? outcome(row, LinkOutcome.Kind.ALREADY_LINKED, canonical, links, null)
                    : outcome(row, LinkOutcome.Kind.CONFLICT, null, links, IdMapConflictException.linkedElsewhere(row.entity(),
                            other.system(), other.systemId(), otherCanonical, canonical) + " (the canonical id of "
                            + record.system() + ":" + record.systemId() + ")");
        }
        if (canonical == null && otherCanonical == null) {
            return link(row, linked, UUID.randomUUID().toString(), links, links, null);
        }
        String joined = canonical != null ? canonical : otherCanonical;
        SystemRecord unlinked = canonical != null ? other : record;
        String conflict = conflict(row.entity(), joined, unlinked);
        return conflict != null ? outcome(row, LinkOutcome.Kind.CONFLICT, joined, links, conflict)
                : link(row, linked, joined, links, List.of(unlinked), canonical != null ? record : other);
    }

    /** Why {@code record} cannot be linked to {@code canonicalId}, or null when it can (or is). */
    private String conflict(String entity, String canonicalId, SystemRecord record) {
        String linked = canonicalIds.get(record);
        if (linked != null) {
            return linked.equals(canonicalId) ? null
                    : IdMapConflictException.linkedElsewhere(entity, record.system(), record.systemId(), linked, canonicalId);
        }
        String there = systemIds.get(List.of(entity, canonicalId, record.system()));
        return there == null ? null
                : IdMapConflictException.recordLinkedElsewhere(entity, canonicalId, record.system(), there, record.systemId());
    }

    private LinkOutcome link(LinkRow row, LinkOutcome.Kind linked, String canonicalId, List<SystemRecord> links,
            List<SystemRecord> fresh, SystemRecord with) {
        for (SystemRecord record : fresh) {
            remember(row.entity(), canonicalId, record.system(), record.systemId());
            newLinks.add(new NewLink(row.line(), row.entity(), canonicalId, record,
                    with != null ? with : links.stream().filter(other -> !other.equals(record)).findFirst().orElse(null)));
        }
        return outcome(row, linked, canonicalId, links, null);
    }

    private void remember(String entity, String canonicalId, String system, String systemId) {
        canonicalIds.put(new SystemRecord(entity, system, systemId), canonicalId);
        systemIds.put(List.of(entity, canonicalId, system), systemId);
    }

    private static LinkOutcome outcome(LinkRow row, LinkOutcome.Kind kind, String canonicalId, List<SystemRecord> links,
            String message) {
        return new LinkOutcome(row.line(), kind, row.entity(), canonicalId, links, message);
    }
}
