package io.syncline.status;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;
import java.util.Map;

/**
 * The record in one system.
 *
 * @param current     whether it is current with its master (see {@link RecordStatusService})
 * @param reasons     why not, one line each
 * @param differences field to the master's and this system's value, where they differ
 * @param values      its values in canonical form; null when it has none
 * @param valuesFrom  {@code live} (read from the system now), {@code record_state} (what Syncline last knew) or {@code unknown}
 * @param lastSync    what Syncline last synced there; null when never
 */
@RegisterForReflection
public record SystemStatus(String system, String id, boolean master, boolean current, List<String> reasons,
        Map<String, Difference> differences, Map<String, Object> values, String valuesFrom,
        State lastSync) {
}
