package io.syncline.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The world of the Google Sheets flows: a {@link GoogleSheetsStub} with a tab {@code Contacts}
 * (header row {@code id, email, name}) and a tab {@code Open leads} (a title, a blank row, then
 * the header {@code lead_no, company, seats, notes} from B3), the routes of
 * {@code src/test/resources/google-sheets-routes} with the stub's address written over
 * {@value #PLACEHOLDER}, the stub's service account key in {@code GOOGLE_SHEETS_KEY}, and a
 * PostgreSQL database of its own ({@link #DATABASE_URL}) holding the CRM's tables. The stub is
 * injected into test fields of its type.
 */
public class GoogleSheetsStubResource implements QuarkusTestResourceLifecycleManager {

    static final String PLACEHOLDER = "http://sheets.stub.invalid/";
    public static final String DATABASE_URL = TestDatabase.siblingUrl("_google_sheets");

    private GoogleSheetsStub stub;
    private Path routes;

    @Override
    public Map<String, String> start() {
        TestDatabase.ensureDatabase(DATABASE_URL, true);
        try (var connection = TestDatabase.connect(DATABASE_URL); var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE sheet_crm_contact (id VARCHAR(64) PRIMARY KEY, email VARCHAR(200), name VARCHAR(200),"
                    + " updated_at TIMESTAMP WITH TIME ZONE, deleted_at TIMESTAMP WITH TIME ZONE)");
            statement.execute("CREATE TABLE sheet_crm_lead (id VARCHAR(64) PRIMARY KEY, company VARCHAR(200), seats INTEGER)");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        stub = GoogleSheetsStub.start();
        stub.sheet("Contacts", List.of(List.of("id", "email", "name")));
        stub.sheet("Open leads", List.of(List.of("", "Leads to call"), List.of(), List.of("", "lead_no", "company", "seats", "notes")));
        routes = RouteFolders.copyWithAddress(Path.of("src/test/resources/google-sheets-routes"), PLACEHOLDER, stub.baseUrl());
        return Map.of("syncline.routes.location", routes.toString(), "GOOGLE_SHEETS_KEY", stub.serviceAccountKey(),
                "quarkus.datasource.jdbc.url", DATABASE_URL,
                "quarkus.datasource.username", TestDatabase.user(),
                "quarkus.datasource.password", TestDatabase.password());
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(stub, new TestInjector.MatchesType(GoogleSheetsStub.class));
    }

    @Override
    public void stop() {
        stub.close();
        RouteFolders.delete(routes);
    }
}
