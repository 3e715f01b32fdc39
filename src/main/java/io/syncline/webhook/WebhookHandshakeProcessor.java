package io.syncline.webhook;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.exchange.ExchangeContract;
import io.syncline.exchange.RouteContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

import java.sql.SQLException;

/**
 * Takes a sender's handshake at a webhook's path ({@link SystemWebhook.Handshake}: Asana's
 * {@code X-Hook-Secret} when a webhook is created): the secret kept for the signatures that follow
 * ({@link WebhookSecrets}) and echoed in the same header with 200, as the sender requires before it
 * keeps the webhook. Only an awaited handshake is taken; any other is refused with 403, so that a
 * stranger cannot plant a secret of their own.
 */
@ApplicationScoped
@Named("WebhookHandshakeProcessor")
@RegisterForReflection
public class WebhookHandshakeProcessor implements Processor {

    /** Longer than any sender's secret (Asana's is 64 hex characters). */
    static final int LONGEST = 1024;

    private final SystemWebhooks webhooks;
    private final WebhookSecrets secrets;

    @Inject
    public WebhookHandshakeProcessor(SystemWebhooks webhooks, WebhookSecrets secrets) {
        this.webhooks = webhooks;
        this.secrets = secrets;
    }

    /** The request is a handshake: its system declares one, and the request carries its header. */
    public boolean isHandshake(Exchange exchange) {
        String system = RouteContext.require(exchange, ExchangeContract.SOURCE_SYSTEM);
        return webhooks.webhook(system).map(SystemWebhook::handshake)
                .map(handshake -> exchange.getMessage().getHeader(handshake.header()) != null).orElse(false);
    }

    @Override
    public void process(Exchange exchange) throws SQLException {
        String system = RouteContext.require(exchange, ExchangeContract.SOURCE_SYSTEM);
        String path = RouteContext.require(exchange, ExchangeContract.WEBHOOK_PATH);
        SystemWebhook.Handshake handshake = webhooks.webhook(system).map(SystemWebhook::handshake)
                .orElseThrow(() -> new IllegalStateException(system + " declares no webhook handshake"));
        Message message = exchange.getMessage();
        String secret = message.getHeader(handshake.header(), String.class);
        if (secret == null || secret.isBlank() || secret.length() > LONGEST) {
            throw new HandshakeRefused(400, "invalid_handshake", handshake.header(), handshake.header()
                    + (secret == null || secret.isBlank() ? " is empty" : " is longer than " + LONGEST + " characters"));
        }
        if (handshake.signedWith() == null) {
            throw new HandshakeRefused(409, "handshake_not_taken", handshake.header(), system + "'s webhook secret is set in"
                    + " the model, so a handshake's secret would sign nothing Syncline checks: remove webhook.secret from "
                    + system + " to take the secret from the handshake");
        }
        if (!secrets.take(system, path, secret.strip())) {
            throw new HandshakeRefused(403, "handshake_not_expected", handshake.header(), "No handshake is awaited at "
                    + path + ": an administrator opens one (POST /admin/webhooks/" + system + "/handshakes) before the"
                    + " webhook is created");
        }
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        message.setHeader(handshake.header(), secret.strip());
        message.setBody("");
    }

    /** A handshake that is not taken: its status and reason go back to the sender. */
    static final class HandshakeRefused extends WebhookRejection {

        HandshakeRefused(int status, String code, String header, String message) {
            super(status, code, header, message);
        }
    }
}
