package io.syncline.reconcile;

import java.time.Instant;

/** One key of the FULL OUTER JOIN whose sides differ: either side may be absent (null hash). */
record DiffRow(String key, String hashA, String hashB, Instant atA, Instant atB, String valuesA, String valuesB) {
}
