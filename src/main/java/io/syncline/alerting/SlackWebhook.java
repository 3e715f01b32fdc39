package io.syncline.alerting;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.jboss.logging.Logger;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Slack-compatible incoming webhook: {@code POST {"text": …}} plus context fields, answered 2xx.
 * A message that cannot be delivered is logged and reported as not sent, never thrown. The URL is
 * a secret and is never logged.
 */
public final class SlackWebhook implements AlertChannel {

    private static final Logger LOG = Logger.getLogger(SlackWebhook.class);

    private final URI url;
    private final HttpClient client;
    private final ObjectMapper mapper;

    public SlackWebhook(URI url, HttpClient client, ObjectMapper mapper) {
        this.url = url;
        this.client = client;
        this.mapper = mapper;
    }

    @Override
    public String name() {
        return "slack";
    }

    @Override
    public boolean send(AlertMessage message) {
        Map<String, Object> context = new LinkedHashMap<>(message.labels());
        context.put("alert", message.alert());
        context.put("status", message.firing() ? "firing" : "resolved");
        return post(message.text(), context);
    }

    /** @return whether the webhook answered 2xx */
    public boolean post(String text, Map<String, Object> context) {
        try {
            Map<String, Object> body = new LinkedHashMap<>(context);
            body.put("text", text);
            HttpResponse<Void> response = client.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(body))).build(),
                    HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 != 2) {
                LOG.warnf("Slack notification answered HTTP %d", response.statusCode());
                return false;
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            LOG.warnf("Slack notification could not be delivered: %s", e.getClass().getSimpleName());
            return false;
        }
    }
}
