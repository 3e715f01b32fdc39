package io.syncline.review;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * How a person resolves one kind of review item: reads their answer (the request body), checks
 * it against the item, and says how it steers the held event's apply route. One implementation
 * per kind ({@link ConflictItemResolution}, {@link HeldRecordItemResolution},
 * {@link AmbiguousMatchItemResolution}); {@link ReviewResolver} runs the route for all of them.
 */
interface ItemResolution {

    /** The kind of item resolved, as {@code review_item.kind} names it. */
    ReviewQueueRepository.Kind kind();

    /**
     * @param stored the item's stored record and context ({@link ReviewQueueRepository#payload})
     * @throws IllegalArgumentException the answer does not fit the item (400; nothing written)
     */
    Answer read(ReviewItem item, Map<String, Object> stored, Map<String, Object> body, String resolvedBy) throws SQLException;

    /** The context the item was stored with ({@link ReviewQueueRepository#payload}), empty where it has none. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> context(Map<String, Object> stored) {
        return (Map<String, Object>) stored.getOrDefault("context", Map.of());
    }

    /** The list {@code key} of the item's stored context, empty where it has none. */
    @SuppressWarnings("unchecked")
    static List<Object> contextList(Map<String, Object> stored, String key) {
        return (List<Object>) context(stored).getOrDefault(key, List.of());
    }

    /** How the audit note of a resolution begins: {@code review item 7 resolved by alice: }. */
    static String notePrefix(ReviewItem item, String resolvedBy) {
        return "review item " + item.id() + " resolved by " + resolvedBy + ": ";
    }

    /**
     * A checked answer.
     *
     * @param recorded   what the item keeps as its resolution
     * @param note       for the audit entry of the write (null when a stage of the route notes it itself)
     * @param properties exchange properties that steer the apply route's stages
     * @param mirrored   the same answer for each open item of the other direction of a two-way
     *                   conflict, written to the other system after this one
     */
    record Answer(Map<String, Object> recorded, String note, Map<String, Object> properties, List<Mirrored> mirrored) {

        Answer(Map<String, Object> recorded, String note, Map<String, Object> properties) {
            this(recorded, note, properties, List.of());
        }
    }

    /** An item of the other direction, and the answer as seen from it. */
    record Mirrored(ReviewItem item, Answer answer) {
    }
}
