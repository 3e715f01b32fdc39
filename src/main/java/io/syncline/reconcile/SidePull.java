package io.syncline.reconcile;

import io.syncline.connector.spi.PullResult;

/**
 * One side of a run: what its pull saw, how many records the side holds (pulled, or counted by
 * the checksums when only differing keys were pulled) and how many distinct keys among them.
 */
record SidePull(String system, PullResult result, long records, long distinctKeys, String failure) {

    static SidePull failed(String system, String failure) {
        return new SidePull(system, null, 0, 0, failure);
    }

    /** Records pulled twice or without a key. */
    long notStaged() {
        return result == null ? 0 : records - distinctKeys;
    }
}
