package io.syncline.connector.salesforce;

/**
 * Some records of a batch could not be settled by its sObject Collections calls: Salesforce
 * refused them or asked to wait, or they are new with no external id to upsert by. The batch is
 * rolled back and each of its events applied on its own; the records the calls wrote are not
 * written again ({@link io.syncline.connector.spi.BatchOutcomes}), a refused one becomes a dead letter at once with
 * Salesforce's errorCode, and a new one is created alone, its id linked before anything else.
 */
public class RecordsLeftToApplyAloneException extends RuntimeException {

    public RecordsLeftToApplyAloneException(int refused, int retried, int created) {
        super("Of the batch's records, Salesforce refused " + refused + ", asked to retry " + retried
                + ", and " + created + " are new without an external id: each event is applied on its own");
    }
}
