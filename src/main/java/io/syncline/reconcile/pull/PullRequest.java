package io.syncline.reconcile.pull;

import io.syncline.model.SystemDefinition;
import io.syncline.model.SystemMapping;

/** What to pull: the entity's records in one system, through its mapping, {@code pageSize} at a time. */
public record PullRequest(String entity, String systemName, SystemDefinition system, SystemMapping mapping, int pageSize) {
}
