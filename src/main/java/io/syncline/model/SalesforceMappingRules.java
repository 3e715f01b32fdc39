package io.syncline.model;

import java.util.regex.Pattern;

/**
 * What a mapping needs to be queried in Salesforce: an object, and a key and field paths that are
 * SOQL field names. They go into the SOQL text itself (SOQL has no bind parameters), so nothing
 * but API names and relationship paths is let through.
 */
final class SalesforceMappingRules {

    /** An API name: {@code Contact}, {@code Member__c}, {@code ns__Thing__c}. */
    private static final Pattern API_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    /** A field or a relationship path: {@code Email}, {@code Account.Name}. */
    private static final Pattern FIELD_PATH = Pattern.compile("[A-Za-z][A-Za-z0-9_]*(\\.[A-Za-z][A-Za-z0-9_]*){0,4}");

    private SalesforceMappingRules() {
    }

    static void check(String path, SystemMapping mapping, SystemDefinition system, ProblemReporter problems) {
        if (system == null || system instanceof PluggedSystem) {
            return; // reported already
        }
        if (!(system instanceof SalesforceSystem)) {
            if (mapping.sobject() != null) {
                problems.report(path + ".sobject", "sobject is for Salesforce systems only",
                        "remove sobject (a JDBC mapping names its table, a REST mapping its resource)");
            }
            return;
        }
        if (mapping.sobject() != null && !API_NAME.matcher(mapping.sobject()).matches()) {
            problems.report(path + ".sobject", "sobject '" + mapping.sobject() + "' is not a Salesforce API name",
                    "write the object's API name, e.g. sobject: Contact or sobject: Member__c");
        }
        if (mapping.key() != null && !FIELD_PATH.matcher(mapping.key()).matches()) {
            problems.report(path + ".key", "key '" + mapping.key() + "' is not a Salesforce field name",
                    "write a field's API name, e.g. key: Id or key: External_Id__c");
        }
        for (int i = 0; i < mapping.fields().size(); i++) {
            FieldMapping field = mapping.fields().get(i);
            if (field.path() != null && !FIELD_PATH.matcher(field.path()).matches()) {
                problems.report(path + ".fields[" + i + "].path", "path '" + field.path() + "' is not a Salesforce field name",
                        "write a field's API name or a relationship path, e.g. Email or Account.Name");
            }
        }
    }
}
