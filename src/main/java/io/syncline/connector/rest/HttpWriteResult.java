package io.syncline.connector.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What one write to a REST system did: the record's id in that system (assigned by it on a
 * create) and the HTTP status it answered. A delete of a record the system no longer has
 * (404, 410) counts as deleted.
 */
@RegisterForReflection
public record HttpWriteResult(Action action, String targetId, int status) {

    public enum Action {

        @JsonProperty("created")
        CREATED,
        @JsonProperty("updated")
        UPDATED,
        @JsonProperty("deleted")
        DELETED;

        /** As the audit and {@link WriteResult} spell it: {@code created}, {@code updated}, {@code deleted}. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
