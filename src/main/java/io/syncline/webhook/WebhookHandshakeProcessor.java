package io.syncline.webhook;

import com.fasterxml.jackson.databind.JsonNode;
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

import java.io.IOException;
import java.sql.SQLException;

/**
 * Takes a sender's handshake at a webhook's path ({@link SystemWebhook.Handshake}: Asana's
 * {@code X-Hook-Secret} when a webhook is created, Notion's {@code {"verification_token": …}} when a
 * subscription is): the secret kept for the signatures that follow ({@link WebhookSecrets}) and
 * answered 200, a header echoed in the same header, as the sender requires before it keeps the
 * webhook. Only an awaited handshake is taken; any other is refused with 403, so that a stranger
 * cannot plant a secret of their own.
 */
@ApplicationScoped
@Named("WebhookHandshakeProcessor")
@RegisterForReflection
public class WebhookHandshakeProcessor implements Processor {

    /** Longer than any sender's secret (Asana's is 64 hex characters). */
    static final int LONGEST = 1024;

    private final SystemWebhooks webhooks;
    private final WebhookSecrets secrets;
    private final ObjectMapper json;

    @Inject
    public WebhookHandshakeProcessor(SystemWebhooks webhooks, WebhookSecrets secrets, ObjectMapper json) {
        this.webhooks = webhooks;
        this.secrets = secrets;
        this.json = json;
    }

    /**
     * The request is a handshake: its system declares one, and the request carries its header, or a
     * JSON body with its field (read once: the bytes stay the body, for the steps that follow).
     */
    public boolean isHandshake(Exchange exchange) {
        String system = RouteContext.require(exchange, ExchangeContract.SOURCE_SYSTEM);
        SystemWebhook.Handshake handshake = webhooks.webhook(system).map(SystemWebhook::handshake).orElse(null);
        if (handshake == null) {
            return false;
        }
        return handshake.header() != null ? exchange.getMessage().getHeader(handshake.header()) != null
                : bodyField(exchange.getMessage(), handshake.field()) != null;
    }

    /** The body's member {@code field} when the body is a JSON object that has it; else null. */
    private String bodyField(Message message, String field) {
        byte[] body = message.getBody(byte[].class);
        message.setBody(body);
        // most requests are events, which the payload step parses anyway: parse here only a body that names the field
        if (body == null || body.length == 0 || body.length > LONGEST * 4
                || !new String(body, java.nio.charset.StandardCharsets.UTF_8).contains("\"" + field + "\"")) {
            return null;
        }
        try {
            JsonNode value = json.readTree(body).get(field);
            return value == null || !value.isTextual() ? null : value.asText();
        } catch (IOException notJson) {
            return null;
        }
    }

    @Override
    public void process(Exchange exchange) throws SQLException {
        String system = RouteContext.require(exchange, ExchangeContract.SOURCE_SYSTEM);
        String path = RouteContext.require(exchange, ExchangeContract.WEBHOOK_PATH);
        SystemWebhook.Handshake handshake = webhooks.webhook(system).map(SystemWebhook::handshake)
                .orElseThrow(() -> new IllegalStateException(system + " declares no webhook handshake"));
        Message message = exchange.getMessage();
        String secret = handshake.header() != null ? message.getHeader(handshake.header(), String.class)
                : bodyField(message, handshake.field());
        String carrier = handshake.carrier();
        if (secret == null || secret.isBlank() || secret.length() > LONGEST) {
            throw new HandshakeRefused(400, "invalid_handshake", carrier, carrier
                    + (secret == null || secret.isBlank() ? " is empty" : " is longer than " + LONGEST + " characters"));
        }
        if (handshake.signedWith() == null) {
            throw new HandshakeRefused(409, "handshake_not_taken", carrier, system + "'s webhook secret is set in"
                    + " the model, so a handshake's secret would sign nothing Syncline checks: remove webhook.secret from "
                    + system + " to take the secret from the handshake");
        }
        if (!secrets.take(system, path, secret.strip())) {
            throw new HandshakeRefused(403, "handshake_not_expected", carrier, "No handshake is awaited at "
                    + path + ": an administrator opens one (POST /admin/webhooks/" + system + "/handshakes) before the"
                    + " webhook is created");
        }
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        if (handshake.header() != null) {
            message.setHeader(handshake.header(), secret.strip());
        }
        message.setBody("");
    }

    /** A handshake that is not taken: its status and reason go back to the sender. */
    static final class HandshakeRefused extends WebhookRejection {

        HandshakeRefused(int status, String code, String header, String message) {
            super(status, code, header, message);
        }
    }
}
