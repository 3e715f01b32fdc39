package io.syncline.salesforce;

import io.syncline.model.SalesforceSystem;

/**
 * Where every call to a Salesforce org is reserved before it is made and its outcome noted:
 * {@link SalesforceCallBudget} counts calls per org, UTC day and kind in the state store and
 * refuses the one that would pass the org's {@code dailyCallBudget}. {@link #OPEN} counts nothing.
 */
public interface SalesforceCallGate {

    /** No budget, nothing counted: for pulls and clients made outside the application. */
    SalesforceCallGate OPEN = new SalesforceCallGate() {
        @Override
        public void reserve(String system, SalesforceSystem settings, String kind) {
        }

        @Override
        public SalesforceBudgetSpentException limitReached(String system, SalesforceSystem settings, String message) {
            return new SalesforceBudgetSpentException(system, SalesforceCallBudget.nextUtcMidnight(java.time.Clock.systemUTC()),
                    system + ": Salesforce answered REQUEST_LIMIT_EXCEEDED (" + message + ")");
        }

        @Override
        public void answered(String system, String problem) {
        }
    };

    /**
     * Reserves one call of {@code kind} ({@link SalesforceCallKinds}) to {@code system}.
     *
     * @throws SalesforceBudgetSpentException the day's budget is spent, or the org said its own allowance is
     */
    void reserve(String system, SalesforceSystem settings, String kind);

    /**
     * The org answered {@code REQUEST_LIMIT_EXCEEDED}: its own 24-hour allowance is spent, and
     * nothing more is sent to it before the next UTC midnight. Returns the failure to throw.
     */
    SalesforceBudgetSpentException limitReached(String system, SalesforceSystem settings, String message);

    /** A call's outcome, for readiness: {@code problem} null when the org answered, else what went wrong. */
    void answered(String system, String problem);
}
