package io.syncline.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A relational database: a named Quarkus datasource ({@code datasource: billing}, configured
 * with {@code quarkus.datasource.billing.*}; {@code default} is the state store) or a JDBC URL
 * with credentials from the environment, for which Syncline keeps a small pool of its own.
 * The URL may be written literally ({@code url: jdbc:mariadb://erp-db:3306/erp}) or taken from
 * the environment ({@code url: {env: ERP_JDBC_URL}}) when it differs between deployments or
 * carries options that should not be in the model.
 */
@RegisterForReflection
@JsonIgnoreProperties({"type"})
public record JdbcSystem(String datasource, SecretRef url, SecretRef username, SecretRef password) implements SystemDefinition {

    public static final String TYPE = "jdbc";

    @Override
    public String type() {
        return TYPE;
    }

    /** The credentials; the URL is checked on its own because it may be written literally. */
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
