package io.syncline.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * How the deletions of a polled system's records are found when the system shows none (a hard
 * {@code DELETE} leaves no row for a poll to read): {@code polls.<system>.deletes}. By
 * {@code keyDiff}, on its own Quartz cron {@code schedule} (UTC): the keys Syncline knows for the
 * system that it no longer has become deletions in the inbox, each marked with the mapping's
 * {@code delete.flag} as the system's webhook would mark it.
 *
 * @param maxShare the largest share of the known keys one run deletes without a person's
 *                 confirmation ({@value #DEFAULT_MAX_SHARE} when left out); a run may always delete one
 */
@RegisterForReflection
public record PollDeletes(Method by, String schedule, Double maxShare) {

    public static final double DEFAULT_MAX_SHARE = 0.1;

    /** How the deletions are found. */
    public enum Method {
        /** The known keys, less the keys the system has now. */
        @JsonProperty("keyDiff")
        KEY_DIFF
    }

    public double maxShareOrDefault() {
        return maxShare == null ? DEFAULT_MAX_SHARE : maxShare;
    }

    /** The most deletions a run that knows {@code known} keys makes without confirmation: {@code maxShare} of them, at least one. */
    public long allowedOf(long known) {
        return Math.max(1, (long) Math.floor(maxShareOrDefault() * known));
    }
}
