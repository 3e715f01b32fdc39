package io.syncline.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.quarkus.vertx.http.runtime.VertxHttpRecorder;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.syncline.config.SynclineConfig;
import io.syncline.links.IdMapResource;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
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
 *
 * <p>One request has a limit of its own: an ID map import ({@value IdMapResource#IMPORT_PATH}),
 * which streams its CSV to a file, takes up to {@code syncline.id-map.import-max-body-size}.
 * Quarkus has one limit for every path, checked by a route of its own
 * ({@link RouteConstants#ROUTE_ORDER_UPLOAD_LIMIT}) that ends any request declaring more; so the
 * import's declared length is set aside before that route and put back after it, where the
 * limit that the import's stream enforces is set to the import's own.
 */
@ApplicationScoped
public class BodySizeLimit {

    /** The import's declared length while Quarkus' limit route runs. */
    private static final String SET_ASIDE = "syncline.import-content-length";

    private final ObjectMapper mapper;
    private final long limit;
    private final long importLimit;

    public BodySizeLimit(ObjectMapper mapper,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> limit,
            SynclineConfig config) {
        this.mapper = mapper;
        this.limit = limit.map(MemorySize::asLongValue).orElse(Long.MAX_VALUE);
        this.importLimit = config.idMap().importMaxBodySize().asLongValue();
    }

    void register(@Observes Filters filters) {
        filters.register(this::check, 60);
    }

    void register(@Observes Router router) {
        router.route(HttpMethod.POST, IdMapResource.IMPORT_PATH).order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT + 1)
                .handler(this::importLimit);
    }

    private void check(RoutingContext context) {
        String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        boolean isImport = isImport(context);
        long allowed = isImport ? importLimit : limit;
        if (length != null && exceeds(length, allowed) && !context.normalizedPath().startsWith("/console")) {
            context.response().putHeader(HttpHeaders.CONNECTION, "close");
            JsonErrorPages.send(context, mapper, ErrorBody.of(413, ErrorBody.code(413), "The body has " + length
                    + " bytes; at most " + allowed + " are accepted (" + (isImport ? "syncline.id-map.import-max-body-size"
                            : "quarkus.http.limits.max-body-size")
                    + ")", null));
            return;
        }
        if (isImport && length != null && exceeds(length, limit)) {
            context.put(SET_ASIDE, length);
            context.request().headers().remove(HttpHeaders.CONTENT_LENGTH);
        }
        context.next();
    }

    /** After Quarkus' limit route: the import's length back, and its own limit for its stream. */
    private void importLimit(RoutingContext context) {
        String length = context.get(SET_ASIDE);
        if (length != null) {
            context.request().headers().set(HttpHeaders.CONTENT_LENGTH, length);
        }
        context.put(VertxHttpRecorder.MAX_REQUEST_SIZE_KEY, importLimit);
        context.next();
    }

    private static boolean isImport(RoutingContext context) {
        return context.request().method() == HttpMethod.POST && IdMapResource.IMPORT_PATH.equals(context.normalizedPath());
    }

    private static boolean exceeds(String length, long allowed) {
        try {
            return Long.parseLong(length.strip()) > allowed;
        } catch (NumberFormatException notANumber) {
            return false;
        }
    }
}
