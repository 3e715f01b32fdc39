package io.syncline.connector.spi;

import io.syncline.model.SystemDefinition;

/** The puller of a system of the model: its type's ({@code SystemType#puller}). */
@FunctionalInterface
public interface RecordPullers {

    /** @throws UnsupportedOperationException the system's type cannot read pages (the model validator refuses such a job) */
    RecordPuller forSystem(String name, SystemDefinition system);
}
