package io.syncline.connector.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.connector.spi.PullException;
import io.syncline.connector.spi.PullRequest;
import io.syncline.connector.spi.PullResult;
import io.syncline.connector.spi.RateLimit;
import io.syncline.connector.spi.Watermark;
import io.syncline.model.ChangeFilter;
import io.syncline.model.SecretRef;
import io.syncline.model.SystemDefinition;
import io.syncline.model.SystemMapping;
import io.syncline.testsupport.HubSpotStub;
import io.syncline.testsupport.SaasStub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each REST pagination style against a stub that follows the provider's paging contract. */
class RestRecordPullerTest {

    private static final Map<String, String> ENVIRONMENT = Map.of("HUBSPOT_TOKEN", SaasStub.TOKEN,
            "CLIENT_ID", "syncline-client", "CLIENT_SECRET", "s3cret/+=", "WRONG_SECRET", "guess");

    private SaasStub stub;
    private final RestRecordPuller puller = new RestRecordPuller(HttpClient.newHttpClient(), new ObjectMapper(), ENVIRONMENT::get);
    private final List<String> pulledIds = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        stub = new SaasStub();
        stub.records(SaasStub.hubspotContacts("c-", 250));
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    private PullResult pull(RestSettings.Pagination pagination, String resource, RestSettings.Auth auth,
            RateLimit rateLimit, int pageSize) throws PullException {
        RestSettings system = new RestSettings(stub.baseUrl(), auth, pagination, rateLimit, null);
        return puller.pull(
                new PullRequest("contact", "crm", SystemDefinition.ofSettings(RestSettings.TYPE, system),
                        SystemMapping.of("id", List.of(), null, Map.of("resource", resource)), pageSize),
                page -> page.forEach(record -> pulledIds.add((String) record.get("id"))));
    }

    private static RestSettings.Pagination pagination(RestSettings.PaginationStyle style, String itemsField, String cursorParam,
            String cursorField, String limitParam, String nextUrlField, String totalField) {
        return new RestSettings.Pagination(style, null, itemsField, cursorParam, cursorField, null, limitParam, null,
                nextUrlField, totalField);
    }

    private static RestSettings.Auth bearer() {
        return new RestSettings.Auth(RestSettings.AuthType.BEARER, new SecretRef("HUBSPOT_TOKEN", null), null, null, null, null,
                null, null, null, null);
    }

    private List<String> expectedIds() {
        return SaasStub.hubspotContacts("c-", 250).stream().map(record -> (String) record.get("id")).toList();
    }

    @Test
    void hubspotCursorIsFollowedToTheEndWaitingOutA429() throws Exception {
        stub.rateLimitNext.set(1);
        PullResult result = pull(pagination(RestSettings.PaginationStyle.CURSOR, "results", "after", "paging.next.after",
                null, null, null), "/crm/v3/objects/contacts", bearer(), null, 100);

        assertThat(result).isEqualTo(PullResult.complete(3, 250, null));
        assertThat(pulledIds).containsExactlyElementsOf(expectedIds());
        // the 429 was retried, not counted as a page
        assertThat(stub.requests).hasSize(4);
        assertThat(stub.requests.get(2)).contains("after=");
    }

    @Test
    void withoutItsTokenHubspotAnswers401AndThePullFailsNamingIt() {
        assertThatThrownBy(() -> pull(pagination(RestSettings.PaginationStyle.CURSOR, "results", "after", "paging.next.after",
                null, null, null), "/crm/v3/objects/contacts", null, null, 100))
                .isInstanceOf(PullException.class)
                .hasMessageContaining("crm: page 1 answered HTTP 401")
                .hasMessageContaining("Authentication credentials not found");
    }

    @Test
    void linkHeaderNextIsFollowedUntilThereIsNone() throws Exception {
        PullResult result = pull(pagination(RestSettings.PaginationStyle.LINK_HEADER, null, null, null, "per_page", null, null),
                "/repos/contacts", null, null, 40);

        assertThat(result).isEqualTo(PullResult.complete(7, 250, null));
        assertThat(pulledIds).containsExactlyElementsOf(expectedIds());
    }

    @Test
    void offsetPagesReportTheSourceTotal() throws Exception {
        PullResult result = pull(pagination(RestSettings.PaginationStyle.OFFSET, "data", null, null, null, null, "total"),
                "/offset/contacts", null, null, 100);

        assertThat(result).isEqualTo(PullResult.complete(3, 250, 250L));
        assertThat(pulledIds).containsExactlyElementsOf(expectedIds());
    }

    @Test
    void numberedPagesAndNextUrlsAreFollowedToo() throws Exception {
        assertThat(pull(pagination(RestSettings.PaginationStyle.PAGE, "items", null, null, null, null, null),
                "/paged/contacts", null, null, 50)).isEqualTo(PullResult.complete(5, 250, null));
        assertThat(pulledIds).containsExactlyElementsOf(expectedIds());
        pulledIds.clear();
        assertThat(pull(pagination(RestSettings.PaginationStyle.NEXT_URL, "records", null, null, null, "links.next", null),
                "/next/contacts", null, null, 100)).isEqualTo(PullResult.complete(3, 250, null));
        assertThat(pulledIds).containsExactlyElementsOf(expectedIds());
    }

    @Test
    void aPagerThatSilentlyStopsAfterPageOneIsCaughtByItsOwnTotal() throws Exception {
        PullResult result = pull(pagination(RestSettings.PaginationStyle.CURSOR, "results", "after", "paging.next.after",
                null, null, "total"), "/truncating/contacts", null, null, 100);

        // The pager itself says it ended; only the total it reports gives it away (the sanity check compares).
        assertThat(result).isEqualTo(PullResult.complete(1, 100, 250L));
    }

    @Test
    void aPagerThatIgnoresItsCursorEndsThePullAsIncomplete() throws Exception {
        PullResult result = pull(pagination(RestSettings.PaginationStyle.CURSOR, "results", "after", "paging.next.after",
                null, null, null), "/stuck/contacts", null, null, 100);

        assertThat(result.reachedEnd()).isFalse();
        assertThat(result.pages()).isEqualTo(1);
        assertThat(result.problem()).contains("page 2 repeats the records of page 1");
    }

    @Test
    void theRateLimitSpacesRequests() throws Exception {
        long started = System.nanoTime();
        pull(pagination(RestSettings.PaginationStyle.LINK_HEADER, null, null, null, "per_page", null, null),
                "/repos/contacts", null, new RateLimit(20.0, 1), 50);
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

        // 5 requests at 20/s with a burst of 1: at least 4 gaps of 50 ms
        assertThat(stub.requests).hasSize(5);
        assertThat(elapsedMillis).isGreaterThanOrEqualTo(190);
    }

    @Test
    void anOAuth2TokenIsFetchedOnceForEveryPageAndRenewedOnceWhenTheApiRefusesIt() throws Exception {
        try (HubSpotStub hubspot = HubSpotStub.start().registerClient("syncline-client", "s3cret/+=", Duration.ofMinutes(30))) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 250; i++) {
                ids.add(hubspot.add(Map.of("email", "o" + i + "@example.com")));
            }
            RestSettings system = new RestSettings(hubspot.baseUrl(), oauth2(hubspot, "CLIENT_SECRET"), pagination(
                    RestSettings.PaginationStyle.CURSOR, "results", "after", "paging.next.after", null, null, null), null, null);

            assertThat(puller.pull(contacts(system), page -> page.forEach(record -> pulledIds.add((String) record.get("id")))))
                    .isEqualTo(PullResult.complete(3, 250, null));
            assertThat(pulledIds).containsExactlyElementsOf(ids);
            assertThat(hubspot.tokenRequests()).singleElement()
                    .satisfies(token -> assertThat(token.body()).isEqualTo("grant_type=client_credentials&scope=crm.objects.contacts.read"));
            assertThat(hubspot.received("GET", HubSpotStub.CONTACTS)).hasSize(3)
                    .allSatisfy(get -> assertThat(get.header("Authorization")).startsWith("Bearer at-"));

            hubspot.revokeIssuedTokens();
            pulledIds.clear();
            assertThat(puller.pull(contacts(system), page -> page.forEach(record -> pulledIds.add((String) record.get("id")))))
                    .isEqualTo(PullResult.complete(3, 250, null));
            assertThat(pulledIds).containsExactlyElementsOf(ids);
            assertThat(hubspot.tokenRequests()).hasSize(2);
        }
    }

    @Test
    void aClientTheTokenEndpointRefusesFailsThePullNamingWhy() {
        try (HubSpotStub hubspot = HubSpotStub.start().registerClient("syncline-client", "s3cret/+=", Duration.ofMinutes(30))) {
            RestSettings system = new RestSettings(hubspot.baseUrl(), oauth2(hubspot, "WRONG_SECRET"), pagination(
                    RestSettings.PaginationStyle.CURSOR, "results", "after", "paging.next.after", null, null, null), null, null);

            assertThatThrownBy(() -> puller.pull(contacts(system), page -> {
            }))
                    .isInstanceOf(PullException.class)
                    .hasMessageStartingWith("hubspot: no OAuth2 access token: ")
                    .hasMessageContaining("401");
            assertThat(hubspot.received("GET", HubSpotStub.CONTACTS)).isEmpty();
        }
    }

    @Test
    void changesAreAskedForWithTheirFilterInEveryPaginationStyle() throws Exception {
        ChangeFilter filter = new ChangeFilter("updated_since", ChangeFilter.TimeFormat.EPOCH_SECONDS,
                Map.of("sort", "updated_at"), null);
        // an epoch in seconds is cut down: the API answers from the start of the watermark's second
        Watermark after = new Watermark(Instant.parse("2024-03-01T00:00:00.750Z"), "c-00010");
        record Style(RestSettings.Pagination pagination, String resource, int pageSize, boolean serverKeepsTheQuery) {
        }
        List<Style> styles = List.of(
                new Style(pagination(RestSettings.PaginationStyle.CURSOR, "results", "after", "paging.next.after", null, null, null),
                        "/crm/v3/objects/contacts", 100, true),
                new Style(pagination(RestSettings.PaginationStyle.OFFSET, "data", null, null, null, null, "total"),
                        "/offset/contacts", 100, true),
                new Style(pagination(RestSettings.PaginationStyle.PAGE, "items", null, null, null, null, null),
                        "/paged/contacts", 100, true),
                // the server writes the next address itself (this one without the filter): it is followed as given
                new Style(pagination(RestSettings.PaginationStyle.LINK_HEADER, null, null, null, "per_page", null, null),
                        "/repos/contacts", 100, false),
                new Style(pagination(RestSettings.PaginationStyle.NEXT_URL, "records", null, null, null, "links.next", null),
                        "/next/contacts", 100, false));
        for (Style style : styles) {
            stub.requests.clear();
            pulledIds.clear();
            RestSettings system = new RestSettings(stub.baseUrl(), bearer(), style.pagination(), null, null);
            PullRequest request = new PullRequest("contact", "crm", SystemDefinition.ofSettings(RestSettings.TYPE, system),
                    SystemMapping.of("id", List.of(), null, Map.of("resource", style.resource())),
                    style.pageSize(), null, new PullRequest.Changes("updatedAt", after, filter));

            assertThat(puller.changesIncludeWatermarkInstant(request)).isTrue();
            PullResult result = puller.pull(request, page -> page.forEach(record -> pulledIds.add((String) record.get("id"))));

            assertThat(result.reachedEnd()).as(style.resource()).isTrue();
            assertThat(pulledIds).as(style.resource()).containsExactlyElementsOf(expectedIds());
            assertThat(stub.requests).as(style.resource()).hasSize(3);
            assertThat(style.serverKeepsTheQuery() ? stub.requests : stub.requests.subList(0, 1)).as(style.resource())
                    .allSatisfy(uri -> assertThat(uri).contains("updated_since=1709251200").contains("sort=updated_at"));
        }
    }

    @Test
    void aFilterExpressionCarriesTheTimeWhereItsValueSays() throws Exception {
        // eBay's filter=lastmodifieddate:[2024-03-01T00:00:00.750Z..], Okta's search=lastUpdated gt "…"
        ChangeFilter filter = new ChangeFilter("filter", null, Map.of(), null, null, "lastmodifieddate:[{time}..]");
        Watermark after = new Watermark(Instant.parse("2024-03-01T00:00:00.750Z"), "c-00010");
        RestSettings system = new RestSettings(stub.baseUrl(), bearer(), pagination(RestSettings.PaginationStyle.OFFSET, "data",
                null, null, null, null, "total"), null, null);
        PullRequest request = new PullRequest("contact", "crm", SystemDefinition.ofSettings(RestSettings.TYPE, system),
                SystemMapping.of("id", List.of(), null, Map.of("resource", "/offset/contacts")), 100, null,
                new PullRequest.Changes("updatedAt", after, filter));
        stub.requests.clear();

        puller.pull(request, page -> {
        });

        assertThat(stub.requests).first().satisfies(uri -> assertThat(java.net.URLDecoder.decode(uri,
                java.nio.charset.StandardCharsets.UTF_8)).contains("filter=lastmodifieddate:[2024-03-01T00:00:00.750Z..]"));
        assertThat(filter.valueSince(Instant.parse("2024-03-01T00:00:00Z"))).isEqualTo("lastmodifieddate:[2024-03-01T00:00:00Z..]");
    }

    @Test
    void aFirstReadOfChangesAsksWithoutATimeAndAChangesResourceOfItsOwnIsRead() throws Exception {
        ChangeFilter filter = new ChangeFilter("modified_after", null, Map.of(), "/offset/contacts");
        RestSettings system = new RestSettings(stub.baseUrl(), null, pagination(RestSettings.PaginationStyle.OFFSET, "data", null,
                null, null, null, null), null, null);
        PullRequest request =
                new PullRequest("contact", "crm", SystemDefinition.ofSettings(RestSettings.TYPE, system), SystemMapping.of("id", List.of(), null,
                        Map.of("resource", "/paged/contacts")), 100, null, new PullRequest.Changes("updatedAt", null, filter));

        assertThat(puller.pull(request, page -> page.forEach(record -> pulledIds.add((String) record.get("id")))))
                .isEqualTo(PullResult.complete(3, 250, null));
        assertThat(stub.requests).hasSize(3).allSatisfy(uri -> assertThat(uri).startsWith("/offset/contacts?")
                .doesNotContain("modified_after"));

        stub.requests.clear();
        PullRequest later = new PullRequest("contact", "crm", SystemDefinition.ofSettings(RestSettings.TYPE, system), request.mapping(), 100, null,
                new PullRequest.Changes("updatedAt", new Watermark(Instant.parse("2024-03-01T10:00:00.250Z"), "c-00001"), filter));
        puller.pull(later, page -> {
        });
        assertThat(stub.requests.get(0)).contains("modified_after=2024-03-01T10%3A00%3A00.250Z");
    }

    @Test
    void changesOfAnApiWithoutItsFilterAreRefusedNamingWhatIsMissing() {
        RestSettings system = new RestSettings(stub.baseUrl(), null, pagination(RestSettings.PaginationStyle.OFFSET, "data", null,
                null, null, null, null), null, null);
        PullRequest request = new PullRequest("contact", "crm", SystemDefinition.ofSettings(RestSettings.TYPE, system),
                SystemMapping.of("id", List.of(), null, Map.of("resource", "/offset/contacts")),
                100, null, new PullRequest.Changes("updatedAt", null));

        assertThatThrownBy(() -> puller.pull(request, page -> {
        })).isInstanceOf(PullException.class)
                .hasMessageContaining("polls.crm.changes");
        assertThat(stub.requests).isEmpty();
    }

    private static PullRequest contacts(RestSettings system) {
        return new PullRequest("contact", "hubspot", SystemDefinition.ofSettings(RestSettings.TYPE, system),
                SystemMapping.of("id", List.of(), null, Map.of("resource", HubSpotStub.CONTACTS)), 100);
    }

    private static RestSettings.Auth oauth2(HubSpotStub hubspot, String secretVariable) {
        return new RestSettings.Auth(RestSettings.AuthType.OAUTH2_CLIENT_CREDENTIALS, null, null, null, null, null,
                hubspot.baseUrl() + HubSpotStub.TOKEN_PATH, new SecretRef("CLIENT_ID", null), new SecretRef(secretVariable, null),
                "crm.objects.contacts.read");
    }
}
