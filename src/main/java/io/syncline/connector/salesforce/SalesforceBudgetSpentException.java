package io.syncline.connector.salesforce;

import io.syncline.failure.TargetPausedException;

import java.time.Instant;

/**
 * No call was made: the org's daily call budget is spent, or Salesforce said its own allowance
 * is ({@code REQUEST_LIMIT_EXCEEDED}). Calls resume at {@link #until()}, the next UTC midnight;
 * real-time events wait in the inbox until then.
 */
public final class SalesforceBudgetSpentException extends TargetPausedException {

    public SalesforceBudgetSpentException(String system, Instant until, String message) {
        super(system, until, message);
    }
}
