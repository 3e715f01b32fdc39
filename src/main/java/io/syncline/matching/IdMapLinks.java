package io.syncline.matching;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * ID map links remembered in memory, both ways. A link is never changed once it is committed
 * (table {@code id_map} is unique both ways), so a remembered link stays true and needs no
 * invalidation across replicas; only a link not remembered must be asked of the database, which
 * may have it by now. The one exception: a link to a record its system lost, forgotten so that a
 * reconciliation's fix writes the record anew ({@link IdMapRepository#unlink}), is forgotten here
 * too, on the replica that forgets it. Only committed links may be put here:
 * one made in a transaction that could still roll back is not.
 */
final class IdMapLinks {

    private record SystemKey(String entity, String system, String systemId) {
    }

    private record CanonicalKey(String entity, String canonicalId, String system) {
    }

    private final Cache<SystemKey, String> canonicalIds;
    private final Cache<CanonicalKey, String> systemIds;

    IdMapLinks(int size) {
        this.canonicalIds = Caffeine.newBuilder().maximumSize(size).executor(Runnable::run).build();
        this.systemIds = Caffeine.newBuilder().maximumSize(size).executor(Runnable::run).build();
    }

    void remember(String entity, String canonicalId, String system, String systemId) {
        canonicalIds.put(new SystemKey(entity, system, systemId), canonicalId);
        systemIds.put(new CanonicalKey(entity, canonicalId, system), systemId);
    }

    /** The canonical id of a system's record, if remembered; null otherwise. */
    String canonicalId(String entity, String system, String systemId) {
        return canonicalIds.getIfPresent(new SystemKey(entity, system, systemId));
    }

    /** The record's id in a system, if remembered; null otherwise. */
    String systemId(String entity, String canonicalId, String system) {
        return systemIds.getIfPresent(new CanonicalKey(entity, canonicalId, system));
    }

    /** Forgets a link removed from the ID map. */
    void forget(String entity, String canonicalId, String system, String systemId) {
        canonicalIds.invalidate(new SystemKey(entity, system, systemId));
        systemIds.invalidate(new CanonicalKey(entity, canonicalId, system));
    }
}
