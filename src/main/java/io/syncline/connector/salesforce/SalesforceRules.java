package io.syncline.connector.salesforce;

import io.syncline.connector.spi.SettingsRules;
import io.syncline.model.CaptureSpec;
import io.syncline.model.Environment;
import io.syncline.model.FieldMapping;
import io.syncline.model.ProblemReporter;
import io.syncline.model.SystemDefinition;
import io.syncline.model.SystemMapping;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static io.syncline.connector.spi.SettingChecks.isHttpUrl;
import static io.syncline.connector.spi.SettingChecks.positive;
import static io.syncline.connector.spi.SettingChecks.rateLimit;
import static io.syncline.connector.spi.SettingChecks.require;

/**
 * What a Salesforce system needs to be usable, and what its mappings, pulls and captures need.
 * A mapping's object, key and field paths go into the SOQL text itself (SOQL has no bind
 * parameters), so nothing but API names and relationship paths is let through.
 */
final class SalesforceRules extends SettingsRules<SalesforceSettings> {

    static final SalesforceRules RULES = new SalesforceRules();

    /** An API name: {@code Contact}, {@code Member__c}, {@code ns__Thing__c}. */
    private static final Pattern API_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    /** A field or a relationship path: {@code Email}, {@code Account.Name}. */
    private static final Pattern FIELD_PATH = Pattern.compile("[A-Za-z][A-Za-z0-9_]*(\\.[A-Za-z][A-Za-z0-9_]*){0,4}");

    /** A Change Data Capture channel: an object's ({@code /data/ContactChangeEvent}) or a custom one ({@code /data/Sync__chn}). */
    private static final String CHANNEL = "/data/[A-Za-z][A-Za-z0-9_]{0,79}";

    private SalesforceRules() {
        super(SalesforceSettings.class);
    }

    @Override
    public boolean namesParentsByExternalId() {
        return true;
    }

    @Override
    public Set<String> mappingKeys() {
        return Set.of("sobject");
    }

    @Override
    public Map<String, KeyMisuse> ownMappingKeys() {
        return Map.of("sobject", new KeyMisuse("sobject is for Salesforce systems only",
                "remove sobject (a JDBC mapping names its table, a REST mapping its resource)"));
    }

    @Override
    public void validateMapping(String path, String entity, SystemMapping mapping, SystemDefinition system,
            ProblemReporter problems) {
        String sobject = mapping.settings(SalesforceMappingSettings.class, path, problems).sobject();
        if (sobject != null && !API_NAME.matcher(sobject).matches()) {
            problems.report(path + ".sobject", "sobject '" + sobject + "' is not a Salesforce API name",
                    "write the object's API name, e.g. sobject: Contact or sobject: Member__c");
        }
        if (mapping.key() != null && !FIELD_PATH.matcher(mapping.key()).matches()) {
            problems.report(path + ".key", "key '" + mapping.key() + "' is not a Salesforce field name",
                    "write a field's API name, e.g. key: Id or key: External_Id__c");
        }
        for (int i = 0; i < mapping.fields().size(); i++) {
            FieldMapping field = mapping.fields().get(i);
            if (field.externalId() != null) {
                checkRelationship(path + ".fields[" + i + "]", field, problems);
            } else if (field.path() != null && !FIELD_PATH.matcher(field.path()).matches()) {
                problems.report(path + ".fields[" + i + "].path", "path '" + field.path() + "' is not a Salesforce field name",
                        "write a field's API name or a relationship path, e.g. Email or Account.Name");
            }
        }
    }

    /** A reference written by its parent's external id: the relationship's name and the parent's field, each an API name. */
    private static void checkRelationship(String at, FieldMapping field, ProblemReporter problems) {
        if (field.path() != null && !API_NAME.matcher(field.path()).matches()) {
            problems.report(at + ".path", "path '" + field.path() + "' is not a relationship name: with externalId, the path"
                    + " names the relationship and externalId the parent's field",
                    "write the relationship's name, e.g. path: Account (a custom lookup's is Company__r), and externalId: Ext_Id__c");
        }
        if (!API_NAME.matcher(field.externalId()).matches()) {
            problems.report(at + ".externalId", "externalId '" + field.externalId() + "' is not a Salesforce field name",
                    "write the API name of the parent's External ID field, e.g. externalId: Ext_Id__c");
        }
    }

    @Override
    public boolean validatePull(String at, String system, SystemMapping mapping, SystemDefinition definition,
            ProblemReporter problems) {
        return named(at, SalesforceMappingSettings.of(mapping).sobject(), "the Salesforce mapping of '" + system
                + "' names no sobject to query", "add sobject: <API name of the object>, e.g. sobject: Contact", problems);
    }

    @Override
    public boolean validateCapture(String path, CaptureSpec capture, SystemMapping mapping, ProblemReporter problems) {
        checkChannel(path, capture, mapping, problems);
        return true;
    }

    /**
     * One capture per channel of an org: Camel's Salesforce consumer keeps the replay id it resumes
     * from per channel name, for every org of the process.
     */
    @Override
    public String captureChannel(CaptureSpec capture, SystemMapping mapping) {
        String sobject = SalesforceMappingSettings.of(mapping).sobject();
        return sobject == null ? null : capture.channelOrDefault(sobject);
    }

    private static void checkChannel(String path, CaptureSpec spec, SystemMapping mapping, ProblemReporter problems) {
        Map<String, Object> databaseOnly = new LinkedHashMap<>();
        databaseOnly.put("table", spec.table());
        databaseOnly.put("slot", spec.slot());
        databaseOnly.put("publication", spec.publication());
        databaseOnly.put("serverId", spec.serverId());
        databaseOnly.put("snapshot", spec.snapshot());
        databaseOnly.forEach((option, value) -> {
            if (value != null) {
                problems.report(path + "." + option, option + " is for a database's capture",
                        "remove " + option + ": a Salesforce org's changes come from a Change Data Capture channel (channel:)");
            }
        });
        if (SalesforceMappingSettings.of(mapping).sobject() == null) {
            problems.report(path, "no sobject whose changes to capture", "add sobject: <the object's API name> to the mapping");
        }
        if (spec.channel() != null && !spec.channel().matches(CHANNEL)) {
            problems.report(path + ".channel", "'" + spec.channel() + "' is not a Change Data Capture channel",
                    "write /data/<Object>ChangeEvent (/data/ContactChangeEvent, /data/Foo__ChangeEvent) or a custom /data/<Name>__chn,"
                            + " or leave channel out for the object's own");
        }
    }

    @Override
    protected void check(String path, SalesforceSettings salesforce, Environment environment, ProblemReporter problems) {
        if (salesforce.loginUrl() == null || !isHttpUrl(salesforce.loginUrl())) {
            problems.report(path + ".loginUrl", "a Salesforce system needs its loginUrl", "write loginUrl: https://login.salesforce.com");
        }
        require(path, "clientId", salesforce.clientId(), problems);
        switch (salesforce.authOrDefault()) {
            case CLIENT_CREDENTIALS -> require(path, "clientSecret", salesforce.clientSecret(), problems);
            case REFRESH_TOKEN -> {
                require(path, "clientSecret", salesforce.clientSecret(), problems);
                require(path, "refreshToken", salesforce.refreshToken(), problems);
            }
            case USERNAME_PASSWORD -> {
                require(path, "clientSecret", salesforce.clientSecret(), problems);
                require(path, "username", salesforce.username(), problems);
                require(path, "password", salesforce.password(), problems);
            }
            case JWT_BEARER -> {
                require(path, "username", salesforce.username(), problems);
                require(path, "keystore", salesforce.keystore(), problems);
                require(path, "keystorePassword", salesforce.keystorePassword(), problems);
            }
        }
        if (salesforce.apiVersion() != null && !salesforce.apiVersion().matches("[vV]?\\d+\\.\\d")) {
            problems.report(path + ".apiVersion", "apiVersion '" + salesforce.apiVersion() + "' is not a Salesforce API version",
                    "write apiVersion: \"" + SalesforceSettings.DEFAULT_API_VERSION + "\" (quoted), or leave it out");
        }
        if (salesforce.rateLimit() != null) {
            rateLimit(path + ".rateLimit", salesforce.rateLimit().requestsPerSecond(), salesforce.rateLimit().burst(), problems);
        }
        positive(path, "dailyCallBudget", salesforce.dailyCallBudget(), "write dailyCallBudget: 50000, or leave it out for no budget",
                problems);
        positive(path, "bulkAbove", salesforce.bulkAbove(), "write bulkAbove: 10000, or leave it out to pull by REST alone",
                problems);
        positive(path, "bulkPageSize", salesforce.bulkPageSize(), "write bulkPageSize: 50000, or leave it out", problems);
        positive(path, "bulkWriteAbove", salesforce.bulkWriteAbove(), "write bulkWriteAbove: "
                + SalesforceSettings.DEFAULT_BULK_WRITE_ABOVE + ", or leave it out", problems);
    }
}
