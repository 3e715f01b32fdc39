package io.syncline.console;

import io.quarkus.security.AuthenticationFailedException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A refused console login goes back to the login page with its error, as a form login should.
 * Authentication is lazy here ({@code quarkus.http.auth.proactive=false}, so that paths needing no
 * credentials never look at an Authorization header), and a refused form post would otherwise
 * end as Quarkus' bare 401.
 */
@ApplicationScoped
public class LoginFailureRedirect {

    static final String LOGIN_POST = "/j_security_check";

    @Inject
    @ConfigProperty(name = "quarkus.http.auth.form.error-page")
    String errorPage;

    void register(@Observes Router router) {
        // Before every other failure handler (io.syncline.http.JsonErrorPages comes next).
        router.route(LOGIN_POST).order(Integer.MIN_VALUE).failureHandler(this::failure);
    }

    private void failure(RoutingContext context) {
        if (context.failure() instanceof AuthenticationFailedException && !context.response().headWritten()) {
            context.response().setStatusCode(302).putHeader("Location", errorPage).end();
            return;
        }
        context.next();
    }
}
