package io.syncline.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A relational database: a named Quarkus datasource ({@code datasource: billing}, configured
 * with {@code quarkus.datasource.billing.*}) or a JDBC URL with credentials from the environment.
 */
@RegisterForReflection
public record JdbcSystem(String datasource, String url, SecretRef username, SecretRef password) implements SystemDefinition {

    @Override
    public Map<String, SecretRef> secrets() {
        Map<String, SecretRef> secrets = new LinkedHashMap<>();
        if (username != null) {
            secrets.put("username", username);
        }
        if (password != null) {
            secrets.put("password", password);
        }
        return secrets;
    }
}
