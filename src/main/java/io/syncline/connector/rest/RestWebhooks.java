package io.syncline.connector.rest;

import io.syncline.connector.rest.signature.SignatureVerifiers;
import io.syncline.model.ConfigEnvironment;
import io.syncline.model.Environment;
import io.syncline.model.SystemDefinition;
import io.syncline.webhook.SystemWebhook;
import io.syncline.webhook.signature.SignatureVerifier;

import java.util.Optional;

/**
 * A REST system's {@code webhook} settings as the webhook steps read them ({@link SystemWebhook}):
 * the REST family's signature schemes, where its events are (with {@code only}'s values resolved from
 * the system's settings), its answer and whether its events are thin.
 */
public final class RestWebhooks {

    private static final Environment ENVIRONMENT = new ConfigEnvironment();

    private RestWebhooks() {
    }

    /** The webhook of a system of the REST family; empty for one that declares none. */
    public static Optional<SystemWebhook> of(SystemDefinition definition) {
        if (!RestSettings.isOf(definition) || RestSettings.of(definition).webhook() == null) {
            return Optional.empty();
        }
        RestSettings rest = RestSettings.of(definition);
        RestSettings.Webhook webhook = rest.webhook();
        RestSettings.WebhookEvents events = rest.webhookEvents();
        RestSettings.WebhookAnswer answer = webhook.answer();
        RestSettings.WebhookChallenge challenge = webhook.challenge();
        RestSettings.WebhookHandshake handshake = webhook.handshake();
        return Optional.of(new SystemWebhook(() -> verifier(webhook),
                events == null ? null : new SystemWebhook.Events(events.list(), events.id(), events.record(),
                        events.recordId(), events.only(), webhook.events().idHeader()),
                answer == null ? null : new SystemWebhook.Answer(answer.status(), answer.body() == RestSettings.AnswerBody.EMPTY),
                Boolean.TRUE.equals(webhook.fetch()),
                challenge == null ? null : new SystemWebhook.Challenge(challenge.header(), challenge.query(), challenge.answer()),
                handshake == null ? null : new SystemWebhook.Handshake(handshake.header(), handshake.field(),
                        Boolean.TRUE.equals(handshake.reveal()),
                        webhook.secret() != null ? null : secret -> SignatureVerifiers.create(webhook, secret))));
    }

    /**
     * A system without a signature scheme accepts unsigned requests. One whose secret a handshake
     * hands over has none here: its requests are checked with the stored secret, never this verifier.
     */
    private static SignatureVerifier verifier(RestSettings.Webhook webhook) {
        if (webhook.signature() == null) {
            return SignatureVerifier.ACCEPT_ALL;
        }
        if (webhook.handshake() != null && webhook.secret() == null) {
            // the settings checked as they will be once a secret is handed over
            SignatureVerifiers.create(webhook, "a secret handed over");
            return (request, now) -> {
                throw new IllegalStateException("a webhook whose secret a handshake hands over is checked with the stored secret");
            };
        }
        String secret = webhook.secret() == null ? null : webhook.secret().resolve(ENVIRONMENT);
        return SignatureVerifiers.create(webhook, secret);
    }
}
