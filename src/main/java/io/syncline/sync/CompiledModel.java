package io.syncline.sync;

import io.syncline.mapping.RecordTransformer;
import io.syncline.matching.RecordMatcher;
import io.syncline.model.SyncModel;

import java.util.Map;

/** The model in force: what was declared, its compiled field contracts, and a matcher per entity. */
public record CompiledModel(SyncModel model, RecordTransformer transformer, Map<String, RecordMatcher> matchers) {

    public RecordMatcher matcher(String entity) {
        RecordMatcher matcher = matchers.get(entity);
        if (matcher == null) {
            throw new IllegalArgumentException("Unknown entity '" + entity + "'; the model declares " + matchers.keySet());
        }
        return matcher;
    }
}
