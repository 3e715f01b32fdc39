package io.syncline.connector.sheets;

import io.syncline.model.ProblemReporter;
import io.syncline.model.SystemDefinition;
import io.syncline.model.SystemMapping;
import io.syncline.model.SystemTypeRules;

/**
 * What a Google Sheets mapping needs: its {@code resource}, the range of the sheet that holds the
 * entity in A1 notation ({@link SheetRange}), found at start-up rather than at the first call.
 */
final class SheetsRules implements SystemTypeRules {

    static final SheetsRules RULES = new SheetsRules();

    private static final String EXAMPLE = "resource: Contacts (the sheet's name) or resource: Contacts!A1:F (the table's first"
            + " cell and last column, the column names in its first row)";

    private SheetsRules() {
    }

    @Override
    public void validateMapping(String path, String entity, SystemMapping mapping, SystemDefinition system,
            ProblemReporter problems) {
        String resource = mapping.settings(SheetsMappingSettings.class, path, problems).resource();
        if (resource == null || resource.isBlank()) {
            problems.report(path, "a Google Sheets mapping needs the range of the sheet that holds " + entity, "add " + EXAMPLE);
            return;
        }
        try {
            SheetRange.parse(resource);
        } catch (IllegalArgumentException e) {
            problems.report(path + ".resource", "resource '" + resource + "' is not the range of a sheet's table in A1 notation", "write " + EXAMPLE);
        }
    }
}
