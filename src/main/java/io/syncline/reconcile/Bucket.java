package io.syncline.reconcile;

/** Where a record of a reconciliation lands. Equal records are only counted. */
public enum Bucket {
    only_in_a, only_in_b, mismatched
}
