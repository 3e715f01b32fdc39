package io.syncline.reconcile.pull;

import io.syncline.model.JdbcSystem;
import io.syncline.model.RestSystem;
import io.syncline.model.SystemDefinition;

/** The puller for a kind of system; a kind without one fails fast, naming it. */
public final class RecordPullers {

    private final RecordPuller jdbc;
    private final RecordPuller rest;

    public RecordPullers(RecordPuller jdbc, RecordPuller rest) {
        this.jdbc = jdbc;
        this.rest = rest;
    }

    public RecordPuller forSystem(String name, SystemDefinition system) {
        if (system instanceof JdbcSystem) {
            return jdbc;
        }
        if (system instanceof RestSystem) {
            return rest;
        }
        throw new IllegalArgumentException("System '" + name + "' is of a kind reconciliation cannot pull ("
                + (system == null ? "undeclared" : system.getClass().getSimpleName()) + "); jdbc and rest systems can be pulled");
    }
}
