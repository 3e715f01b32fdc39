package io.syncline.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.text.InvalidEncodingException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.apache.commons.text.StringEscapeUtils.escapeHtml4;

/**
 * Errors the HTTP layer answers before a route or resource has the request (no route for the
 * path: 404; a route, but not for the method: 405; a body over the limit: 413) and failures
 * nothing else handled: a JSON body of {@link ErrorBody}'s shape instead of Vert.x's HTML page or
 * Quarkus' text page. The operator console ({@code /console}) answers a page of its own (a login
 * it needs still goes to its login page).
 */
@ApplicationScoped
public class JsonErrorPages {

    private static final Logger LOG = Logger.getLogger(JsonErrorPages.class);
    private static final String CONSOLE = "/console";
    private static final String ADMIN = "/admin";

    @Inject
    ObjectMapper mapper;
    private Router router;

    void register(@Observes Router router) {
        this.router = router;
        // Before Quarkus' own failure handler, which is registered last (and after the console's
        // login redirect, io.syncline.console.LoginFailureRedirect).
        router.route().order(Integer.MIN_VALUE + 1).failureHandler(this::failure);
        router.errorHandler(404, context -> unmatched(context, 404));
        router.errorHandler(405, context -> unmatched(context, 405));
    }

    private void failure(RoutingContext context) {
        if (context.response().headWritten() || isConsole(context) && needsLogin(context.failure())) {
            // the console's form login answers these: to the login page
            context.next();
            return;
        }
        // A security failure is routed here with status 500: its own status comes from its type.
        int security = securityStatus(context.failure());
        boolean notUtf8 = context.failure() instanceof InvalidEncodingException;
        int status = notUtf8 ? 400 : security != 500 ? security : context.statusCode() > 0 ? context.statusCode() : 500;
        if (isConsole(context)) {
            consolePage(context, status, status == 403 ? "Not allowed"
                    : status < 500 ? "Refused" : "Something went wrong",
                    status == 403
                            ? "Your role may look at the console but not act in it."
                            : notUtf8 ? "The form is not UTF-8: " + context.failure().getMessage() + "."
                            : status < 500 ? "The request was refused."
                            : "The request failed; quote error id " + logged(context) + " when reporting it.");
            return;
        }
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
            message = "The request failed; quote error id " + logged(context) + " when reporting it";
        }
        write(context, status, message);
    }

    /** Logs the failure under a fresh error id, which the answer quotes instead of the cause. */
    private static String logged(RoutingContext context) {
        String errorId = UUID.randomUUID().toString();
        LOG.errorf(context.failure(), "HTTP request to %s failed, error id %s", context.normalizedPath(), errorId);
        return errorId;
    }

    /** No login yet, or one refused: the form login takes the browser to the login page. */
    private static boolean needsLogin(Throwable failure) {
        return failure instanceof io.quarkus.security.AuthenticationRedirectException || securityStatus(failure) == 401;
    }

    /** The console's answer to an error: a page of its own, never Quarkus' default error page. */
    private static void consolePage(RoutingContext context, int status, String title, String message) {
        String html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escapeHtml4(title)
                + " · Syncline</title></head><body><main><h1>" + escapeHtml4(title) + "</h1><p>" + escapeHtml4(message)
                + "</p><p><a href=\"/console\">Back to the overview</a></p></main></body></html>";
        context.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8").end(html);
    }

    /** Credentials refused where HTTP security checked them (not a resource): 401 or 403, else a 500. */
    private static int securityStatus(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof io.quarkus.security.AuthenticationFailedException
                    || cause instanceof io.quarkus.security.UnauthorizedException) {
                return 401;
            }
            if (cause instanceof io.quarkus.security.ForbiddenException) {
                return 403;
            }
        }
        return 500;
    }

    private void unmatched(RoutingContext context, int status) {
        if (context.response().headWritten()) {
            return;
        }
        if (isConsole(context)) {
            consolePage(context, status, status == 404 ? "Not found" : "Not allowed", status == 404
                    ? "Nothing is at " + context.normalizedPath() + "."
                    : context.request().method() + " is not allowed on " + context.normalizedPath() + ".");
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

    /** A request of the admin API: {@code /admin} or a path below it, once normalised. */
    static boolean isAdmin(RoutingContext context) {
        String path = context.normalizedPath();
        return path.equals(ADMIN) || path.startsWith(ADMIN + "/");
    }

    /** The console's pages, and the form login they post to, answer as pages (a refused login redirects back). */
    private static boolean isConsole(RoutingContext context) {
        String path = context.normalizedPath();
        return path.equals(CONSOLE) || path.startsWith(CONSOLE + "/") || path.equals("/j_security_check");
    }
}
