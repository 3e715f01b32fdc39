package io.syncline.webhook;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.compiled.CompiledModel;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.exchange.ExchangeContract;
import io.syncline.exchange.RouteContext;
import io.syncline.webhook.signature.SignatureVerifier;
import io.syncline.webhook.signature.SignedRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The signature stage of a webhook route, first after the request arrives
 * ({@code process: {ref: WebhookSignatureProcessor}}, for the source system in exchange property
 * {@value ExchangeContract#SOURCE_SYSTEM}). The verifier comes from the source system's
 * {@code webhook} in the model, as its type reads it ({@link SystemWebhooks}); a system without one
 * accepts unsigned requests. A failing request is a {@code SignatureRejectedException} (401)
 * and its body is never stored.
 */
@ApplicationScoped
@Named("WebhookSignatureProcessor")
@RegisterForReflection
public class WebhookSignatureProcessor implements Processor {

    private final SyncModelRegistry registry;
    private final SystemWebhooks webhooks;
    private final WebhookSecrets secrets;
    private final Clock clock;
    /** Verifiers by system, for the model in force; rebuilt when the model is reloaded. */
    private final Map<String, SignatureVerifier> verifiers = new ConcurrentHashMap<>();
    private volatile CompiledModel verifiersOf;

    @Inject
    public WebhookSignatureProcessor(SyncModelRegistry registry, SystemWebhooks webhooks, WebhookSecrets secrets) {
        this(registry, webhooks, secrets, Clock.systemUTC());
    }

    WebhookSignatureProcessor(SyncModelRegistry registry, SystemWebhooks webhooks, WebhookSecrets secrets, Clock clock) {
        this.registry = registry;
        this.webhooks = webhooks;
        this.secrets = secrets;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) {
        verify(RouteContext.require(exchange, ExchangeContract.SOURCE_SYSTEM), exchange);
    }

    void verify(String system, Exchange exchange) {
        SignatureVerifier verifier = verifier(system);
        SignedRequest request = signedRequest(exchange.getMessage());
        if (verifier instanceof HandedOverSecrets handedOver) {
            handedOver.verify(RouteContext.require(exchange, ExchangeContract.WEBHOOK_PATH), request, clock.instant());
        } else {
            verifier.verify(request, clock.instant());
        }
        // The scheme's own event id (GitHub's delivery id) lets the inbox refuse a replayed delivery.
        verifier.eventId(request).ifPresent(id -> exchange.setProperty(ExchangeContract.EVENT_ID, id));
    }

    private SignatureVerifier verifier(String system) {
        CompiledModel model = registry.current();
        if (model != verifiersOf) {
            verifiers.clear();
            verifiersOf = model;
        }
        // A system that declares no webhook (a database whose changes a relay posts) sends unsigned;
        // one whose senders hand secrets over in handshakes has a secret per webhook path.
        return verifiers.computeIfAbsent(system, name -> webhooks.webhook(name)
                .map(webhook -> webhook.handshake() != null && webhook.handshake().signedWith() != null
                        ? new HandedOverSecrets(name, webhook.handshake().signedWith(), secrets)
                        : webhook.signature().get())
                .orElse(SignatureVerifier.ACCEPT_ALL));
    }

    private static SignedRequest signedRequest(Message message) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        message.getHeaders().forEach((name, value) -> {
            if (value != null && !name.startsWith("Camel")) {
                headers.put(name, value.toString());
            }
        });
        // Read once: the bytes become the body, so the JSON parser after this step takes them as
        // they are instead of copying the request's stream into a second array.
        byte[] body = message.getBody(byte[].class);
        message.setBody(body);
        return new SignedRequest(message.getHeader(Exchange.HTTP_METHOD, String.class), requestUrl(message),
                headers, body);
    }

    /** The URL as the sender called it (HubSpot signs it): scheme, host, path and query. */
    private static String requestUrl(Message message) {
        String url = message.getHeader(Exchange.HTTP_URL, String.class);
        String query = message.getHeader(Exchange.HTTP_QUERY, String.class);
        if (url == null) {
            return null;
        }
        return query == null || query.isEmpty() || url.contains("?") ? url : url + "?" + query;
    }
}
