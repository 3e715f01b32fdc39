package io.syncline.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;
import java.util.Map;

/**
 * A backfill, declared under {@code backfills:} in a model file: copies every record of an
 * entity in {@code source} (optionally only those whose canonical fields equal {@code filter}'s
 * values) into {@code targets} through their apply routes, after a dry run that says what it
 * would do (docs/backfill.md).
 *
 * @param entities       several entities instead of one, each copied in turn, parents before children
 *                       ({@link BackfillOrder}); {@code entity} is then left out
 * @param targets        the systems written; default every other system the entity maps with fields to write
 * @param filter         canonical field -> a value or a list of values: only records whose field equals one are copied
 * @param batchSize      records read a page, and stored in the inbox a transaction ({@value #DEFAULT_BATCH_SIZE})
 * @param rateLimit      records per second put into the inbox at most (none: as fast as the targets apply them)
 * @param maxUpdateShare a run that would update more than this share of a target's records needs {@code confirm=true}
 *                       ({@value #DEFAULT_MAX_UPDATE_SHARE})
 * @param tolerance      the share of records that may have changed in the source or the target since the dry run
 *                       a run starts from ({@value #DEFAULT_TOLERANCE})
 */
@RegisterForReflection
public record BackfillDefinition(String entity, List<String> entities, String source, List<String> targets, Map<String, Object> filter,
        Integer batchSize, Double rateLimit, Double maxUpdateShare, Double tolerance) {

    public static final int DEFAULT_BATCH_SIZE = 500;
    public static final double DEFAULT_MAX_UPDATE_SHARE = 0.1;
    public static final double DEFAULT_TOLERANCE = 0.01;

    public BackfillDefinition {
        entities = entities == null ? List.of() : List.copyOf(entities);
        targets = targets == null ? List.of() : List.copyOf(targets);
        filter = filter == null ? Map.of() : filter;
    }

    public int batchSizeOrDefault() {
        return batchSize == null ? DEFAULT_BATCH_SIZE : batchSize;
    }

    public double maxUpdateShareOrDefault() {
        return maxUpdateShare == null ? DEFAULT_MAX_UPDATE_SHARE : maxUpdateShare;
    }

    public double toleranceOrDefault() {
        return tolerance == null ? DEFAULT_TOLERANCE : tolerance;
    }

    /** The entities it copies, as declared: {@code entities}, or the one {@code entity}. */
    public List<String> entityNames() {
        if (!entities.isEmpty()) {
            return entities;
        }
        return entity == null ? List.of() : List.of(entity);
    }

    /** The systems it writes: {@code targets}, or every system the entity maps with fields to write but the source. */
    public List<String> targetsIn(EntityDefinition entity) {
        if (!targets.isEmpty()) {
            return targets;
        }
        return entity.mappings().entrySet().stream()
                .filter(mapping -> !mapping.getKey().equals(source) && mapping.getValue().writes())
                .map(Map.Entry::getKey).toList();
    }
}
