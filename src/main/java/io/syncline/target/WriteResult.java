package io.syncline.target;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What a target write did, as answered to the sender: {@code action} is {@code created} (no
 * record matched) or {@code updated} (matched by {@code matchRule} with {@code matchConfidence}).
 */
@RegisterForReflection
public record WriteResult(String status, String action, String entity, String sourceSystem, String sourceId,
                          String canonicalId, String versionHash, String targetSystem, String targetId,
                          String matchRule, Double matchConfidence) {
}
