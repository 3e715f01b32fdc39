package io.syncline.reconcile;

import io.syncline.reconcile.pull.PullResult;

/** One side's pull and how many distinct keys of it were staged. */
record SidePull(String system, PullResult result, long staged, String failure) {

    long notStaged() {
        return result == null ? 0 : result.records() - staged;
    }
}
