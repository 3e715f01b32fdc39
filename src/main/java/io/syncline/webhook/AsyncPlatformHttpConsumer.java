package io.syncline.webhook;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.TypeConverter;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConsumer;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.apache.camel.support.MessageHelper;
import org.apache.camel.support.ObjectHelper;
import org.apache.camel.support.http.HttpUtil;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A platform-http consumer that frees its worker thread when the route goes on asynchronously.
 * Camel's own runs each request's route on a Vert.x worker thread and holds that thread until the
 * route ends, so a route waiting for a broker's acknowledgement holds one of the few worker threads
 * that also answer the health probes. This one starts the route on a worker thread as Camel's does,
 * and answers the request from the route's completion, on the request's own event loop, from
 * whichever thread the route ended on.
 *
 * <p>The answer is written as Camel's consumer writes it (status from
 * {@code CamelHttpResponseCode}, the message's headers through the endpoint's header filter, the
 * body as text or bytes), except that an exception the route did not handle is answered 500
 * without its stack trace. Proxy endpoints and form posts, which Camel's consumer reads in ways of
 * its own, are left to it.
 */
final class AsyncPlatformHttpConsumer extends VertxPlatformHttpConsumer {

    AsyncPlatformHttpConsumer(PlatformHttpEndpoint endpoint, Processor processor, List<io.vertx.core.Handler<RoutingContext>> handlers,
            String routerName) {
        super(endpoint, processor, handlers, routerName);
    }

    @Override
    protected void handleRequest(RoutingContext request) {
        if (isSuspended() || getEndpoint().isHttpProxy() || isForm(request)) {
            super.handleRequest(request);
            return;
        }
        Context loop = request.vertx().getOrCreateContext();
        Exchange exchange = createExchange(false);
        exchange.setPattern(ExchangePattern.InOut);
        processHttpRequest(exchange, request).onComplete(read -> {
            if (read.failed()) {
                failed(exchange, request, read.cause());
                return;
            }
            request.vertx().executeBlocking(() -> {
                createUoW(exchange);
                getAsyncProcessor().process(exchange, doneSync -> loop.runOnContext(ended -> answer(request, exchange)));
                return null;
            }, false).onFailure(cause -> failed(exchange, request, cause));
        });
    }

    private static boolean isForm(RoutingContext request) {
        String type = request.parsedHeaders().contentType().value();
        if (type == null) {
            return false;
        }
        String lower = type.toLowerCase(Locale.ROOT);
        return lower.startsWith("application/x-www-form-urlencoded") || lower.startsWith("multipart/form-data");
    }

    private void answer(RoutingContext request, Exchange exchange) {
        try {
            write(request, exchange, getEndpoint().getHeaderFilterStrategy());
        } catch (Exception e) {
            failed(exchange, request, e);
            return;
        }
        ended(exchange);
    }

    private static void write(RoutingContext request, Exchange exchange, HeaderFilterStrategy filter) throws Exception {
        HttpServerResponse response = request.response();
        Message message = exchange.getMessage();
        boolean failed = exchange.getException() != null;
        Object body = failed ? null : message.getBody();
        response.setStatusCode(HttpUtil.determineResponseCode(exchange, body));
        if (filter != null) {
            TypeConverter converter = exchange.getContext().getTypeConverter();
            for (Map.Entry<String, Object> header : message.getHeaders().entrySet()) {
                String name = header.getKey();
                HttpUtil.applyHeader(filter, exchange, ObjectHelper.createIterator(header.getValue(), null, true), converter,
                        name, (values, first) -> {
                            if (values != null) {
                                response.putHeader(name, values);
                            } else if (first != null) {
                                response.putHeader(name, first);
                            }
                        });
            }
        }
        String contentType = MessageHelper.getContentType(message);
        if (contentType != null) {
            response.putHeader("Content-Type", contentType);
        }
        if (body == null) {
            request.end();
        } else if (body instanceof String text) {
            request.end(text);
        } else if (body instanceof byte[] bytes) {
            request.end(Buffer.buffer(bytes));
        } else {
            request.end(Buffer.buffer(exchange.getContext().getTypeConverter().mandatoryConvertTo(byte[].class, exchange, body)));
        }
    }

    private void failed(Exchange exchange, RoutingContext request, Throwable cause) {
        getExceptionHandler().handleException("Failed handling platform-http endpoint " + getEndpoint().getPath(), cause);
        request.fail(cause);
        ended(exchange);
    }

    private void ended(Exchange exchange) {
        doneUoW(exchange);
        releaseExchange(exchange, false);
    }
}
