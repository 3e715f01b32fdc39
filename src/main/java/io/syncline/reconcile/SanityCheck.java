package io.syncline.reconcile;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether a run saw both sides whole. Any reason makes it untrustworthy: it reports
 * and fixes nothing. A side that failed, a pagination that ended early, a source whose own
 * total differs from what was pulled, a key pulled twice, or a side that returned fewer than
 * the job's threshold share of its last trustworthy count.
 */
final class SanityCheck {

    private SanityCheck() {
    }

    static List<String> reasons(ReconciliationJob job, SidePull a, SidePull b, Optional<RunRepository.Baseline> baseline) {
        List<String> reasons = new ArrayList<>();
        side("A", a, baseline.map(RunRepository.Baseline::recordsA), job.truncationThreshold(), reasons);
        side("B", b, baseline.map(RunRepository.Baseline::recordsB), job.truncationThreshold(), reasons);
        return reasons;
    }

    private static void side(String label, SidePull side, Optional<Long> lastCount, double threshold, List<String> reasons) {
        String name = "side " + label + " (" + side.system() + ")";
        if (side.failure() != null) {
            reasons.add(name + " failed: " + side.failure());
            return;
        }
        var result = side.result();
        if (!result.reachedEnd()) {
            reasons.add(name + " pagination ended early after " + result.pages() + " pages and " + result.records()
                    + " records: " + result.problem());
        }
        if (result.reportedTotal() != null && result.reportedTotal() != result.records()) {
            reasons.add(name + " reported a total of " + result.reportedTotal() + " but " + result.records() + " were pulled");
        }
        if (side.notStaged() > 0) {
            reasons.add(name + " returned " + side.notStaged() + " records twice or without a key (pages shifted while reading?)");
        }
        if (lastCount.isPresent() && lastCount.get() > 0 && side.records() < threshold * lastCount.get()) {
            reasons.add(String.format(java.util.Locale.ROOT, "%s returned %d records, below %.0f%% of the %d of the last trustworthy run",
                    name, side.records(), threshold * 100, lastCount.get()));
        }
    }
}
