package io.syncline.console;

import io.quarkus.qute.Engine;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.util.Map;

/**
 * Writes the console's answers: a page rendered in the console's layout (with who is logged in
 * and whether they may act), a redirect after an action, and error pages. Every page is
 * uncached, framed by nobody, and runs no script.
 */
@ApplicationScoped
@Named("ConsoleResponder")
public class ConsoleResponder {

    private static final String SECURITY_POLICY = "default-src 'self'; script-src 'none'; style-src 'self' 'unsafe-inline';"
            + " img-src 'self' data:; frame-ancestors 'none'; form-action 'self'";

    @Inject
    Engine engine;
    @Inject
    SecurityIdentity identity;

    /** The name of the user logged in (the actor of every action). */
    public String user() {
        return identity.getPrincipal().getName();
    }

    public boolean mayAct() {
        return identity.hasRole("admin");
    }

    /** Renders {@code console/<page>.html} with {@code data}, the user and the section {@code nav} marked current. */
    public void page(RoutingContext rc, int status, String page, String nav, Map<String, Object> data) {
        render(rc, status, page, nav, data, identity.isAnonymous() ? null : identity);
    }

    /**
     * The error page outside a page's handler (a failure, a URL no page answers), in the layout:
     * who is logged in comes from the request, where the HTTP permission check put it, since
     * asking the injected identity there may have to block the event loop.
     */
    void failurePage(RoutingContext rc, int status, String title, String message) {
        SecurityIdentity who = rc.user() instanceof QuarkusHttpUser user && !user.getSecurityIdentity().isAnonymous()
                ? user.getSecurityIdentity() : null;
        render(rc, status, "error", null, errorData(title, message), who);
    }

    private void render(RoutingContext rc, int status, String page, String nav, Map<String, Object> data, SecurityIdentity who) {
        TemplateInstance template = engine.getTemplate("console/" + page).instance();
        data.forEach(template::data);
        if (who != null) {
            template.data("user", who.getPrincipal().getName());
            template.data("mayAct", who.hasRole("admin"));
        }
        template.data("nav", nav);
        html(rc, status, template.render());
    }

    public void html(RoutingContext rc, int status, String body) {
        rc.response().setStatusCode(status)
                .putHeader("Content-Type", "text/html; charset=utf-8")
                .putHeader("Cache-Control", "no-store")
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Content-Security-Policy", SECURITY_POLICY)
                .end(body);
    }

    /** 303 See Other: the browser then GETs {@code location}, so a reload does not repeat the action. */
    public void seeOther(RoutingContext rc, String location) {
        rc.response().setStatusCode(303).putHeader("Location", location).putHeader("Cache-Control", "no-store").end();
    }

    public void error(RoutingContext rc, int status, String title, String message) {
        page(rc, status, "error", null, errorData(title, message));
    }

    /** 404 for an item of the console's lists: "No such {@code what}". */
    public void notFound(RoutingContext rc, String what, long id) {
        error(rc, 404, "No such " + what, "There is no " + what + " " + id + ".");
    }

    private static Map<String, Object> errorData(String title, String message) {
        return Map.of("title", title, "message", message);
    }
}
