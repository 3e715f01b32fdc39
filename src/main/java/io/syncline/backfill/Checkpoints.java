package io.syncline.backfill;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A job's checkpoint as stored: the last committed source key as JSON, so that a number comes
 * back a number and a text a text, for the key comparison of the resumed read.
 */
final class Checkpoints {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Checkpoints() {
    }

    static String of(Object key) throws JsonProcessingException {
        return key == null ? null : JSON.writeValueAsString(key);
    }

    static Object key(String checkpoint) throws JsonProcessingException {
        return checkpoint == null ? null : JSON.readValue(checkpoint, Object.class);
    }
}
