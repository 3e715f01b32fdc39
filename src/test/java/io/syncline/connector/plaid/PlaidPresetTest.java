package io.syncline.connector.plaid;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.SystemTypes;
import io.syncline.connector.spi.PullException;
import io.syncline.connector.spi.PullRequest;
import io.syncline.connector.spi.PullResult;
import io.syncline.model.SyncModel;
import io.syncline.poll.ChangePoller;
import io.syncline.testsupport.ApiDescription;
import io.syncline.testsupport.CdpStubResource;
import io.syncline.testsupport.FastRetriesProfile;
import io.syncline.testsupport.HubSpotStub;
import io.syncline.testsupport.PlaidStub;
import io.syncline.testsupport.TestDatabase;
import jakarta.inject.Inject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One Plaid Item through {@code type: plaid} (the preset and the plaid plug-in), against a stub of
 * Plaid's API version 2020-09-14, with the state store on PostgreSQL: its transactions polled from
 * {@code POST /transactions/sync} every second, each poll going on from the cursor the last one kept,
 * {@code added} and {@code modified} upserted into billing's table and {@code removed} deleted there;
 * Plaid's {@code RATE_LIMIT_EXCEEDED} waited out; {@code ITEM_LOGIN_REQUIRED} ending the poll with
 * Plaid's code and what the user must do, and the poll going on from its cursor once the user has;
 * the Item's accounts read by {@code POST /accounts/get}. Every request carried the team's credentials
 * and the Item's access token in its body and is checked against Plaid's published OpenAPI
 * description (the excerpt kept here, or the whole pinned file where it is placed).
 */
@QuarkusTest
@TestProfile(FastRetriesProfile.class)
@WithTestResource(CdpStubResource.class)
class PlaidPresetTest {

    static final String DATABASE = CdpStubResource.DATABASE_URL;
    static final ApiDescription DESCRIPTION = ApiDescription.published("plaid/2020-09-14.yml");

    PlaidStub plaid;

    @Inject
    SystemTypes types;

    @Inject
    SyncModelRegistry registry;

    /** Every request carried the credentials in its body and the version header, and follows Plaid's published description. */
    @AfterEach
    void everyRequestFollowsPlaidsPublishedDescription() {
        assertThat(plaid.received()).allSatisfy(request -> {
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.header("Plaid-Version")).isEqualTo("2020-09-14");
            assertThat(request.json()).containsEntry("client_id", CdpStubResource.PLAID_CLIENT_ID)
                    .containsEntry("secret", CdpStubResource.PLAID_SECRET)
                    .containsEntry("access_token", CdpStubResource.PLAID_ACCESS_TOKEN);
        });
        assertThat(DESCRIPTION.violations(plaid.received())).as(DESCRIPTION.used()).isEmpty();
    }

    static String run() {
        return "pl" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Map<String, Object> row(String transaction) {
        return TestDatabase.awaitRowsOn(DATABASE, "SELECT * FROM bank_transaction WHERE external_id = ?", transaction).get(0);
    }

    private static void awaitRow(String transaction, String name) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !TestDatabase.queryOn(DATABASE,
                "SELECT 1 FROM bank_transaction WHERE external_id = ? AND name = ?", transaction, name).isEmpty());
    }

    @Test
    void transactionsArePolledOnFromTheKeptCursorAddedAndModifiedUpsertedRemovedDeleted() {
        String run = run();
        String coffee = plaid.add(run + " Coffee", "4.33", "2026-11-02");
        String rent = plaid.add(run + " Rent", "1200.00", "2026-11-01");
        String payroll = plaid.add(run + " Payroll", "-2500.00", "2026-11-01");

        awaitRow(payroll, run + " Payroll");
        assertThat(row(coffee)).containsEntry("amount", new BigDecimal("4.33")).containsEntry("posted_on", "2026-11-02")
                .containsEntry("account_id", PlaidStub.ACCOUNT_ID).containsEntry("name", run + " Coffee");
        assertThat(row(rent)).containsEntry("amount", new BigDecimal("1200.00"));

        plaid.modify(coffee, run + " Blue Bottle Coffee", "4.50");
        plaid.remove(rent);
        awaitRow(coffee, run + " Blue Bottle Coffee");
        assertThat(row(coffee)).containsEntry("amount", new BigDecimal("4.50"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> TestDatabase.queryOn(DATABASE,
                "SELECT 1 FROM bank_transaction WHERE external_id = ?", rent).isEmpty());

        // the polls go on from the cursor the answer before gave: from the start only the first poll, and the
        // login test's own full pull where it ran before
        List<HubSpotStub.Received> syncs = plaid.received("POST", PlaidStub.SYNC);
        List<Object> cursors = new ArrayList<>();
        syncs.forEach(sync -> cursors.add(sync.json().get("cursor")));
        assertThat(cursors.stream().filter(""::equals).count()).isBetween(1L, 2L);
        assertThat(syncs).allSatisfy(sync -> assertThat(sync.json()).containsEntry("count", 2));
        // and the poll keeps the cursor after the Item's last update
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> plaid.cursorAtEnd().equals(TestDatabase.queryOn(DATABASE,
                "SELECT last_key FROM watermark WHERE job = ?", ChangePoller.job("banktransaction", "plaid")).get(0).get("last_key")));
        // nothing applied twice: one create, one update and one deletion of these records in billing
        assertThat(TestDatabase.queryOn(DATABASE, "SELECT action, count(*) AS n FROM audit_log WHERE entity = 'banktransaction'"
                + " AND target_system = 'billing' AND source_id = ? AND action IN ('created', 'updated', 'deleted') GROUP BY action",
                coffee)).extracting(r -> r.get("action") + "=" + r.get("n")).containsExactlyInAnyOrder("created=1", "updated=1");
    }

    @Test
    void plaidsRateLimitIsWaitedOutAndTheSyncAskedAgain() {
        String run = run();
        int before = plaid.received("POST", PlaidStub.SYNC).size();
        plaid.rateLimitNext(1);
        String lunch = plaid.add(run + " Lunch", "12.10", "2026-11-03");

        awaitRow(lunch, run + " Lunch");
        assertThat(plaid.received("POST", PlaidStub.SYNC).size() - before).isGreaterThan(1);
    }

    @Test
    void anItemWhoseLoginIsRequiredEndsThePollWithPlaidsReasonAndThePollGoesOnOnceTheUserSignedIn() {
        String run = run();
        plaid.loginRequired(true);
        try {
            String fuel = plaid.add(run + " Fuel", "45.00", "2026-11-04");
            SyncModel model = registry.current().model();
            assertThatThrownBy(() -> types.of("plaid").puller().pull(new PullRequest("banktransaction", "plaid",
                    model.systems().get("plaid"), model.entities().get("banktransaction").mappings().get("plaid"), 2), page -> {
                    })).isInstanceOf(PullException.class).hasMessageContaining("ITEM_ERROR ITEM_LOGIN_REQUIRED")
                    .hasMessageContaining("Link's update mode");
            Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> TestDatabase.queryOn(DATABASE,
                    "SELECT 1 FROM bank_transaction WHERE external_id = ?", fuel).isEmpty());
            plaid.loginRequired(false);
            awaitRow(fuel, run + " Fuel");
        } finally {
            plaid.loginRequired(false);
        }
    }

    @Test
    void theItemsAccountsAreReadInOneAnswer() throws Exception {
        SyncModel model = registry.current().model();
        List<Map<String, Object>> read = new ArrayList<>();
        PullResult result = types.of("plaid").puller().pull(new PullRequest("bankaccount", "plaid", model.systems().get("plaid"),
                model.entities().get("bankaccount").mappings().get("plaid"), 100), read::addAll);

        assertThat(result.reachedEnd()).isTrue();
        assertThat(read).singleElement().satisfies(account -> assertThat(account).containsEntry("account_id", PlaidStub.ACCOUNT_ID)
                .containsEntry("name", "Plaid Checking"));
        assertThat(plaid.received("POST", PlaidStub.ACCOUNTS)).last().satisfies(call -> assertThat(call.json().keySet())
                .containsExactlyInAnyOrder("client_id", "secret", "access_token"));
    }
}
