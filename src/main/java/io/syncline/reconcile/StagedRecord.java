package io.syncline.reconcile;

import java.time.Instant;

/**
 * One record of one side as staged for the diff: key, 128-bit version hash of the compared
 * values, own timestamp, and the compared values as JSON (kept aside, read back only if the key differs).
 */
record StagedRecord(String key, byte[] versionHash, Instant recordAt, byte[] values) {
}
