package io.syncline.testsupport;

import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.net.URI;
import java.util.Map;

/**
 * ElasticMQ, an independent implementation of Amazon SQS's API, in the tests' JVM on a free port.
 * It takes any credentials; the tests give it the same as {@link S3Server}'s.
 */
public final class SqsServer implements AutoCloseable {

    public static final String REGION = "us-east-1";

    private final int port;
    private final SQSRestServer server;

    private SqsServer(int port, SQSRestServer server) {
        this.port = port;
        this.server = server;
    }

    /** Starts a server with no queues; returns once it listens. */
    public static SqsServer started() {
        int port = ServerCommand.freePort();
        SQSRestServer server = SQSRestServerBuilder.withInterface("127.0.0.1").withPort(port).start();
        server.waitUntilStarted();
        return new SqsServer(port, server);
    }

    /** The address to give a system's {@code aws.endpoint}. */
    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** A client of this server; the caller closes it. */
    public SqsClient client() {
        return SqsClient.builder().endpointOverride(URI.create(endpoint())).region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(S3Server.ACCESS_KEY,
                        S3Server.SECRET_KEY)))
                .build();
    }

    /** Makes a queue whose messages, read and not deleted, are seen again after {@code visibilitySeconds}; its URL. */
    public String createQueue(String name, int visibilitySeconds) {
        try (SqsClient client = client()) {
            return client.createQueue(request -> request.queueName(name)
                    .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, String.valueOf(visibilitySeconds)))).queueUrl();
        }
    }

    /** Makes a FIFO queue ({@code name} ends in {@code .fifo}): each message group's messages in order; its URL. */
    public String createFifoQueue(String name, int visibilitySeconds) {
        try (SqsClient client = client()) {
            return client.createQueue(request -> request.queueName(name).attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true",
                    QueueAttributeName.VISIBILITY_TIMEOUT, String.valueOf(visibilitySeconds)))).queueUrl();
        }
    }

    @Override
    public void close() {
        server.stopAndWait();
    }
}
