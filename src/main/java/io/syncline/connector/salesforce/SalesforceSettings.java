package io.syncline.connector.salesforce;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.connector.spi.RateLimit;
import io.syncline.connector.spi.SettingsRules;
import io.syncline.model.SecretRef;
import io.syncline.model.SystemDefinition;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@code type: salesforce} system's settings: a Salesforce org, reached with OAuth 2.0 through a connected app ({@code clientId}), by one of
 * four flows ({@link Auth}); {@code auth} left out is the refresh token flow when a
 * {@code refreshToken} is given, else the client credentials flow (whose {@code loginUrl} is the
 * org's My Domain).
 *
 * @param apiVersion       REST API version, {@value #DEFAULT_API_VERSION} when left out
 * @param rateLimit        requests per second this system may be sent, sparing the org's daily API allowance
 * @param auth             the OAuth flow
 * @param username         the integration user: the JWT bearer flow's subject, the username-password flow's user
 * @param password         the username-password flow's password, with the user's security token appended where the org asks for one
 * @param keystore         the JWT bearer flow's PKCS#12 file holding the one private key the connected app's certificate matches
 * @param keystorePassword that keystore's password
 * @param dailyCallBudget  calls Syncline may make to the org per UTC day, all replicas and kinds together
 *                         (logins included); never passed: work waits for the next UTC midnight. None when left out
 * @param bulkAbove        a reconciliation pull of more records than this goes through Bulk API 2.0 (a query
 *                         job read as CSV pages) instead of the REST query; left out, every pull is by REST
 * @param bulkPageSize     records in one page of a Bulk API 2.0 query job's results ({@code maxRecords}),
 *                         {@value #DEFAULT_BULK_PAGE_SIZE} when left out
 * @param bulkWriteAbove   a write batch holding more records than this for one object and operation goes
 *                         through a Bulk API 2.0 ingest job instead of sObject Collections calls,
 *                         {@value #DEFAULT_BULK_WRITE_ABOVE} when left out
 */
@RegisterForReflection
public record SalesforceSettings(String loginUrl, String apiVersion, SecretRef clientId, SecretRef clientSecret,
        SecretRef refreshToken, RateLimit rateLimit, Auth auth, SecretRef username,
        SecretRef password, String keystore, SecretRef keystorePassword, Long dailyCallBudget,
        Long bulkAbove, Integer bulkPageSize, Integer bulkWriteAbove) implements SettingsRules.Secrets {

    public static final String TYPE = "salesforce";
    public static final int DEFAULT_BULK_PAGE_SIZE = 50_000;
    /** An ingest job costs about seven calls whatever its size: the ten collection calls of 2,000 records cost more. */
    public static final int DEFAULT_BULK_WRITE_ABOVE = 2_000;

    /** A system without a call budget, pulled by REST alone. */
    public SalesforceSettings(String loginUrl, String apiVersion, SecretRef clientId, SecretRef clientSecret,
            SecretRef refreshToken, RateLimit rateLimit, Auth auth, SecretRef username,
            SecretRef password, String keystore, SecretRef keystorePassword) {
        this(loginUrl, apiVersion, clientId, clientSecret, refreshToken, rateLimit, auth, username, password, keystore,
                keystorePassword, null, null, null, null);
    }

    /** A system logged in by the refresh token or client credentials flow, as {@code auth} left out chooses. */
    public SalesforceSettings(String loginUrl, String apiVersion, SecretRef clientId, SecretRef clientSecret,
            SecretRef refreshToken, RateLimit rateLimit) {
        this(loginUrl, apiVersion, clientId, clientSecret, refreshToken, rateLimit, null, null, null, null, null, null, null,
                null, null);
    }

    /** The OAuth 2.0 flows a Salesforce connected app offers a server. */
    public enum Auth {
        @JsonProperty("client-credentials")
        CLIENT_CREDENTIALS,
        @JsonProperty("jwt-bearer")
        JWT_BEARER,
        @JsonProperty("refresh-token")
        REFRESH_TOKEN,
        @JsonProperty("username-password")
        USERNAME_PASSWORD
    }

    /** The settings of {@code system}, bound once and kept on it. */
    public static SalesforceSettings of(SystemDefinition system) {
        return system.settings(SalesforceSettings.class);
    }

    /** Whether {@code system} is of this type. */
    public static boolean isOf(SystemDefinition system) {
        return system != null && TYPE.equals(system.type());
    }

    public static final String DEFAULT_API_VERSION = "62.0";

    /** The API version in force, without a leading {@code v}. */
    public String apiVersionOrDefault() {
        return apiVersion == null ? DEFAULT_API_VERSION : apiVersion.replaceFirst("^[vV]", "");
    }

    /** The flow in force: the declared one, else refresh token when a refreshToken is given, else client credentials. */
    public Auth authOrDefault() {
        if (auth != null) {
            return auth;
        }
        return refreshToken != null ? Auth.REFRESH_TOKEN : Auth.CLIENT_CREDENTIALS;
    }

    /** Records in one page of a Bulk API 2.0 query job's results. */
    public int bulkPageSizeOrDefault() {
        return bulkPageSize == null ? DEFAULT_BULK_PAGE_SIZE : bulkPageSize;
    }

    /** Records of one object and operation in a write batch above which they go through an ingest job. */
    public int bulkWriteAboveOrDefault() {
        return bulkWriteAbove == null ? DEFAULT_BULK_WRITE_ABOVE : bulkWriteAbove;
    }

    /** Every secret the settings name, by its path under the system. */
    public Map<String, SecretRef> secrets() {
        Map<String, SecretRef> secrets = new LinkedHashMap<>();
        put(secrets, "clientId", clientId);
        put(secrets, "clientSecret", clientSecret);
        put(secrets, "refreshToken", refreshToken);
        put(secrets, "username", username);
        put(secrets, "password", password);
        put(secrets, "keystorePassword", keystorePassword);
        return secrets;
    }

    private static void put(Map<String, SecretRef> secrets, String key, SecretRef secret) {
        if (secret != null) {
            secrets.put(key, secret);
        }
    }
}
