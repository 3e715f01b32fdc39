package io.syncline.backfill;

import com.fasterxml.jackson.core.type.TypeReference;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.Map;

/**
 * A line of a dry run's report: what the backfill would do with one source record in one target.
 *
 * @param seq     the record's place in the source's order (the report's order)
 * @param outcome create, update, unchanged, delete, hold (review queue), reject (dead letter) or skip
 * @param changes for an update, each field's value now and after: {@code {"email": {"from": …, "to": …}}}
 * @param reason     why it would be held, rejected or skipped
 * @param entity     the record's entity (a backfill may copy several)
 * @param unresolved the record's references whose parent is neither linked in the target nor created by the
 *                   backfill before it: held for review or written empty, as the reference's {@code missingParent} says
 */
@RegisterForReflection
public record BackfillItem(String target, String sourceKey, long seq, String outcome, String targetId, String matchRule,
        Map<String, Map<String, Object>> changes, String reason, String entity, int unresolved) {

    static final TypeReference<Map<String, Map<String, Object>>> CHANGES = new TypeReference<>() {
    };
}
