package io.syncline.model;

/**
 * What a system type can do (docs/reference/system-types.md). A type declares its abilities; the
 * model validator refuses at start-up a model that needs one its system's type lacks.
 */
public enum Ability {

    /** Read every record of an entity, page by page: reconciliation's pulls. */
    READ_PAGES,
    /**
     * Read the records changed after a watermark (modification time, then key), page by page in
     * that order: change polling and incremental reads of systems without webhooks.
     */
    READ_CHANGES,
    /**
     * Read the system's own stream of committed changes (inserts, updates and deletes, in commit
     * order) from a position kept by Syncline: change data capture, needing no timestamp column.
     */
    CAPTURE_CHANGES,
    /** Read one record by its id, in the system's shape: record status, subject access, erasure planning. */
    FETCH,
    /**
     * Read a record's current values before writing it, for the conflict processor and record
     * status; without it, a target is compared with what Syncline last wrote there.
     */
    READ_BACK,
    /** Find the records that may be a given one, by the entity's match rules: matching before a create. */
    SEARCH,
    /** Create, update and delete records: a target of real-time apply and of reconciliation's auto-fix. */
    WRITE,
    /** Write a batch of events' records set-based, in one transaction with their record state and audit. */
    BATCH_WRITE,
    /**
     * Write inside a database transaction that the apply path commits or rolls back with the
     * state store's (a table's): a backfill's page is applied to such a target in the page's own
     * transaction, where a rolled-back attempt leaves nothing behind in it.
     */
    TRANSACTIONAL_WRITE,
    /** Delete or anonymise a person's record: privacy erasure. */
    ERASE;

    /** How a problem or a document names it: {@code read pages}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
