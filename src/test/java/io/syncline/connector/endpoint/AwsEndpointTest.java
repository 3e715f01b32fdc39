package io.syncline.connector.endpoint;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.syncline.exchange.ExchangeContract;
import io.syncline.testsupport.CamelEndpointResource;
import io.syncline.testsupport.S3Server;
import io.syncline.testsupport.SqsServer;
import io.syncline.testsupport.TestDatabase;
import io.syncline.testsupport.Throughout;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SQS queues and S3 buckets as Camel-endpoint systems, on independent implementations of their APIs
 * started for the class (ElasticMQ, S3Proxy): members sent to a queue are kept, one object each, in a
 * bucket, updated and deleted there; invoices dropped as objects in another bucket are sent to
 * another queue with their write's key; a message is deleted from its queue, and an object from its
 * bucket, only once its event is stored.
 */
@QuarkusTest
@WithTestResource(CamelEndpointResource.class)
class AwsEndpointTest {

    /** The servers of {@link CamelEndpointResource}. */
    SqsServer sqs;
    S3Server s3;

    @Test
    void aQueuesMembersAreKeptAsObjectsInABucketUpdatedAndDeleted() throws Exception {
        String sent = send("{\"id\": \"m-1\", \"email\": \"Ada@Example.COM\", \"name\": \"Ada\"}");

        assertThat(TestDatabase.awaitRowsOn(CamelEndpointResource.DATABASE_URL,
                "SELECT id FROM inbox WHERE source_system = 'crm-sqs' AND status = 'done' AND event_id LIKE '%" + sent + "%'"))
                .hasSize(1);
        assertThat(awaitObject("members/m-1.json", "ada@example.com")).contains("\"name\":\"Ada\"");

        send("{\"id\": \"m-1\", \"email\": \"ada@example.com\", \"name\": \"Ada Lovelace\"}");
        assertThat(awaitObject("members/m-1.json", "Ada Lovelace")).contains("\"id\":\"m-1\"");

        send("{\"id\": \"m-1\", \"deleted\": true}");
        Awaitility.await("members/m-1.json deleted").atMost(Duration.ofSeconds(30)).until(() -> object("members/m-1.json") == null);
        assertThat(rows("SELECT id FROM dead_letter WHERE source_system = 'crm-sqs'")).isEmpty();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> queued(CamelEndpointResource.SQS_IN) == 0);
    }

    @Test
    void aMessageStaysInItsQueueUntilItIsStored() throws Exception {
        try (java.sql.Connection connection = TestDatabase.connect(CamelEndpointResource.DATABASE_URL);
                java.sql.Statement statement = connection.createStatement()) {
            statement.execute("CREATE OR REPLACE FUNCTION refuse_m2() RETURNS trigger AS $$ BEGIN IF NEW.record_key = 'm-2'"
                    + " THEN RAISE EXCEPTION 'store away'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql");
            statement.execute("CREATE TRIGGER refuse_m2 BEFORE INSERT ON inbox FOR EACH ROW EXECUTE FUNCTION refuse_m2()");
            send("{\"id\": \"m-2\", \"email\": \"bo@example.com\", \"name\": \"Bo\"}");
            // refused by the store: neither stored nor dropped as a dead letter, and still in the queue
            Throughout.holds(Awaitility.await().pollInterval(Duration.ofMillis(200)), "m-2 neither stored nor dead",
                    Duration.ofSeconds(3), () -> {
                        assertThat(rows("SELECT id FROM inbox WHERE record_key = 'm-2'")).isEmpty();
                        assertThat(rows("SELECT id FROM dead_letter WHERE payload LIKE '%m-2%'")).isEmpty();
                    });
            assertThat(queued(CamelEndpointResource.SQS_IN)).isEqualTo(1);
            statement.execute("DROP TRIGGER refuse_m2 ON inbox");
        }
        // seen again after the queue's visibility timeout, stored now, then deleted from the queue
        assertThat(TestDatabase.awaitRowsOn(CamelEndpointResource.DATABASE_URL,
                "SELECT id FROM inbox WHERE record_key = 'm-2' AND status = 'done'")).hasSize(1);
        assertThat(awaitObject("members/m-2.json", "bo@example.com")).isNotNull();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> queued(CamelEndpointResource.SQS_IN) == 0);
    }

    @Test
    void objectsDroppedInABucketAreSentToAQueueOnceWithTheirKeyAndThenDeleted() throws Exception {
        try (S3Client client = s3.client()) {
            client.putObject(request -> request.bucket(CamelEndpointResource.BUCKET_IN).key("invoices/i-1.json"),
                    RequestBody.fromString("{\"number\": \"I-1\", \"amount\": \"120.00\"}", StandardCharsets.UTF_8));
            client.putObject(request -> request.bucket(CamelEndpointResource.BUCKET_IN).key("invoices/broken.json"),
                    RequestBody.fromString("{not json", StandardCharsets.UTF_8));
        }

        assertThat(TestDatabase.awaitRowsOn(CamelEndpointResource.DATABASE_URL,
                "SELECT event_id FROM inbox WHERE source_system = 'drop-s3' AND record_key = 'I-1' AND status = 'done'"))
                .hasSize(1).first().satisfies(row -> assertThat(row.get("event_id").toString()).contains("invoices/i-1.json@"));
        List<Message> written = new ArrayList<>();
        Awaitility.await("I-1 sent to the billing queue").atMost(Duration.ofSeconds(30)).until(() -> {
            written.addAll(receive(CamelEndpointResource.SQS_OUT));
            return !written.isEmpty();
        });
        assertThat(written).hasSize(1);
        assertThat(written.get(0).body()).contains("\"number\":\"I-1\"").contains("\"amount\":\"120.00\"");
        MessageAttributeValue key = written.get(0).messageAttributes().get(ExchangeContract.MESSAGE_ID_HEADER);
        assertThat(key).isNotNull();
        assertThat(key.stringValue()).startsWith("syncline-");

        List<Map<String, Object>> letters = TestDatabase.awaitRowsOn(CamelEndpointResource.DATABASE_URL,
                "SELECT reason, payload FROM dead_letter WHERE source_system = 'drop-s3'");
        assertThat(letters).hasSize(1);
        assertThat(letters.get(0).get("reason").toString()).contains("not valid JSON");
        // both objects are gone from the bucket once stored (the broken one as a dead letter)
        Awaitility.await("the dropped objects deleted").atMost(Duration.ofSeconds(30)).until(() -> dropped().isEmpty());
        assertThat(rows("SELECT id FROM inbox WHERE source_system = 'drop-s3'")).hasSize(1);
    }

    private String send(String body) {
        try (SqsClient client = sqs.client()) {
            String url = client.getQueueUrl(request -> request.queueName(CamelEndpointResource.SQS_IN)).queueUrl();
            return client.sendMessage(request -> request.queueUrl(url).messageBody(body)).messageId();
        }
    }

    private List<Message> receive(String queue) {
        try (SqsClient client = sqs.client()) {
            String url = client.getQueueUrl(request -> request.queueName(queue)).queueUrl();
            List<Message> messages = client.receiveMessage(request -> request.queueUrl(url).maxNumberOfMessages(10)
                    .messageAttributeNames("All").waitTimeSeconds(1)).messages();
            messages.forEach(message -> client.deleteMessage(request -> request.queueUrl(url).receiptHandle(message.receiptHandle())));
            return messages;
        }
    }

    /** Messages in the queue, visible or in flight. */
    private int queued(String queue) {
        try (SqsClient client = sqs.client()) {
            String url = client.getQueueUrl(request -> request.queueName(queue)).queueUrl();
            Map<String, String> attributes = client.getQueueAttributes(request -> request.queueUrl(url)
                    .attributeNamesWithStrings("ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"))
                    .attributesAsStrings();
            return Integer.parseInt(attributes.get("ApproximateNumberOfMessages"))
                    + Integer.parseInt(attributes.get("ApproximateNumberOfMessagesNotVisible"));
        }
    }

    private String awaitObject(String key, String containing) {
        return Awaitility.await(key + " holding " + containing).atMost(Duration.ofSeconds(30))
                .until(() -> object(key), body -> body != null && body.contains(containing));
    }

    private String object(String key) {
        try (S3Client client = s3.client()) {
            return client.getObjectAsBytes(request -> request.bucket(CamelEndpointResource.BUCKET_OUT).key(key))
                    .asString(StandardCharsets.UTF_8);
        } catch (NoSuchKeyException e) {
            return null;
        }
    }

    private List<String> dropped() {
        try (S3Client client = s3.client()) {
            return client.listObjectsV2(request -> request.bucket(CamelEndpointResource.BUCKET_IN)).contents().stream()
                    .map(S3Object::key).toList();
        }
    }

    private static List<Map<String, Object>> rows(String sql) {
        return TestDatabase.queryOn(CamelEndpointResource.DATABASE_URL, sql);
    }
}
