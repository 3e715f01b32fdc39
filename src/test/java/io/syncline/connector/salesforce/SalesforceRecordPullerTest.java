package io.syncline.connector.salesforce;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.connector.spi.PageSink;
import io.syncline.connector.spi.PullException;
import io.syncline.connector.spi.PullRequest;
import io.syncline.connector.spi.PullResult;
import io.syncline.connector.spi.Watermark;
import io.syncline.model.FieldMapping;
import io.syncline.model.SecretRef;
import io.syncline.model.SystemDefinition;
import io.syncline.model.SystemMapping;
import io.syncline.testsupport.SalesforceStub;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SOQL pulls against a stub of a Salesforce org that follows the REST API's query and OAuth contracts. */
class SalesforceRecordPullerTest {

    private static final Map<String, String> ENVIRONMENT = Map.of("SF_CLIENT_ID", SalesforceStub.CLIENT_ID,
            "SF_CLIENT_SECRET", SalesforceStub.CLIENT_SECRET, "SF_REFRESH_TOKEN", SalesforceStub.REFRESH_TOKEN,
            "SF_WRONG_SECRET", "guess");

    private static final SystemMapping CONTACT = SystemMapping.of("Id", List.of(
            new FieldMapping("id", "Id", null, null, null),
            new FieldMapping("email", "Email", null, null, null),
            new FieldMapping("lastName", "LastName", FieldMapping.Direction.IN, null, null),
            new FieldMapping("company", "Account.Name", null, null, null),
            new FieldMapping("status", "Status__c", FieldMapping.Direction.OUT, null, null)), null, Map.of("sobject", "Contact"));

    private SalesforceStub org;
    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private DefaultCamelContext camel;
    private SalesforceRecordPuller puller;
    private final List<Map<String, Object>> pulled = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        org = new SalesforceStub();
        camel = new DefaultCamelContext();
        camel.start();
        puller = new SalesforceRecordPuller(http, mapper, new SalesforceSessions(new SalesforceComponents(camel, ENVIRONMENT::get)));
        List<Map<String, Object>> contacts = new ArrayList<>();
        for (int i = 1; i <= 450; i++) {
            Map<String, Object> contact = new LinkedHashMap<>();
            contact.put("Id", String.format("003STUB%08d", i));
            contact.put("Email", "user" + i + "@example.com");
            contact.put("LastName", "Last" + i);
            contact.put("Account", i % 2 == 0 ? Map.of("Name", "Acme " + i) : null);
            contact.put("Status__c", "active");
            contacts.add(contact);
        }
        org.records("Contact", contacts);
    }

    @AfterEach
    void stop() {
        camel.stop();
        org.close();
    }

    private SalesforceSettings system(String secretVariable, String refreshVariable) {
        return new SalesforceSettings(org.baseUrl(), "v62.0", new SecretRef("SF_CLIENT_ID", null),
                new SecretRef(secretVariable, null), refreshVariable == null ? null : new SecretRef(refreshVariable, null), null);
    }

    private PullResult pull(SalesforceSettings system, int pageSize, PageSink sink) throws PullException {
        return puller.pull(new PullRequest("contact", "sfdc", SystemDefinition.ofSettings(SalesforceSettings.TYPE, system), CONTACT, pageSize), sink);
    }

    private PullResult pull(SalesforceSettings system, int pageSize) throws PullException {
        return pull(system, pageSize, pulled::addAll);
    }

    @Test
    void everyRecordIsPulledFollowingNextRecordsUrlUntilDone() throws Exception {
        PullResult result = pull(system("SF_CLIENT_SECRET", "SF_REFRESH_TOKEN"), 200);

        assertThat(result.reachedEnd()).isTrue();
        assertThat(result.pages()).isEqualTo(3);
        assertThat(result.records()).isEqualTo(450);
        assertThat(result.reportedTotal()).isEqualTo(450L);
        assertThat(pulled).extracting(record -> record.get("Id")).doesNotHaveDuplicates().hasSize(450);
        // The key and the fields read, each once; a field only written (Status__c) is not selected.
        assertThat(org.queries).containsExactly("SELECT Id, Email, LastName, Account.Name FROM Contact");
        assertThat(org.logins).containsExactly("refresh_token");
        // Salesforce's attributes are gone, in relationship records too; the relationship path reads as nested fields.
        Map<String, Object> second = pulled.get(1);
        assertThat(second).doesNotContainKey("attributes").containsEntry("Email", "user2@example.com");
        assertThat(second.get("Account")).isEqualTo(Map.of("Name", "Acme 2"));
        assertThat(pulled.get(0)).containsEntry("Account", null);
    }

    @Test
    void thePageSizeGoesAsTheBatchSizeSalesforceAccepts() throws Exception {
        pull(system("SF_CLIENT_SECRET", "SF_REFRESH_TOKEN"), 3);
        pull(system("SF_CLIENT_SECRET", "SF_REFRESH_TOKEN"), 5000);

        assertThat(org.batchSizes).containsExactly("200", "200", "200", "2000");
    }

    @Test
    void withoutARefreshTokenTheClientCredentialsFlowLogsIn() throws Exception {
        pull(system("SF_CLIENT_SECRET", null), 2000);

        assertThat(org.logins).containsExactly("client_credentials");
        assertThat(pulled).hasSize(450);
    }

    @Test
    void aSessionThatExpiresMidPullIsRenewedOnceAndThePullCompletes() throws Exception {
        PullResult result = pull(system("SF_CLIENT_SECRET", "SF_REFRESH_TOKEN"), 200, page -> {
            pulled.addAll(page);
            if (pulled.size() == 200) {
                org.expireSessions();
            }
        });

        assertThat(result.reachedEnd()).isTrue();
        assertThat(pulled).hasSize(450);
        assertThat(org.logins).containsExactly("refresh_token", "refresh_token");
    }

    @Test
    void anOrgThatSaysDoneAfterItsFirstBatchReportsAFullTotalAgainstFewerRecords() throws Exception {
        org.firstBatchOnly = true;

        PullResult result = pull(system("SF_CLIENT_SECRET", "SF_REFRESH_TOKEN"), 200);

        // The sanity check compares the two: an untrustworthy run, nothing fixed.
        assertThat(result.records()).isEqualTo(200);
        assertThat(result.reportedTotal()).isEqualTo(450L);
    }

    @Test
    void aSpentApiAllowanceFailsThePullNamingIt() {
        org.requestLimitExceeded = true;

        assertThatThrownBy(() -> pull(system("SF_CLIENT_SECRET", "SF_REFRESH_TOKEN"), 200))
                .isInstanceOf(PullException.class)
                .hasMessageContaining("sfdc: the org's API request allowance is spent")
                .hasMessageContaining("REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.");
    }

    @Test
    void aRefusedLoginFailsThePullWithSalesforcesReason() {
        assertThatThrownBy(() -> pull(system("SF_WRONG_SECRET", "SF_REFRESH_TOKEN"), 200))
                .isInstanceOf(PullException.class)
                .hasMessageContaining("sfdc: Salesforce refused the refresh token login")
                .hasMessageContaining("invalid client credentials")
                .hasMessageNotContaining("guess");
        assertThat(pulled).isEmpty();
    }

    @Test
    void aFieldTheObjectDoesNotHaveFailsWithSalesforcesErrorCode() {
        SystemMapping wrong = SystemMapping.of("Id",
                List.of(new FieldMapping("email", "Emial", null, null, null)), null, Map.of("sobject", "Contact"));

        assertThatThrownBy(() -> puller
                .pull(new PullRequest("contact", "sfdc", SystemDefinition.ofSettings(SalesforceSettings.TYPE, system("SF_CLIENT_SECRET", "SF_REFRESH_TOKEN")),
                        wrong, 200), pulled::addAll))
                .isInstanceOf(PullException.class)
                .hasMessageContaining("HTTP 400 (INVALID_FIELD: No such column 'Emial' on entity 'Contact'.)");
    }

    @Test
    void aPullByKeyIsRefused() {
        assertThatThrownBy(() -> puller
                .pull(new PullRequest("contact", "sfdc", SystemDefinition.ofSettings(SalesforceSettings.TYPE, system("SF_CLIENT_SECRET", null)), CONTACT,
                        200, List.of("003STUB00000001")), pulled::addAll))
                .isInstanceOf(PullException.class).hasMessageContaining("not by key");
    }

    @Test
    void aPollReadsTheRecordsAfterItsWatermarkByModstampThenId() throws Exception {
        List<Map<String, Object>> contacts = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            contacts.add(Map.of("Id", String.format("003STUB%08d", i), "Email", "user" + i + "@example.com",
                    "LastName", "Last" + i, "SystemModstamp", i <= 3 ? "2026-03-01T09:30:00.000+0000" : "2026-03-01T09:29:59.000+0000"));
        }
        org.records("Contact", contacts);
        SystemMapping polled = SystemMapping.of("Id", List.of(
                new FieldMapping("id", "Id", null, null, null),
                new FieldMapping("modifiedAt", "SystemModstamp", FieldMapping.Direction.IN, null, null)), null, Map.of("sobject", "Contact"));

        PullResult result = puller.pull(
                new PullRequest("contact", "sfdc", SystemDefinition.ofSettings(SalesforceSettings.TYPE, system("SF_CLIENT_SECRET", null)), polled, 200, null,
                        new PullRequest.Changes("SystemModstamp", new Watermark(java.time.Instant.parse("2026-03-01T09:30:00Z"),
                                "003STUB00000001"))),
                pulled::addAll);

        assertThat(result.reachedEnd()).isTrue();
        assertThat(pulled).extracting(record -> record.get("Id")).containsExactly("003STUB00000002", "003STUB00000003");
        assertThat(org.queries).containsExactly("SELECT Id, SystemModstamp FROM Contact WHERE SystemModstamp > 2026-03-01T09:30:00Z"
                + " OR (SystemModstamp = 2026-03-01T09:30:00Z AND Id > '003STUB00000001') ORDER BY SystemModstamp, Id");
    }

    @Test
    void aFirstPollReadsEveryRecordOldestFirst() throws Exception {
        org.records("Contact", List.of(
                Map.of("Id", "003STUB00000002", "SystemModstamp", "2026-03-01T09:30:00.000+0000"),
                Map.of("Id", "003STUB00000001", "SystemModstamp", "2026-03-01T09:30:00.000+0000"),
                Map.of("Id", "003STUB00000003", "SystemModstamp", "2026-02-01T00:00:00.000+0000")));
        SystemMapping polled = SystemMapping.of("Id", List.of(
                new FieldMapping("modifiedAt", "SystemModstamp", FieldMapping.Direction.IN, null, null)), null, Map.of("sobject", "Contact"));

        puller.pull(
                new PullRequest("contact", "sfdc", SystemDefinition.ofSettings(SalesforceSettings.TYPE, system("SF_CLIENT_SECRET", null)), polled, 200, null,
                        new PullRequest.Changes("SystemModstamp", null)),
                pulled::addAll);

        assertThat(pulled).extracting(record -> record.get("Id"))
                .containsExactly("003STUB00000003", "003STUB00000001", "003STUB00000002");
    }

    @Test
    void aWatermarkKeyIsQuotedAsASoqlString() {
        assertThat(SalesforceRecordPuller.literal("a'b\\c")).isEqualTo("'a\\'b\\\\c'");
    }
}
