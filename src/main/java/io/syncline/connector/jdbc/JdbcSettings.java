package io.syncline.connector.jdbc;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.connector.spi.SettingsRules;
import io.syncline.model.SecretRef;
import io.syncline.model.SystemDefinition;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@code type: jdbc} system's settings: a relational database, a named Quarkus datasource ({@code datasource: billing}, configured
 * with {@code quarkus.datasource.billing.*}; {@code default} is the state store) or a JDBC URL
 * with credentials from the environment, for which Syncline keeps a small pool of its own.
 * The URL may be written literally ({@code url: jdbc:mariadb://erp-db:3306/erp}) or taken from
 * the environment ({@code url: {env: ERP_JDBC_URL}}) when it differs between deployments or
 * carries options that should not be in the model.
 */
@RegisterForReflection
public record JdbcSettings(String datasource, SecretRef url, SecretRef username, SecretRef password) implements SettingsRules.Secrets {

    public static final String TYPE = "jdbc";

    /** The settings of {@code system}, bound once and kept on it. */
    public static JdbcSettings of(SystemDefinition system) {
        return system.settings(JdbcSettings.class);
    }

    /** Whether {@code system} is of this type. */
    public static boolean isOf(SystemDefinition system) {
        return system != null && TYPE.equals(system.type());
    }

    /** The credentials; the URL is checked on its own because it may be written literally. */
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
