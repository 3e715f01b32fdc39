package io.syncline.reconcile;

/**
 * A reconciliation asked of the embedded state store: runs stage their pulls with PostgreSQL's
 * binary COPY into per-run partitions (docs/adr/0001-embedded-state-store.md).
 */
public class EmbeddedStoreException extends RuntimeException {

    public EmbeddedStoreException() {
        super("Reconciliation needs a PostgreSQL state store: it stages its pulls with PostgreSQL's COPY into per-run"
                + " partitions, and the state store is the embedded H2 database. Set QUARKUS_DATASOURCE_JDBC_URL to"
                + " jdbc:postgresql://host:5432/database");
    }
}
