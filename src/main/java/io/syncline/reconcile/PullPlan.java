package io.syncline.reconcile;

import io.syncline.connector.spi.PullResult;
import io.syncline.reconcile.bisect.ChecksumBisection;

import java.util.List;

/**
 * What a run pulls: every record ({@code full}), or only the keys the checksums of both databases
 * found differing ({@code bisection}). {@code note} says why a bisection job pulled in full, or what
 * the bisection found.
 */
record PullPlan(String strategy, String note, ChecksumBisection.Outcome checksums) {

    static PullPlan full(String note) {
        return new PullPlan("full", note, null);
    }

    static PullPlan bisection(ChecksumBisection.Outcome checksums) {
        return new PullPlan("bisection", checksums.summary(), checksums);
    }

    /** The raw keys to pull from the side, or null for all of them. */
    List<Object> keys(char side) {
        return checksums == null ? null : side == 'A' ? checksums.keysA() : checksums.keysB();
    }

    /**
     * The side as the run records it, from its pull and what was staged of it.
     *
     * @param distinctStaged distinct keys among the staged records
     */
    SidePull side(char side, String system, PullResult result, long distinctStaged) {
        if (checksums == null) {
            return new SidePull(system, result, result.records(), distinctStaged, null);
        }
        boolean a = side == 'A';
        long records = a ? checksums.recordsA() : checksums.recordsB();
        long unstaged = (a ? checksums.unkeyedA() + checksums.repeatedA() : checksums.unkeyedB() + checksums.repeatedB())
                + result.records() - distinctStaged;
        return new SidePull(system, result, records, records - unstaged, null);
    }
}
