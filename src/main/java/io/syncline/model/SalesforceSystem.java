package io.syncline.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.LinkedHashMap;
import java.util.Map;

/** A Salesforce org, reached with OAuth 2.0 (refresh token or client credentials flow). */
@RegisterForReflection
public record SalesforceSystem(String loginUrl, String apiVersion, SecretRef clientId, SecretRef clientSecret,
                               SecretRef refreshToken) implements SystemDefinition {

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
