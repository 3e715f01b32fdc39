package io.syncline.reconcile;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.syncline.testsupport.SaasStub;
import io.syncline.testsupport.SalesforceStub;
import io.syncline.testsupport.SlackStub;
import io.syncline.testsupport.TestDatabase;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * The Quickstart's routes with the CRM pointed at an in-process HubSpot-contract stub, plus
 * reconciliation jobs between the CRM and billing's {@code demo_contact}, in a routes folder of
 * their own; a Slack-compatible webhook stub for notifications, and a stub Salesforce org (system
 * {@code sfdc}). Injects the stubs into the test.
 * The bisection jobs' second database ({@link #VAULT_URL}) is created here too.
 */
public class ReconcileFixture implements QuarkusTestResourceLifecycleManager {

    private SaasStub crm;
    private SlackStub slack;
    private SalesforceStub salesforce;

    @Override
    public Map<String, String> start() {
        try {
            crm = new SaasStub();
            slack = new SlackStub();
            salesforce = new SalesforceStub();
            Path folder = Files.createTempDirectory("syncline-reconcile-routes");
            try (var files = Files.list(Path.of("routes"))) {
                for (Path file : files.toList()) {
                    String text = Files.readString(file);
                    if (file.getFileName().toString().equals("contacts.syncline.yaml")) {
                        text = pointCrmAtStub(text, crm.baseUrl());
                    }
                    Files.writeString(folder.resolve(file.getFileName()), text);
                }
            }
            try (var in = ReconcileFixture.class.getResourceAsStream("/reconcile-routes/reconcile-test.syncline.yaml")) {
                Files.writeString(folder.resolve("reconcile-test.syncline.yaml"),
                        new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                                .replace("SALESFORCE_STUB_URL", salesforce.baseUrl()));
            }
            TestDatabase.ensureDatabase(TestDatabase.url(), false);
            TestDatabase.ensureDatabase(VAULT_URL, false);
            return Map.ofEntries(
                    Map.entry("quarkus.datasource.jdbc.url", TestDatabase.url()),
                    Map.entry("quarkus.datasource.username", TestDatabase.user()),
                    Map.entry("quarkus.datasource.password", TestDatabase.password()),
                    Map.entry("syncline.routes.location", folder.toString()),
                    Map.entry("RECONCILE_TEST_CRM_TOKEN", SaasStub.TOKEN),
                    Map.entry("RECONCILE_TEST_VAULT_URL", vaultUrlWithPassword()),
                    Map.entry("RECONCILE_TEST_VAULT_USER", TestDatabase.user()),
                    Map.entry("syncline.reconciliation.notification-url", slack.url()),
                    // the alert notifier too, evaluating often and telling every change (ReconciliationTest)
                    Map.entry("syncline.alerts.slack-url", slack.url()),
                    Map.entry("syncline.alerts.interval", "250ms"),
                    Map.entry("syncline.alerts.min-interval", "0s"),
                    Map.entry("RECONCILE_TEST_SF_CLIENT_ID", SalesforceStub.CLIENT_ID),
                    Map.entry("RECONCILE_TEST_SF_CLIENT_SECRET", SalesforceStub.CLIENT_SECRET),
                    Map.entry("RECONCILE_TEST_SF_REFRESH_TOKEN", SalesforceStub.REFRESH_TOKEN));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The vault system's database (BisectionReconciliationTest): a second PostgreSQL database on the test server. */
    static final String VAULT_URL = TestDatabase.siblingUrl("_vault");

    private static String vaultUrlWithPassword() {
        String password = TestDatabase.password();
        return password.isEmpty() ? VAULT_URL : VAULT_URL + (VAULT_URL.contains("?") ? "&" : "?") + "password="
                + java.net.URLEncoder.encode(password, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The demo CRM, but at the stub, with HubSpot's bearer token and list resource. */
    /** Creates {@code table} anew on both sides of the member jobs: the ledger's (the test database) and the vault's. */
    static void recreateOnBothSides(String table, String ledgerDefinition, String vaultDefinition) throws SQLException {
        try (Connection ledger = TestDatabase.connect(); Connection vault = TestDatabase.connect(VAULT_URL);
                Statement inLedger = ledger.createStatement(); Statement inVault = vault.createStatement()) {
            inLedger.execute("DROP TABLE IF EXISTS " + table);
            inLedger.execute(ledgerDefinition);
            inVault.execute("DROP TABLE IF EXISTS " + table);
            inVault.execute(vaultDefinition);
        }
    }

    static String pointCrmAtStub(String model, String baseUrl) {
        String pointed = model.replace("baseUrl: https://crm.example.com/api/v3",
                "baseUrl: " + baseUrl + "\n    auth: {type: bearer, token: {env: RECONCILE_TEST_CRM_TOKEN}}")
                .replace("      crm:\n        key: id", "      crm:\n        key: id\n        resource: /crm/v3/objects/contacts");
        if (pointed.equals(model) || !pointed.contains("resource: /crm/v3/objects/contacts")) {
            throw new IllegalStateException("routes/contacts.syncline.yaml changed shape; update ReconcileFixture");
        }
        return pointed;
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(crm, new TestInjector.MatchesType(SaasStub.class));
        injector.injectIntoFields(slack, new TestInjector.MatchesType(SlackStub.class));
        injector.injectIntoFields(salesforce, new TestInjector.MatchesType(SalesforceStub.class));
    }

    @Override
    public void stop() {
        crm.close();
        slack.close();
        salesforce.close();
    }
}
