package io.syncline.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The world of the Salesforce target flows: a {@link SalesforceStub} org whose contacts need a
 * last name and take a CRM id as their external id ({@code Crm_Id__c}), a routes folder that
 * targets it (the files of {@code src/test/resources/salesforce-routes} with the stub's address
 * written over {@value #PLACEHOLDER}), the connected app's client id and secret in
 * {@code SF_CLIENT_ID} and {@code SF_CLIENT_SECRET}, and a fresh PostgreSQL database of its own
 * ({@link #DATABASE_URL}), or the folder and database its init args name. The stub is injected into test fields of type {@link SalesforceStub}.
 */
public class SalesforceStubResource implements QuarkusTestResourceLifecycleManager {

    static final String PLACEHOLDER = "http://salesforce.stub.invalid";
    /** Init args: another routes folder to copy, and another database (its name's suffix). */
    public static final String ROUTES = "routes";
    public static final String DATABASE = "database";
    /** Init arg: the objects (comma-separated) the org has enabled for Change Data Capture. */
    public static final String CHANGE_DATA_CAPTURE = "changeDataCapture";
    /**
     * Init arg "true": the alert notifier tells a Slack stub (injected into the test), evaluating
     * every 250 ms, telling every change, and a capture no replica reads is stopped after 6 s.
     */
    public static final String ALERTS = "alerts";
    public static final String DATABASE_URL = TestDatabase.siblingUrl("_salesforce_flow");

    private Path template = Path.of("src/test/resources/salesforce-routes");
    private String databaseUrl = DATABASE_URL;
    private SalesforceStub stub;
    private Path routes;
    private String captured = "";
    private boolean alerts;
    private SlackStub slack;

    @Override
    public void init(Map<String, String> initArgs) {
        if (initArgs.containsKey(ROUTES)) {
            template = Path.of(initArgs.get(ROUTES));
        }
        if (initArgs.containsKey(DATABASE)) {
            databaseUrl = TestDatabase.siblingUrl(initArgs.get(DATABASE));
        }
        captured = initArgs.getOrDefault(CHANGE_DATA_CAPTURE, "");
        alerts = Boolean.parseBoolean(initArgs.get(ALERTS));
    }

    @Override
    public Map<String, String> start() {
        TestDatabase.ensureDatabase(databaseUrl, true);
        try {
            stub = new SalesforceStub();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        stub.fields("Contact", "Crm_Id__c", "Email", "FirstName", "LastName", "AccountId");
        stub.fields("Account", "Name", "Ext_Id__c");
        stub.relationship("Contact", "Account", "AccountId", "Account");
        stub.required("Contact", "LastName");
        stub.unique("Contact", "Email");
        for (String sobject : captured.split(",")) {
            if (!sobject.isBlank()) {
                stub.changeDataCapture(sobject.trim());
                stub.streamingHold(java.time.Duration.ofSeconds(1));
            }
        }
        routes = RouteFolders.copyWithAddress(template, PLACEHOLDER, stub.baseUrl());
        Map<String, String> settings = new HashMap<>(Map.of("syncline.routes.location", routes.toString(),
                "SF_CLIENT_ID", SalesforceStub.CLIENT_ID, "SF_CLIENT_SECRET", SalesforceStub.CLIENT_SECRET,
                "quarkus.datasource.jdbc.url", databaseUrl,
                "quarkus.datasource.username", TestDatabase.user(),
                "quarkus.datasource.password", TestDatabase.password()));
        if (alerts) {
            try {
                slack = new SlackStub();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            settings.putAll(Map.of("syncline.alerts.slack-url", slack.url(),
                    "syncline.alerts.interval", "250ms",
                    "syncline.alerts.min-interval", "0s",
                    "syncline.alerts.capture-stopped", "6s",
                    "syncline.alerts.capture-lag", "60s"));
        }
        return settings;
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(stub, new TestInjector.MatchesType(SalesforceStub.class));
        if (slack != null) {
            testInjector.injectIntoFields(slack, new TestInjector.MatchesType(SlackStub.class));
        }
    }

    @Override
    public void stop() {
        stub.close();
        if (slack != null) {
            slack.close();
        }
        RouteFolders.delete(routes);
    }
}
