package io.syncline.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.webhook.SystemWebhook.Events;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bodies as the providers document them, split into the events the inbox stores. */
class WebhookEventSplitterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] ID = {"id"};

    private static Object json(String text) throws Exception {
        return JSON.readValue(text, Object.class);
    }

    @Test
    void hubSpotArrayOfThinEventsKeyedByEventIdAndObjectId() throws Exception {
        Object body = json("""
                [{"eventId":1001,"subscriptionType":"contact.propertyChange","objectId":512,"propertyName":"email",
                  "propertyValue":"ada@example.com","occurredAt":1732600000000},
                 {"eventId":1002,"subscriptionType":"contact.creation","objectId":513,"occurredAt":1732600000001}]""");

        WebhookEventSplitter.Split split = WebhookEventSplitter.split(
                events("[]", "eventId", null, "objectId", null), body, ID, "id", "header-id");

        assertThat(split.events()).extracting(WebhookEventSplitter.IntakeEvent::eventId).containsExactly("1001", "1002");
        assertThat(split.events()).extracting(WebhookEventSplitter.IntakeEvent::recordKey).containsExactly("512", "513");
        assertThat(split.events().get(0).record()).containsEntry("propertyName", "email");
    }

    @Test
    void stripeEnvelopeStoresTheRecordUnderItsEventId() throws Exception {
        Object body = json("""
                {"id":"evt_1NG8Du2eZvKYlo2CUI79vXWy","object":"event","type":"customer.updated",
                 "data":{"object":{"id":"cus_NffrFeUfNV2Hib","object":"customer","email":"jenny@example.com"}}}""");

        WebhookEventSplitter.Split split = WebhookEventSplitter.split(
                events(null, "id", "data.object", null, null), body, ID, "id", null);

        assertThat(split.events()).singleElement().satisfies(event -> {
            assertThat(event.eventId()).isEqualTo("evt_1NG8Du2eZvKYlo2CUI79vXWy");
            assertThat(event.recordKey()).isEqualTo("cus_NffrFeUfNV2Hib");
            assertThat(event.record()).containsEntry("email", "jenny@example.com").doesNotContainKey("data");
        });
    }

    @Test
    void quickBooksNestedListsAreFlattenedAndFilteredByEntity() throws Exception {
        Object body = json("""
                {"eventNotifications":[{"realmId":"1185883450","dataChangeEvent":{"entities":[
                  {"name":"Customer","id":"1","operation":"Create","lastUpdated":"2015-10-05T14:42:19-0700"},
                  {"name":"Vendor","id":"1","operation":"Create","lastUpdated":"2015-10-05T14:42:19-0700"}]}}]}""");

        WebhookEventSplitter.Split split = WebhookEventSplitter.split(events(
                "eventNotifications[].dataChangeEvent.entities[]", null, null, "id", Map.of("name", "Customer")),
                body, ID, "id", null);

        assertThat(split.skipped()).isEqualTo(1);
        assertThat(split.events()).singleElement().satisfies(event -> {
            assertThat(event.recordKey()).isEqualTo("1");
            assertThat(event.eventId()).isNull();
            assertThat(event.record()).containsEntry("name", "Customer");
        });
    }

    @Test
    void quickBooksEntitiesGetAnIdOfTheirCompanyNameIdAndTimeAndOtherCompaniesAreSkipped() throws Exception {
        Object body = json("""
                {"eventNotifications":[
                  {"realmId":"1185883450","dataChangeEvent":{"entities":[
                    {"name":"Customer","id":"1","operation":"Create","lastUpdated":"2015-10-05T14:42:19-0700"},
                    {"name":"Customer","id":"2","operation":"Update","lastUpdated":"2015-10-05T14:42:20-0700"}]}},
                  {"realmId":"4620816365","dataChangeEvent":{"entities":[
                    {"name":"Customer","id":"1","operation":"Update","lastUpdated":"2015-10-05T14:42:21-0700"}]}}]}""");

        WebhookEventSplitter.Split split = WebhookEventSplitter.split(events(
                "eventNotifications[].dataChangeEvent.entities[]", "^realmId+name+id+lastUpdated", null, "id",
                Map.of("^realmId", "1185883450", "name", "Customer")), body, ID, "id", null);

        assertThat(split.skipped()).isEqualTo(1);
        assertThat(split.events()).extracting(WebhookEventSplitter.IntakeEvent::eventId).containsExactly(
                "1185883450:Customer:1:2015-10-05T14:42:19-0700", "1185883450:Customer:2:2015-10-05T14:42:20-0700");
        assertThat(split.events()).extracting(WebhookEventSplitter.IntakeEvent::recordKey).containsExactly("1", "2");
    }

    @Test
    void anEventIdMadeOfFieldsNeedsEachOfThem() throws Exception {
        Object body = json("""
                {"eventNotifications":[{"realmId":"1185883450","dataChangeEvent":{"entities":[{"name":"Customer","id":"1"}]}}]}""");

        assertThatThrownBy(() -> WebhookEventSplitter.split(events("eventNotifications[].dataChangeEvent.entities[]",
                "^realmId+name+id+lastUpdated", null, "id", null), body, ID, "id", null))
                .isInstanceOf(InvalidFieldException.class)
                .hasMessageContaining("eventNotifications[0].dataChangeEvent.entities[0].lastUpdated");
    }

    @Test
    void xeroIntentToReceiveHasNoEvents() throws Exception {
        Object body = json("{\"events\":[],\"lastEventSequence\":0,\"firstEventSequence\":0,\"entropy\":\"S0m3r4Nd0mt3xt\"}");

        assertThat(WebhookEventSplitter.split(events("events[]", null, null, "resourceId", null), body, ID, "id", null)
                .events()).isEmpty();
    }

    @Test
    void aBodyThatIsNotWhereTheModelSaysIsRefusedNamingThePlace() throws Exception {
        Events xero = events("events[]", null, null, "resourceId", null);
        assertThatThrownBy(() -> WebhookEventSplitter.split(xero, json("{\"events\":{}}"), ID, "id", null))
                .isInstanceOf(InvalidFieldException.class).hasMessage("The events at events must be a JSON array");
        assertThatThrownBy(() -> WebhookEventSplitter.split(xero, json("{\"events\":[{\"resourceId\":\"a\"},7]}"), ID, "id", null))
                .hasMessage("The event at events[1] must be a JSON object");
        assertThatThrownBy(() -> WebhookEventSplitter.split(events(null, "id", "data.object", null, null),
                json("{\"id\":\"evt_1\",\"data\":{}}"), ID, "id", null))
                .hasMessage("The record at data.object must be a JSON object");
        assertThatThrownBy(() -> WebhookEventSplitter.split(events("[]", "eventId", null, "objectId", null),
                json("[{\"eventId\":true,\"objectId\":1}]"), ID, "id", null))
                .hasMessage("The event id [0].eventId must be a string or a whole number, but was a boolean");
    }

    @Test
    void oneEventWithoutAnIdPathKeepsTheRequestsEventId() throws Exception {
        WebhookEventSplitter.Split split = WebhookEventSplitter.split(events(null, null, "detail", null, null),
                json("{\"type\":\"zen:event-type:user.created\",\"detail\":{\"id\":\"35436\"}}"), ID, "id", "delivery-7");

        assertThat(split.events()).singleElement().satisfies(event -> {
            assertThat(event.eventId()).isEqualTo("delivery-7");
            assertThat(event.recordKey()).isEqualTo("35436");
        });
    }

    private static Events events(String list, String id, String record, String recordId, Map<String, String> only) {
        return new Events(list, id, record, recordId, only, null);
    }
}
