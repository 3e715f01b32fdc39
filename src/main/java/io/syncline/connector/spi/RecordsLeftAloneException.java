package io.syncline.connector.spi;

/**
 * Some records of a batch were not settled by its batch calls: the provider refused them, asked
 * to wait or gave no result for them, or they are creates and deletes, which go alone. The batch
 * is rolled back and each of its events applied on its own; the records the calls wrote are not
 * written again ({@link BatchOutcomes}), and a refused one becomes a dead letter at once with the
 * provider's words.
 */
public class RecordsLeftAloneException extends RuntimeException {

    public RecordsLeftAloneException(String provider, int left, int alone) {
        super("Of the batch's records, " + (left - alone) + " were not written by " + provider + "'s batch calls and " + alone
                + " are creates or deletes: each event is applied on its own");
    }
}
