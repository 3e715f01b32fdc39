package io.syncline.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.exchange.ExchangeContract;
import io.syncline.exchange.RouteContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

import java.util.Map;

/**
 * Answers a sender's verification request at a webhook's path ({@link SystemWebhook.Challenge}):
 * the value it carries in its header or query parameter, echoed as {@code {"<field>": value}} or as
 * text. Nothing is stored and nothing is checked but the value's presence and length: echoing it
 * proves only that the path is served, which is all the sender asks.
 */
@ApplicationScoped
@Named("WebhookChallengeProcessor")
@RegisterForReflection
public class WebhookChallengeProcessor implements Processor {

    /** Longer than any sender's challenge (Okta's is 36 characters, Microsoft Graph's a few hundred). */
    static final int LONGEST = 1024;

    private final SystemWebhooks webhooks;
    private final ObjectMapper mapper;

    @Inject
    public WebhookChallengeProcessor(SystemWebhooks webhooks, ObjectMapper mapper) {
        this.webhooks = webhooks;
        this.mapper = mapper;
    }

    @Override
    public void process(Exchange exchange) throws JsonProcessingException {
        String system = RouteContext.require(exchange, ExchangeContract.SOURCE_SYSTEM);
        SystemWebhook.Challenge challenge = webhooks.webhook(system).map(SystemWebhook::challenge)
                .orElseThrow(() -> new IllegalStateException(system + " declares no webhook challenge"));
        Message message = exchange.getMessage();
        String carrier = challenge.header() != null ? challenge.header() : challenge.query();
        // platform-http puts query parameters among the headers, as it does the request's headers
        String value = message.getHeader(carrier, String.class);
        if (value == null || value.isBlank() || value.length() > LONGEST) {
            throw new ChallengeRefused(carrier, value == null || value.isBlank() ? "A verification request carries its value in "
                    + carrier + ", which is missing" : carrier + " is longer than " + LONGEST + " characters");
        }
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        message.setHeader("X-Content-Type-Options", "nosniff");
        if (challenge.field() == null) {
            message.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
            message.setBody(value);
        } else {
            message.setHeader(Exchange.CONTENT_TYPE, "application/json");
            message.setBody(mapper.writeValueAsString(Map.of(challenge.field(), value)));
        }
    }

    /** A verification request without its value, or with one no sender makes: 400. */
    static final class ChallengeRefused extends WebhookRejection {

        ChallengeRefused(String carrier, String message) {
            super(400, "invalid_challenge", carrier, message);
        }
    }
}
