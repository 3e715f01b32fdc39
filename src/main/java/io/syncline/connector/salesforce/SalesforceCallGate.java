package io.syncline.connector.salesforce;

import java.time.Clock;
import java.time.Duration;

/**
 * Where every call to a Salesforce org is reserved before it is made and its outcome noted:
 * {@link SalesforceCallBudget} counts calls per org, UTC day and kind in the state store, refuses
 * the one that would pass the org's {@code dailyCallBudget}, and pauses an org that answered
 * {@code REQUEST_LIMIT_EXCEEDED} for as long as the org's own limits say. {@link #OPEN} counts nothing.
 */
public interface SalesforceCallGate {

    /** How long calls pause after a {@code REQUEST_LIMIT_EXCEEDED} the daily allocation does not explain. */
    Duration CONCURRENT_PAUSE = Duration.ofSeconds(5);

    /** No budget, nothing counted: for pulls and clients made outside the application. */
    SalesforceCallGate OPEN = new SalesforceCallGate() {

        @Override
        public void reserve(String system, SalesforceSettings settings, String kind) {
        }

        @Override
        public SalesforceBudgetSpentException limitReached(String system, SalesforceSettings settings, String message) {
            return new SalesforceBudgetSpentException(system, Clock.systemUTC().instant().plus(CONCURRENT_PAUSE),
                    system + ": Salesforce answered REQUEST_LIMIT_EXCEEDED (" + message + ")");
        }

        @Override
        public void answered(String system, String problem) {
        }
    };

    /** Reads an org's own limits ({@code GET /limits}): what it has left of its daily API requests. */
    @FunctionalInterface
    interface OrgLimits {

        /**
         * {@code DailyApiRequests.Remaining}: 0 or less when the org's daily allocation is spent;
         * null when the org's limits could not be read.
         */
        Long dailyRemaining(String system, SalesforceSettings settings);
    }

    /**
     * Reserves one call of {@code kind} ({@link SalesforceCallKinds}) to {@code system}. A call of
     * kind {@code limits} (reading the org's limits) is counted but never refused.
     *
     * @throws SalesforceBudgetSpentException the day's budget is spent, or the org's calls are paused
     */
    void reserve(String system, SalesforceSettings settings, String kind);

    /**
     * The org answered {@code REQUEST_LIMIT_EXCEEDED}. Salesforce uses that code for its rolling
     * 24-hour allocation and for its concurrent long-running request limit alike: calls pause until
     * the org's limits say the allocation is back where they say it is spent, else for seconds.
     * Returns the failure to throw.
     */
    SalesforceBudgetSpentException limitReached(String system, SalesforceSettings settings, String message);

    /** Where the gate reads an org's own limits; a gate without a reader pauses for seconds only. */
    default void readLimitsWith(OrgLimits limits) {
    }

    /** A call's outcome, for readiness: {@code problem} null when the org answered, else what went wrong. */
    void answered(String system, String problem);
}
