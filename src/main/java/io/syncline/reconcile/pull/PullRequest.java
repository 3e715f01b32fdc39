package io.syncline.reconcile.pull;

import io.syncline.model.SystemDefinition;
import io.syncline.model.SystemMapping;

import java.util.List;

/**
 * What to pull: the entity's records in one system, through its mapping, {@code pageSize} at a
 * time; all of them, or only those whose raw key is one of {@code keys}.
 */
public record PullRequest(String entity, String systemName, SystemDefinition system, SystemMapping mapping, int pageSize,
                          List<Object> keys) {

    /** Every record. */
    public PullRequest(String entity, String systemName, SystemDefinition system, SystemMapping mapping, int pageSize) {
        this(entity, systemName, system, mapping, pageSize, null);
    }
}
