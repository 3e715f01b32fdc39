package io.syncline.connector;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.model.EraseSpec;

import java.util.Map;

/**
 * How to erase one record: {@code hard} removes it; {@code anonymise} empties {@code emptied}
 * (canonical field to the system's path) and keeps the record.
 */
@RegisterForReflection
public record Erasure(EraseSpec.Mode mode, Map<String, String> emptied) {

    public Erasure {
        emptied = Map.copyOf(emptied);
    }
}
