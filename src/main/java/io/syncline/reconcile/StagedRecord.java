package io.syncline.reconcile;

import java.time.Instant;

/** One record of one side as staged for the diff: key, hash of the compared values, own timestamp, values as JSON. */
public record StagedRecord(String key, String versionHash, Instant recordAt, String values) {
}
