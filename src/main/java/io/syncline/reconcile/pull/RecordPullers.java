package io.syncline.reconcile.pull;

import io.syncline.model.JdbcSystem;
import io.syncline.model.RestSystem;
import io.syncline.model.SalesforceSystem;
import io.syncline.model.SystemDefinition;

/** The puller for a kind of system; a kind without one fails fast, naming it. */
public final class RecordPullers {

    private final RecordPuller jdbc;
    private final RecordPuller rest;
    private final RecordPuller salesforce;

    public RecordPullers(RecordPuller jdbc, RecordPuller rest, RecordPuller salesforce) {
        this.jdbc = jdbc;
        this.rest = rest;
        this.salesforce = salesforce;
    }

    public RecordPuller forSystem(String name, SystemDefinition system) {
        if (system instanceof JdbcSystem) {
            return jdbc;
        }
        if (system instanceof RestSystem) {
            return rest;
        }
        if (system instanceof SalesforceSystem) {
            return salesforce;
        }
        throw new IllegalArgumentException("System '" + name + "' is of a kind reconciliation cannot pull ("
                + (system == null ? "undeclared" : system.getClass().getSimpleName()) + "); jdbc, rest and salesforce systems can be pulled");
    }
}
