package io.syncline.backfill;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.Map;

/**
 * What a job counted of one entity of its backfill, once the entity is done.
 *
 * @param read          the entity's source records read
 * @param outcomes      a dry run's: its records by target and outcome, and each target's {@code unresolved} references;
 *                      a run's: what the audit says became of its events, by target and action, and those held
 * @param targetRecords a dry run's count of each target's records of the entity when the entity was done
 */
@RegisterForReflection
public record EntityCounts(long read, Map<String, Map<String, Long>> outcomes, Map<String, Long> targetRecords) {
}
