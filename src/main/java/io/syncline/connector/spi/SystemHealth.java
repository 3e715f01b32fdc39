package io.syncline.connector.spi;

import io.syncline.model.SystemDefinition;

import java.util.Map;
import java.util.function.BiFunction;

/**
 * A type's part of readiness: one check of its own name, always UP, with details for each system
 * of the type as this replica's last call found it ({@code system.<name>.connection}). The
 * connector's readiness asks it for each system of the model of its type, in name order.
 */
public interface SystemHealth {

    /** The readiness check's name ({@code syncline-salesforce}). */
    String check();

    /** The details of the model's system {@code system}, of this type: key to value, in order. */
    Map<String, Object> details(String system, SystemDefinition definition);

    /** The check {@code check}, each system's details as {@code details} gives them. */
    static SystemHealth of(String check, BiFunction<String, SystemDefinition, Map<String, Object>> details) {
        return new SystemHealth() {

            @Override
            public String check() {
                return check;
            }

            @Override
            public Map<String, Object> details(String system, SystemDefinition definition) {
                return details.apply(system, definition);
            }
        };
    }
}
