package io.syncline.connector.spi;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What one side's pull saw. A pull that stopped before the end says why ({@code problem}); a
 * reconciliation that does not know how many records it saw is not a reconciliation.
 *
 * @param reportedTotal the total the source itself reported, when it reports one
 * @param repeatedKeys  records whose key repeated the record's before, when the pull reads in key
 *                      order and so can count them (null otherwise: the staging counts them)
 */
@RegisterForReflection
public record PullResult(long pages, long records, boolean reachedEnd, Long reportedTotal, String problem, Long repeatedKeys) {

    public static PullResult complete(long pages, long records, Long reportedTotal) {
        return new PullResult(pages, records, true, reportedTotal, null, null);
    }

    public static PullResult endedEarly(long pages, long records, Long reportedTotal, String problem) {
        return new PullResult(pages, records, false, reportedTotal, problem, null);
    }

    public PullResult withRepeatedKeys(long repeated) {
        return new PullResult(pages, records, reachedEnd, reportedTotal, problem, repeated);
    }
}
