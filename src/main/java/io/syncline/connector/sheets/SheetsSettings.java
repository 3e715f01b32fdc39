package io.syncline.connector.sheets;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.connector.spi.RateLimit;
import io.syncline.model.SystemDefinition;

import java.util.Map;

/**
 * A {@code type: google-sheets} system's own settings (docs/connectors/google-sheets.md):
 * the spreadsheet, the environment variable holding the service account's JSON key, the API's
 * root URL (Google's unless a test says otherwise) and the pace of requests, at most one a second
 * unless said otherwise (Sheets allows 60 reads and 60 writes a minute per user and project).
 */
record SheetsSettings(String spreadsheetId, String credentialsEnv, String rootUrl, RateLimit rateLimit) {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String GOOGLE_ROOT_URL = "https://sheets.googleapis.com/";
    static final RateLimit QUOTA = new RateLimit(1.0, 1);

    /**
     * @throws IllegalArgumentException a setting is missing or malformed, named with the fix
     */
    static SheetsSettings of(String system, SystemDefinition definition) {
        return definition.settings(SheetsSettings.class, written -> read(system, written));
    }

    @SuppressWarnings("unchecked")
    private static SheetsSettings read(String system, SystemDefinition definition) {
        Map<String, Object> settings = JSON.convertValue(definition.settings(), Map.class);
        if (!(settings.get("spreadsheetId") instanceof String spreadsheet) || spreadsheet.isBlank()) {
            throw new IllegalArgumentException("System '" + system + "' (google-sheets) names no spreadsheetId: add"
                    + " spreadsheetId: <the id in the sheet's URL, between /d/ and /edit>");
        }
        if (!(settings.get("credentials") instanceof Map<?, ?> credentials) || !(credentials.get("env") instanceof String env)) {
            throw new IllegalArgumentException("System '" + system + "' (google-sheets) names no credentials: add"
                    + " credentials: {env: <variable holding the service account's JSON key>}");
        }
        String root = settings.get("rootUrl") instanceof String url ? url : GOOGLE_ROOT_URL;
        return new SheetsSettings(spreadsheet, env, root.endsWith("/") ? root : root + "/", rateLimit(system, settings.get("rateLimit")));
    }

    private static RateLimit rateLimit(String system, Object value) {
        if (value == null) {
            return QUOTA;
        }
        if (value instanceof Map<?, ?> limit && limit.get("requestsPerSecond") instanceof Number perSecond
                && (limit.get("burst") == null || limit.get("burst") instanceof Number)) {
            return new RateLimit(perSecond.doubleValue(),
                    limit.get("burst") == null ? 1 : ((Number) limit.get("burst")).intValue());
        }
        throw new IllegalArgumentException("System '" + system + "' (google-sheets): rateLimit is not {requestsPerSecond: <n>,"
                + " burst: <n>}");
    }
}
