package io.syncline.webhook;

import io.syncline.webhook.signature.SignatureVerifier;

import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What a source system says of its webhook requests, as its type reads them from its settings:
 * how they are signed, where their events are, what they are answered with, and whether its
 * events are thin. The webhook steps read it through {@link SystemWebhooks}, never a type's
 * settings.
 *
 * @param signature builds the verifier of the system's requests, once for the model in force; settings
 *                  that cannot work fail it with an {@link IllegalArgumentException} naming the setting
 * @param events    where the events of a request are; null: a request is one event, the record itself
 * @param answer    what a stored request is answered with; null: 202 with the inbox's answer
 * @param fetch     its events are thin (an id, not the record): the record is fetched before it is mapped
 * @param challenge the sender's verification request, answered at the webhook's path; null: none
 * @param handshake the sender's handshake, which hands the signing secret over; null: none
 */
public record SystemWebhook(Supplier<SignatureVerifier> signature, Events events, Answer answer, boolean fetch,
        Challenge challenge, Handshake handshake) {

    public SystemWebhook(Supplier<SignatureVerifier> signature, Events events, Answer answer, boolean fetch) {
        this(signature, events, answer, fetch, null, null);
    }

    /**
     * Where the events of a request are, and what each is ({@link WebhookEventSplitter}).
     *
     * @param list     path of the list of events ({@code events[]}, {@code []} for a body that is an array)
     * @param id       path of the sender's event id within an event, or several joined by {@code +}
     * @param record   path of the record within an event; the event itself when null
     * @param recordId path of the record's id within an event, for thin events
     * @param only     fields an event must hold, with these values, to be taken
     * @param idHeader the header of the sender's event id of a request of one event; null: {@code X-Event-Id}
     */
    public record Events(String list, String id, String record, String recordId, Map<String, String> only,
            String idHeader) {
    }

    /**
     * @param status the HTTP status; null: 202
     * @param empty  answered with no body, for senders that want none
     */
    public record Answer(Integer status, boolean empty) {
    }

    /**
     * A verification request the sender makes of a webhook before it delivers to it (Okta's event
     * hooks, Microsoft Graph's subscriptions): a {@code GET} carrying a value, which the webhook
     * echoes ({@link WebhookChallengeProcessor}).
     *
     * @param header the request header that carries the value; null when {@code query} does
     * @param query  the query parameter that carries it; null when {@code header} does
     * @param field  the answer is {@code {"<field>": value}}; null: the value alone, as text
     */
    public record Challenge(String header, String query, String field) {
    }

    /**
     * The handshake through which the sender hands over the secret that signs its deliveries, when a
     * webhook is created: a {@code POST} to the webhook's path carrying it in {@code header} (Asana's
     * {@code X-Hook-Secret}, answered 200 with the same header) or in the JSON body's {@code field}
     * (Notion's {@code verification_token}, answered 200) ({@link WebhookHandshakeProcessor}).
     *
     * @param header     the request header that carries the secret; null when {@code field} does
     * @param field      the member of the JSON body that carries it; null when {@code header} does
     * @param reveal     an administrator may read the secret back (the sender asks for it in its own settings)
     * @param signedWith the verifier of deliveries signed with a secret handed over; null where the
     *                   model names the secret, which then signs and no handshake is taken
     */
    public record Handshake(String header, String field, boolean reveal, Function<String, SignatureVerifier> signedWith) {

        /** Where the secret is, for the messages that name it. */
        public String carrier() {
            return header != null ? header : field;
        }
    }
}
