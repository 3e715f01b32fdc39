package io.syncline.reconcile;

import java.time.Instant;

/** One key of the FULL OUTER JOIN whose sides differ: a side without the key has no values. */
record DiffRow(String key, Instant atA, Instant atB, String valuesA, String valuesB) {
}
