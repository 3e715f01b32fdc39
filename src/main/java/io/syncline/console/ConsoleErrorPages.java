package io.syncline.console;

import io.quarkus.arc.Arc;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.AuthenticationRedirectException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.vertx.web.Route;
import io.syncline.text.InvalidEncodingException;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The console's errors as console pages, in its layout: a failure of a page or of the HTTP
 * permission checks (403 "Not allowed", 500 with an error id the log records with the cause) and
 * a console URL that no page answers (404 "Not found", or 405 when a page is there for another
 * method). A request that needs a login is left to the form login, which sends the browser to
 * the login page. Registered ahead of the application's JSON error pages, which answer
 * everything outside the console.
 */
@ApplicationScoped
public class ConsoleErrorPages {

    private static final Logger LOG = Logger.getLogger(ConsoleErrorPages.class);
    private static final String CONSOLE = "/console(/.*)?";

    /** A console page's path (a pattern) and the methods it takes. */
    private record PagePath(Pattern path, Set<HttpMethod> methods) {
    }

    @Inject
    ConsoleResponder responder;
    private List<PagePath> pages;

    void register(@Observes Router router) {
        // Failures first (io.syncline.http.JsonErrorPages comes at Integer.MIN_VALUE + 1)...
        router.routeWithRegex(CONSOLE).order(Integer.MIN_VALUE).failureHandler(this::failure);
        // ...and, after every page, a console URL none of them answered.
        router.routeWithRegex(CONSOLE).order(Integer.MAX_VALUE).handler(this::unmatched);
    }

    private void failure(RoutingContext rc) {
        int status = status(rc.failure(), rc.statusCode());
        if (rc.response().headWritten() || status == 401 || rc.failure() instanceof AuthenticationRedirectException) {
            rc.next();
            return;
        }
        if (status == 403) {
            responder.failurePage(rc, 403, "Not allowed", "Your role may look at the console but not act in it.");
        } else if (rc.failure() instanceof InvalidEncodingException notUtf8) {
            responder.failurePage(rc, 400, "Refused", "The form is not UTF-8: " + notUtf8.getMessage() + ".");
        } else if (status < 500) {
            responder.failurePage(rc, status, "Refused", "The request was refused.");
        } else {
            String errorId = UUID.randomUUID().toString();
            LOG.errorf(rc.failure(), "Console request to %s failed, error id %s", rc.normalizedPath(), errorId);
            responder.failurePage(rc, 500, "Something went wrong", "The request failed; quote error id " + errorId
                    + " when reporting it.");
        }
    }

    /** A security failure's own status (it is routed here as a 500), else the status the failure was given. */
    private static int status(Throwable failure, int given) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof AuthenticationFailedException || cause instanceof UnauthorizedException) {
                return 401;
            }
            if (cause instanceof ForbiddenException) {
                return 403;
            }
            if (cause instanceof InvalidEncodingException) {
                return 400;
            }
        }
        return given > 0 ? given : 500;
    }

    private void unmatched(RoutingContext rc) {
        String path = rc.normalizedPath();
        HttpMethod method = rc.request().method();
        // A page's empty set of methods takes every method.
        boolean otherMethod = pages().stream().anyMatch(page -> page.path().matcher(path).matches()
                && !page.methods().isEmpty() && !page.methods().contains(method));
        if (otherMethod) {
            responder.failurePage(rc, 405, "Not allowed", method + " is not allowed on " + path + ".");
        } else {
            responder.failurePage(rc, 404, "Not found", "Nothing is at " + path + ".");
        }
    }

    /** The paths of the console's pages: the {@link Route} methods of this package's beans. */
    private synchronized List<PagePath> pages() {
        if (pages == null) {
            List<PagePath> found = new ArrayList<>();
            for (Bean<?> bean : Arc.container().beanManager().getBeans(Object.class)) {
                if (!bean.getBeanClass().getPackageName().equals(ConsoleErrorPages.class.getPackageName())) {
                    continue;
                }
                for (Method handler : bean.getBeanClass().getDeclaredMethods()) {
                    for (Route route : handler.getAnnotationsByType(Route.class)) {
                        String regex = route.regex().isEmpty()
                                ? Arrays.stream(route.path().split("/", -1))
                                        .map(step -> step.startsWith(":") ? "[^/]+" : Pattern.quote(step))
                                        .reduce((a, b) -> a + "/" + b).orElse("")
                                : route.regex();
                        found.add(new PagePath(Pattern.compile(regex), Arrays.stream(route.methods())
                                .map(m -> HttpMethod.valueOf(m.name())).collect(Collectors.toSet())));
                    }
                }
            }
            pages = List.copyOf(found);
        }
        return pages;
    }
}
