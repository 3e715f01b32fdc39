package io.syncline.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/**
 * A request whose declared {@code Content-Length} is over {@code quarkus.http.limits.max-body-size}
 * is answered 413 with a JSON body here, before Quarkus' own check ends it with an empty one. A
 * body sent in chunks that grows past the limit fails in the body handler instead, and
 * {@link JsonErrorPages} answers that.
 */
@ApplicationScoped
public class BodySizeLimit {

    private final ObjectMapper mapper;
    private final long limit;

    public BodySizeLimit(ObjectMapper mapper,
                         @ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> limit) {
        this.mapper = mapper;
        this.limit = limit.map(MemorySize::asLongValue).orElse(Long.MAX_VALUE);
    }

    void register(@Observes Filters filters) {
        filters.register(this::check, 60);
    }

    private void check(RoutingContext context) {
        String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && exceeds(length) && !context.normalizedPath().startsWith("/console")) {
            context.response().putHeader(HttpHeaders.CONNECTION, "close");
            JsonErrorPages.send(context, mapper, ErrorBody.of(413, ErrorBody.code(413), "The body has " + length
                    + " bytes; at most " + limit + " are accepted (quarkus.http.limits.max-body-size)", null));
            return;
        }
        context.next();
    }

    private boolean exceeds(String length) {
        try {
            return Long.parseLong(length.strip()) > limit;
        } catch (NumberFormatException notANumber) {
            return false;
        }
    }
}
