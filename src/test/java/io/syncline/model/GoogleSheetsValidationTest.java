package io.syncline.model;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Google Sheets mapping's {@code resource} is the range of the sheet that holds the entity: a
 * mapping without one, or with one that is no range in A1 notation, is refused at start-up with
 * its file, line and fix, not at the first call to the sheet.
 */
class GoogleSheetsValidationTest {

    private static final Environment SECRETS = name -> "set";

    /** Three sheets of one entity: one mapping without its range, one whose range is none, one sound. */
    private static final String MODEL = """
            systems:
              crm: {type: jdbc, datasource: crm}
              members: {type: google-sheets, spreadsheetId: 1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms, credentials: {env: KEY}}
              leads: {type: google-sheets, spreadsheetId: 1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms, credentials: {env: KEY}}
              accounts: {type: google-sheets, spreadsheetId: 1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms, credentials: {env: KEY}}
            entities:
              contact:
                master: crm
                key: id
                modifiedAt: at
                fields: {id: {type: string}, at: {type: timestamp}}
                polls: {crm: {schedule: "0/30 * * * * ?"}}
                mappings:
                  crm: {key: id, table: people, fields: [{field: id, path: id}, {field: at, path: at}]}
                  members: {key: id, fields: [{field: id, path: id}]}
                  leads: {key: id, resource: "Leads!F1:B", fields: [{field: id, path: id}]}
                  accounts: {key: id, resource: "'Open accounts'!A2:H", fields: [{field: id, path: id}]}
            """;

    @Test
    void aMappingWithoutARangeOfItsSheetIsRefusedWithItsLineAndFix() {
        List<ModelProblem> problems = ModelValidationTest.problems(SECRETS, new ModelFile("file:models/sheets.syncline.yaml",
                MODEL.getBytes(StandardCharsets.UTF_8)));

        assertThat(problems).extracting(ModelProblem::toString).containsExactlyInAnyOrder(
                "file:models/sheets.syncline.yaml:15 at entities.contact.mappings.members: a Google Sheets mapping needs the"
                        + " range of the sheet that holds contact. Fix: add resource: Contacts (the sheet's name) or resource:"
                        + " Contacts!A1:F (the table's first cell and last column, the column names in its first row)",
                "file:models/sheets.syncline.yaml:16 at entities.contact.mappings.leads.resource: resource 'Leads!F1:B' is not"
                        + " the range of a sheet's table in A1 notation. Fix: write resource: Contacts (the sheet's name) or"
                        + " resource: Contacts!A1:F (the table's first cell and last column, the column names in its first row)");
    }
}
