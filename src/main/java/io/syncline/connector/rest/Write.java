package io.syncline.connector.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * How a REST target is written: {@code create} with {@code POST} or {@code PUT}, sent to the
 * collection ({@code createAt: collection}, the system assigns the id; POST's default) or to
 * {@code {resource}/{key}} ({@code createAt: record}, the id is the record's own, at the key
 * path; PUT's default), and {@code update} of a known record at {@code {resource}/{id}} with
 * {@code PATCH} (only the fields sent change), {@code PUT} (the record is replaced) or {@code POST}.
 */
@RegisterForReflection
public record Write(CreateMethod create, UpdateMethod update, CreateAt createAt) {

    public static final Write DEFAULT = new Write(CreateMethod.POST, UpdateMethod.PATCH, CreateAt.COLLECTION);

    public Write(CreateMethod create, UpdateMethod update) {
        this(create, update, null);
    }

    public Write withDefaults() {
        CreateMethod method = create == null ? DEFAULT.create : create;
        return new Write(method, update == null ? DEFAULT.update : update,
                createAt != null ? createAt : method == CreateMethod.PUT ? CreateAt.RECORD : CreateAt.COLLECTION);
    }

    /** These methods, those left out taken from {@code under}; a create's method and place go together. */
    public Write over(Write under) {
        if (under == null) {
            return this;
        }
        boolean ownCreate = create != null || createAt != null;
        return new Write(ownCreate ? create : under.create, update != null ? update : under.update,
                ownCreate ? createAt : under.createAt);
    }

    public enum CreateMethod {
        @JsonProperty("POST")
        POST,
        @JsonProperty("PUT")
        PUT
    }

    /** Where a create is sent: the collection, or the record's own path under it. */
    public enum CreateAt {
        @JsonProperty("collection")
        COLLECTION,
        @JsonProperty("record")
        RECORD
    }

    public enum UpdateMethod {
        @JsonProperty("PATCH")
        PATCH,
        @JsonProperty("PUT")
        PUT,
        @JsonProperty("POST")
        POST
    }
}
