package io.syncline.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.exchange.ExchangeContract;
import io.syncline.mapping.RecordHeldException;
import io.syncline.mapping.RecordRejectedException;
import io.syncline.matching.AmbiguousMatchException;
import io.syncline.store.InboxUnavailableException;
import io.syncline.store.StoreOutage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.jboss.logging.Logger;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the exception that stopped a webhook exchange into an HTTP answer with a JSON body.
 * A {@link WebhookRejection} is the sender's fault (4xx with the reason); a state store that
 * cannot be reached within the intake's bound (down, restarting, partitioned, a pooled connection
 * it dropped, no connection to be had in time) is a 503 with
 * {@code Retry-After} so the sender retries; anything else is a 500 carrying only the
 * exchange id, so internals never leak to the caller.
 */
@ApplicationScoped
@Named("WebhookErrorResponder")
public class WebhookErrorResponder implements Processor {

    private static final Logger LOG = Logger.getLogger(WebhookErrorResponder.class);

    @Inject
    ObjectMapper mapper;

    /** Where the event could not be stored for now: the sender is told to retry. */
    private record Unavailable(String code, String message, String what) {

        static Unavailable of(Exception cause) {
            if (cause instanceof InboxUnavailableException) {
                return new Unavailable("inbox_unavailable", "The inbox's brokers did not acknowledge the event; retry later",
                        "the inbox topic");
            }
            return StoreOutage.isOutage(cause)
                    ? new Unavailable("store_unavailable", "The state store cannot be reached; retry later", "the state store")
                    : null;
        }
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Map<String, Object> body = new LinkedHashMap<>();
        int status;
        String retryAfter = null;
        Unavailable unavailable = Unavailable.of(cause);
        if (cause instanceof RecordRejectedException rejected) {
            status = 422;
            body.put("error", "record_rejected");
            body.put("message", rejected.getMessage());
            body.put("problems", rejected.problems());
            body.put("deadLetterId", exchange.getProperty(ExchangeContract.DEAD_LETTER_ID));
        } else if (cause instanceof RecordHeldException || cause instanceof AmbiguousMatchException) {
            status = 202;
            body.put("status", "held");
            body.put("message", cause.getMessage());
            body.put("reasons", cause instanceof RecordHeldException held ? held.reasons() : List.of(cause.getMessage()));
            body.put("reviewItemId", exchange.getProperty(ExchangeContract.REVIEW_ITEM_ID));
        } else if (cause instanceof WebhookRejection rejection) {
            status = rejection.status();
            body.put("error", rejection.code());
            body.put("message", rejection.getMessage());
            if (rejection.field() != null) {
                body.put("field", rejection.field());
            }
        } else if (unavailable != null) {
            status = 503;
            retryAfter = "5";
            body.put("error", unavailable.code());
            body.put("message", unavailable.message());
            // No stack trace: the store's probe reports the outage once (io.syncline.store.StateStoreProbe),
            // and the sender retries; a line per refused webhook would bury that one.
            LOG.debugf("Webhook %s answered 503, %s is unavailable: %s", exchange.getFromRouteId(), unavailable.what(),
                    cause.getMessage());
        } else {
            status = 500;
            body.put("error", "internal_error");
            body.put("message", "The event could not be processed; quote the exchange id when reporting it");
            LOG.errorf(cause, "Webhook %s failed on exchange %s", exchange.getFromRouteId(), exchange.getExchangeId());
        }
        body.putIfAbsent("status", status);
        body.put("route", exchange.getFromRouteId());
        body.put("exchangeId", exchange.getExchangeId());

        Message answer = exchange.getMessage();
        // Request headers must not be echoed back as response headers.
        answer.removeHeaders("*");
        if (retryAfter != null) {
            answer.setHeader("Retry-After", retryAfter);
        }
        answer.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        answer.setHeader(Exchange.CONTENT_TYPE, "application/json");
        answer.setBody(mapper.writeValueAsString(body));
    }
}
