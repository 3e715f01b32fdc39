package io.syncline.conflict;

import io.syncline.mapping.CanonicalValues;
import io.syncline.model.EntityDefinition;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The conflict processor's decision, field by field, as a pure function of what each side
 * holds: no exchange, no database. Per field the target is to hold:
 * <ul>
 * <li>a value a person decided ({@link ReviewResolution}), when the change is a review's resolution;</li>
 * <li>the incoming value, when the target has no record yet or nothing synced before (unless the
 *     field's strategy {@linkplain ConflictStrategy#decidesFirstLink() decides a first link}: then
 *     the target's value counts as its own change, and differing values are a conflict);</li>
 * <li>for the entity's {@code modifiedAt}, the later of the two times (it says when the
 *     record last changed, and after a merge that is the later change);</li>
 * <li>the target's value, when the incoming one is a late report of the very value Syncline
 *     overwrote in the source at its last write there (the source's event was sent before
 *     that write reached it: its value was already decided against);</li>
 * <li>on a re-sync from the master, the master's value for each field it owns;</li>
 * <li>the incoming value when only the source changed it since the last sync, the target's
 *     when only the target did (an independent edit is never overwritten), that value when
 *     both changed it alike;</li>
 * <li>otherwise a {@link FieldConflict}, decided by the field's strategy: source, target, or review.</li>
 * </ul>
 */
public final class ConflictResolver {

    /**
     * The values Syncline overwrote in a system at its last write there, and that system's own
     * modification time of the record just before (null when unknown).
     */
    public record Overwritten(Map<String, Object> values, Instant modifiedAt) {
    }

    /**
     * Both sides of one change.
     *
     * @param incoming         the source's canonical values
     * @param current          the target's current values, null when it has no record
     * @param lastSynced       the values the target held after the last sync, null before the first
     * @param sourceModifiedAt the change's own modification time, null when unknown
     * @param sourceOverwritten what Syncline last overwrote in the source system, null if nothing
     * @param resolution       a person's decisions, when this change is a review being resolved
     * @param resync           a deliberate re-sync from the master: its own fields are pushed as they are
     */
    public record Sides(String source, String target, Map<String, Object> incoming, Map<String, Object> current,
            Map<String, Object> lastSynced, Instant sourceModifiedAt, Overwritten sourceOverwritten,
            ReviewResolution resolution, boolean resync) {
    }

    /**
     * @param values     what to write, field to canonical value
     * @param sources    field to the system its value came from
     * @param conflicts  the conflicts, each with the strategy and its decision
     * @param lateFields incoming fields recognised as late reports of an overwritten value
     */
    public record Outcome(Map<String, Object> values, Map<String, String> sources, List<FieldConflict> conflicts,
            Set<String> lateFields) {

        public List<FieldConflict> forReview() {
            return conflicts.stream().filter(conflict -> conflict.resolution() == ConflictResolution.REVIEW).toList();
        }
    }

    /** Provenance of a value a person typed in while resolving a review. */
    public static final String CUSTOM_VALUE = "review";

    private final EntityDefinition entity;
    private final String entityName;
    private final ConflictPolicy policy;

    public ConflictResolver(String entityName, EntityDefinition entity, ConflictPolicy policy) {
        this.entityName = entityName;
        this.entity = entity;
        this.policy = policy;
    }

    /** @param fields the target's writable fields, in contract order */
    public Outcome resolve(List<String> fields, Sides sides) {
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, String> sources = new LinkedHashMap<>();
        List<FieldConflict> conflicts = new ArrayList<>();
        Set<String> late = new LinkedHashSet<>();
        Map<String, ReviewDecision> decisions = sides.resolution() == null ? Map.of() : sides.resolution().decisions();
        Map<String, Object> current = sides.current();
        Map<String, Object> last = sides.lastSynced();
        Instant targetModifiedAt = current == null || entity.modifiedAt() == null ? null
                : CanonicalValues.instant(current.get(entity.modifiedAt()));
        int sourceFilled = filled(fields, sides.incoming(), current);
        int targetFilled = filled(fields, current, sides.incoming());
        for (String name : fields) {
            boolean incoming = sides.incoming().containsKey(name);
            if (values.containsKey(name) || !incoming && !decisions.containsKey(name)) {
                continue;
            }
            Object mine = sides.incoming().get(name);
            boolean targetHas = current != null && current.containsKey(name);
            Object theirs = targetHas ? current.get(name) : null;
            ReviewDecision decision = decisions.get(name);
            if (decision != null) {
                switch (decision.take()) {
                    case SOURCE -> take(values, sources, name, mine, sides.source());
                    case TARGET -> take(values, sources, name, targetHas ? theirs : mine, targetHas ? sides.target() : sides.source());
                    case CUSTOM -> take(values, sources, name, decision.value(), CUSTOM_VALUE);
                }
                // The other direction of a two-way resolution: the first write already replaced
                // this value in the source, so it tells nothing of what the source holds now.
                if (incoming && isLate(name, mine, sides)) {
                    late.add(name);
                }
            } else if (!targetHas || last == null && !policy.forField(name).decidesFirstLink()) {
                take(values, sources, name, mine, sides.source());
            } else if (name.equals(entity.modifiedAt())) {
                boolean theirsLater = isLater(theirs, mine);
                take(values, sources, name, theirsLater ? theirs : mine, theirsLater ? sides.target() : sides.source());
            } else if (isLate(name, mine, sides)) {
                late.add(name);
                take(values, sources, name, theirs, sides.target());
            } else if (sides.resync() && sides.source().equals(entity.masterOf(name))) {
                take(values, sources, name, mine, sides.source());
            } else {
                Object before = last == null ? null : last.get(name);
                boolean targetChanged = !CanonicalValues.same(theirs, before);
                boolean sourceChanged = !CanonicalValues.same(mine, before);
                if (!targetChanged || CanonicalValues.same(mine, theirs)) {
                    take(values, sources, name, mine, sides.source());
                } else if (!sourceChanged) {
                    take(values, sources, name, theirs, sides.target());
                } else {
                    ConflictStrategy strategy = policy.forField(name);
                    FieldConflict conflict = new FieldConflict(entityName, name, sides.source(), mine, sides.target(),
                            theirs, before, entity.masterOf(name), sides.sourceModifiedAt(), targetModifiedAt,
                            sourceFilled, targetFilled, null, null);
                    ConflictResolution resolution = strategy.resolve(conflict);
                    conflicts.add(conflict.decided(strategy.name(), resolution));
                    boolean target = resolution == ConflictResolution.TARGET;
                    take(values, sources, name, target ? theirs : mine, target ? sides.target() : sides.source());
                }
            }
        }
        return new Outcome(values, sources, List.copyOf(conflicts), Set.copyOf(late));
    }

    /**
     * The incoming value is what Syncline overwrote in the source at its last write there, and
     * the change is no newer than the source's record was then: the source's event was sent
     * before that write and reports a value already decided against.
     */
    private static boolean isLate(String field, Object mine, Sides sides) {
        Overwritten overwritten = sides.sourceOverwritten();
        return overwritten != null && overwritten.modifiedAt() != null && sides.sourceModifiedAt() != null
                && overwritten.values().containsKey(field) && CanonicalValues.same(mine, overwritten.values().get(field))
                && !sides.sourceModifiedAt().isAfter(overwritten.modifiedAt());
    }

    /**
     * How many of {@code fields} that both records hold {@code record} has a value in, the
     * modification time not counted: a record's completeness, for {@link MostCompleteStrategy}.
     */
    private int filled(List<String> fields, Map<String, Object> record, Map<String, Object> other) {
        if (record == null || other == null) {
            return 0;
        }
        return (int) fields.stream().distinct()
                .filter(field -> !field.equals(entity.modifiedAt()) && record.containsKey(field) && other.containsKey(field))
                .filter(field -> MostCompleteStrategy.filled(record.get(field)))
                .count();
    }

    /** Whether timestamp {@code a} is after {@code b}; an unreadable one is never later. */
    private static boolean isLater(Object a, Object b) {
        Instant first = CanonicalValues.instant(a);
        Instant second = CanonicalValues.instant(b);
        return first != null && (second == null || first.isAfter(second));
    }

    private static void take(Map<String, Object> values, Map<String, String> sources, String field, Object value,
            String system) {
        values.put(field, value);
        sources.put(field, system);
    }
}
