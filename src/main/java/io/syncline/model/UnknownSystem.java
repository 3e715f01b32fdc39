package io.syncline.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.Map;

/**
 * Stands in for a system whose {@code type} is unknown, so that reading the model carries on
 * and every other problem is reported too. The unknown type is already a problem of its own.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UnknownSystem() implements SystemDefinition {

    @Override
    public Map<String, SecretRef> secrets() {
        return Map.of();
    }
}
