package io.syncline.matching;

import io.syncline.store.Conditions;
import io.syncline.store.KeysetCursor;

import java.time.Instant;
import java.util.List;

/**
 * Which links of the ID map a list shows; a null field does not filter. {@code systemIdPrefix}
 * takes the system ids that start with it, {@code linkedAfter} the links made after that time.
 */
public record IdMapFilter(String entity, String system, String canonicalId, String systemId, String systemIdPrefix,
        Instant linkedAfter) {

    /** The list's order, which its cursor continues: the primary key's. */
    static final String ORDER = " ORDER BY entity, system, system_id";

    /** The filter's conditions, and past {@code cursor} (a page's, null for the first) in the list's order. */
    Conditions conditions(String cursor) {
        Conditions conditions = new Conditions()
                .when(entity, "entity = ?", entity)
                .when(system, "system = ?", system)
                .when(canonicalId, "canonical_id = ?", canonicalId)
                .when(systemId, "system_id = ?", systemId)
                .when(systemIdPrefix, "system_id LIKE ? ESCAPE '\\'", systemIdPrefix == null ? null : likePrefix(systemIdPrefix))
                .when(linkedAfter, "created_at > ?", linkedAfter);
        if (cursor != null) {
            List<String> after = KeysetCursor.decode(cursor, 3);
            conditions.add("(entity, system, system_id) > (?, ?, ?)", after.get(0), after.get(1), after.get(2));
        }
        return conditions;
    }

    /** The pattern of the ids that start with {@code prefix}: LIKE's own characters in it are taken as they are. */
    private static String likePrefix(String prefix) {
        return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    /** The cursor of the page that ends with {@code last}. */
    static String cursorAfter(IdMapLink last) {
        return KeysetCursor.encode(last.entity(), last.system(), last.systemId());
    }
}
