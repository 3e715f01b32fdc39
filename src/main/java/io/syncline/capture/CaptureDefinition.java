package io.syncline.capture;

import java.util.Properties;

/**
 * What one capture is made of: where its changes go (its inbox route and the apply endpoint) and
 * its engine's settings. Two definitions are equal when a running capture needs no restart.
 *
 * @param keyPath        the mapping's key column
 * @param deletedFlag    the path a captured deletion sets true
 * @param modifiedAtPath the column of the entity's modification time in the system; null when it holds none
 */
record CaptureDefinition(String name, String entity, String system, String routeId, String applyEndpoint, String keyPath,
        String deletedFlag, String modifiedAtPath, Properties settings) {

    @Override
    public String toString() {
        // the settings hold the database password
        return "CaptureDefinition[" + name + ", " + system + " -> " + applyEndpoint + "]";
    }
}
