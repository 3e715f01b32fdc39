package io.syncline.testsupport;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.nio.file.Path;
import java.util.Map;

/**
 * Models on tables of the state store's database, in one routes folder: those of
 * src/test/resources/polling-routes (an ERP table polled into billing, ChangePollingTest),
 * src/test/resources/memory-routes (a CRM table's webhook into a ledger of the plugged type
 * memory, PluggedSystemTypeTest), src/test/resources/signed-routes (a shop's Stripe-signed
 * webhook into the back office's demo_contact, SignedWebhookTest) and
 * src/test/resources/open-unit-routes (the Quickstart's contacts through a mapping route of their
 * own, InboxUnitLeftOpenTest), with quick retries. Their files, systems, entities, tables and
 * webhooks have names of their own, so the tests share one application.
 */
public class StoreTablesProfile implements QuarkusTestProfile {

    public static final Path FOLDER = Path.of("target", "store-tables-routes");
    /** The shop's signing secret (SHOP_WEBHOOK_SECRET, signed-routes). */
    public static final String SHOP_WEBHOOK_SECRET = "whsec_test_0123456789";

    @Override
    public Map<String, String> getConfigOverrides() {
        Path resources = Path.of("src", "test", "resources");
        RouteFolders.merged(FOLDER, resources.resolve("polling-routes"), resources.resolve("memory-routes"),
                resources.resolve("signed-routes"), resources.resolve("open-unit-routes"));
        return Map.of("syncline.routes.location", FOLDER.toString(), "SHOP_WEBHOOK_SECRET", SHOP_WEBHOOK_SECRET,
                "syncline.inbox.retry-delay", "200ms", "syncline.inbox.max-retry-delay", "500ms");
    }
}
