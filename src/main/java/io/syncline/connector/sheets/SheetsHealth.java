package io.syncline.connector.sheets;

import io.syncline.connector.spi.SystemHealth;
import io.syncline.model.SystemDefinition;

import java.util.Map;

/**
 * Each Google Sheets system of the model, in readiness details, as this replica's last call found
 * it: {@code system.<name>.connection} is {@code connected}, {@code not called yet}, the service
 * account refused (its key, or a spreadsheet not shared with it) or unreachable.
 */
final class SheetsHealth implements SystemHealth {

    static final String NAME = "syncline-google-sheets";

    private final SheetsComponents components;

    SheetsHealth(SheetsComponents components) {
        this.components = components;
    }

    @Override
    public String check() {
        return NAME;
    }

    @Override
    public Map<String, Object> details(String system, SystemDefinition definition) {
        String state = components.states().get(system);
        return Map.of("system." + system + ".connection", state == null ? "not called yet" : state.isEmpty() ? "connected" : state);
    }
}
