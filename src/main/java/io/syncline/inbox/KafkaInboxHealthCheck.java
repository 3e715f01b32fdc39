package io.syncline.inbox;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * Readiness of the inbox topic ({@code syncline.inbox.mode=kafka} only: {@link KafkaInboxProbe}
 * registers it in that mode, so the PostgreSQL mode has no such check), from the background
 * probe's last answer: it answers at once, and is DOWN while the brokers do not answer, since a
 * webhook would then be refused 503 after the delivery timeout; a load balancer sends it to a
 * replica that can store it. DOWN too while the topic does not exist, with an error naming it. The details give the topic, the consumer group and its lag as of the
 * last answer, and the probe's error.
 */
final class KafkaInboxHealthCheck implements HealthCheck {

    static final String NAME = "syncline-kafka-inbox";

    private final KafkaInboxProbe probe;

    KafkaInboxHealthCheck(KafkaInboxProbe probe) {
        this.probe = probe;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = probe.brokers().response(NAME)
                .withData("topic", probe.topic())
                .withData("group", probe.groupId());
        if (!probe.topicExists() && probe.brokers().reachable()) {
            // no send could be acknowledged: a webhook would wait for the delivery timeout and be refused
            response.down().withData("error", "the topic " + probe.topic() + " does not exist: create it");
        }
        Long lag = probe.lag();
        if (lag != null) {
            response.withData("lag", lag);
        }
        return response.build();
    }
}
