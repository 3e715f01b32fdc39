package io.syncline.audit;

import io.syncline.store.Conditions;
import io.syncline.store.InvalidCursorException;
import io.syncline.store.KeysetCursor;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Which entries of the audit log a query takes; a null (or empty) field does not filter.
 * {@code canonicalIds}: the entries about these records of {@code entity} (a record named by its
 * id in any system is looked up first, {@link AuditTrail#recordIds}); {@code system}: entries
 * from or to it; {@code from} inclusive, {@code to} exclusive; {@code actions}: the entries'
 * outcomes ({@link AuditEntry.Action} codes); {@code run}: one sync run, import or review.
 */
public record AuditFilter(String entity, Set<String> canonicalIds, String system, Instant from, Instant to,
        Collection<String> actions, String run) {

    /** Newest first; a page's cursor is its last entry's id. */
    static final String ORDER = " ORDER BY id DESC";

    Conditions conditions(String cursor) {
        Conditions conditions = new Conditions()
                .when(entity, "entity = ?", entity)
                .in("canonical_id", canonicalIds)
                .when(system, "(source_system = ? OR target_system = ?)", system, system)
                .when(from, "occurred_at >= ?", from)
                .when(to, "occurred_at < ?", to)
                .in("action", actions)
                .when(run, "run_id = ?", run);
        if (cursor != null) {
            String after = KeysetCursor.decode(cursor, 1).get(0);
            try {
                conditions.add("id < ?", Long.parseLong(after));
            } catch (NumberFormatException notAnId) {
                throw new InvalidCursorException();
            }
        }
        return conditions;
    }

    static String cursorAfter(AuditRecord last) {
        return KeysetCursor.encode(Long.toString(last.id()));
    }

    /** Every action's code, for checking a filter's. */
    public static List<String> actionCodes() {
        return Arrays.stream(AuditEntry.Action.values()).map(AuditEntry.Action::code).toList();
    }
}
