package io.syncline.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Salesforce org, reached with OAuth 2.0: the refresh token flow when {@code refreshToken} is
 * given, else the client credentials flow (whose {@code loginUrl} is the org's My Domain).
 *
 * @param apiVersion REST API version, {@value #DEFAULT_API_VERSION} when left out
 * @param rateLimit  requests per second this system may be sent, sparing the org's daily API allowance
 */
@RegisterForReflection
@JsonIgnoreProperties({"type"})
public record SalesforceSystem(String loginUrl, String apiVersion, SecretRef clientId, SecretRef clientSecret,
                               SecretRef refreshToken, RestSystem.RateLimit rateLimit) implements SystemDefinition {

    public static final String TYPE = "salesforce";

    @Override
    public String type() {
        return TYPE;
    }

    public static final String DEFAULT_API_VERSION = "62.0";

    /** The API version in force, without a leading {@code v}. */
    public String apiVersionOrDefault() {
        return apiVersion == null ? DEFAULT_API_VERSION : apiVersion.replaceFirst("^[vV]", "");
    }

    @Override
    public Map<String, SecretRef> secrets() {
        Map<String, SecretRef> secrets = new LinkedHashMap<>();
        if (clientId != null) {
            secrets.put("clientId", clientId);
        }
        if (clientSecret != null) {
            secrets.put("clientSecret", clientSecret);
        }
        if (refreshToken != null) {
            secrets.put("refreshToken", refreshToken);
        }
        return secrets;
    }
}
