package io.syncline.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Errors the HTTP layer answers before a route or resource has the request (no route for the
 * path: 404; a route, but not for the method: 405; a body over the limit: 413) and failures
 * nothing else handled: a JSON body of {@link ErrorBody}'s shape instead of Vert.x's HTML page or
 * Quarkus' text page. The operator console ({@code /console}) keeps its own pages.
 */
@ApplicationScoped
public class JsonErrorPages {

    private static final Logger LOG = Logger.getLogger(JsonErrorPages.class);
    private static final String CONSOLE = "/console";

    private final ObjectMapper mapper;
    private Router router;

    public JsonErrorPages(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    void register(@Observes Router router) {
        this.router = router;
        // Before Quarkus' own failure handler, which is registered last (and after the console's
        // login redirect, io.syncline.console.LoginFailureRedirect).
        router.route().order(Integer.MIN_VALUE + 1).failureHandler(this::failure);
        router.errorHandler(404, context -> unmatched(context, 404));
        router.errorHandler(405, context -> unmatched(context, 405));
    }

    private void failure(RoutingContext context) {
        if (context.response().headWritten() || isConsole(context)) {
            context.next();
            return;
        }
        int status = context.statusCode() > 0 ? context.statusCode() : securityStatus(context.failure());
        if (status == 401) {
            context.response().putHeader("WWW-Authenticate", AdminErrorMappers.CHALLENGE);
        }
        String message;
        if (status == 413) {
            message = "The body is larger than the limit (quarkus.http.limits.max-body-size)";
        } else if (status < 500) {
            message = context.failure() == null ? "The request was refused" : "The request was refused: "
                    + context.failure().getMessage();
        } else {
            String errorId = UUID.randomUUID().toString();
            LOG.errorf(context.failure(), "HTTP request to %s failed, error id %s", context.normalizedPath(), errorId);
            message = "The request failed; quote error id " + errorId + " when reporting it";
        }
        write(context, status, message);
    }

    /** Credentials refused where HTTP security checked them (not a resource): 401 or 403, else a 500. */
    private static int securityStatus(Throwable failure) {
        if (failure instanceof io.quarkus.security.AuthenticationFailedException
                || failure instanceof io.quarkus.security.UnauthorizedException) {
            return 401;
        }
        return failure instanceof io.quarkus.security.ForbiddenException ? 403 : 500;
    }

    private void unmatched(RoutingContext context, int status) {
        if (context.response().headWritten()) {
            return;
        }
        if (isConsole(context)) {
            context.response().setStatusCode(status).end();
            return;
        }
        if (status == 405) {
            String allowed = allowedMethods(context.normalizedPath());
            if (!allowed.isEmpty()) {
                context.response().putHeader(HttpHeaders.ALLOW, allowed);
            }
        }
        write(context, status, status == 404 ? "Nothing is at " + context.normalizedPath()
                : context.request().method() + " is not allowed on " + context.normalizedPath());
    }

    /** The methods of the routes on exactly this path (the webhooks' paths are fixed), for {@code Allow}. */
    private String allowedMethods(String path) {
        Set<String> methods = new TreeSet<>();
        for (Route route : router.getRoutes()) {
            if (path.equals(route.getPath()) && route.methods() != null) {
                route.methods().forEach(method -> methods.add(method.name()));
            }
        }
        return String.join(", ", methods);
    }

    private void write(RoutingContext context, int status, String message) {
        send(context, mapper, ErrorBody.of(status, ErrorBody.code(status), message, null));
    }

    /** Ends the response with {@code body} (of {@link ErrorBody}'s shape) as JSON, its status from the body. */
    static void send(RoutingContext context, ObjectMapper mapper, Map<String, Object> body) {
        int status = (Integer) body.get("status");
        String json;
        try {
            json = mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            json = "{\"status\":" + status + ",\"error\":\"" + body.get("error") + "\"}";
        }
        context.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(json);
    }

    /** The console's pages, and the form login they post to, answer as pages (a refused login redirects back). */
    private static boolean isConsole(RoutingContext context) {
        String path = context.normalizedPath();
        return path.equals(CONSOLE) || path.startsWith(CONSOLE + "/") || path.equals("/j_security_check");
    }
}
