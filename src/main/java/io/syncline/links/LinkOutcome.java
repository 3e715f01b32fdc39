package io.syncline.links;

import io.syncline.matching.SystemRecord;

import java.util.List;

/**
 * What became of one row of an import: its line, the outcome, the record's canonical id (for a
 * conflict: the one the row asked for, if it named one), the links the row asked for, and for a
 * conflict what the ID map holds instead.
 */
public record LinkOutcome(long line, Kind kind, String entity, String canonicalId, List<SystemRecord> links, String message) {

    public enum Kind {

        /** Linked now (at least one of the row's links was new). */
        LINKED("linked"),
        /** A dry run's answer for a row that the import would link. */
        WOULD_LINK("would_link"),
        /** The ID map already holds every link of the row, as the row says (an earlier row may have made them). */
        ALREADY_LINKED("already_linked"),
        /** A link of the row contradicts one the ID map holds: nothing of the row is linked. */
        CONFLICT("conflict");

        private final String code;

        Kind(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }
}
