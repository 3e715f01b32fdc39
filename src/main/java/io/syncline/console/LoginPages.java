package io.syncline.console;

import io.quarkus.vertx.web.Route;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.HashMap;
import java.util.Map;

/**
 * The console's login page (Quarkus' form authentication posts it to {@code /j_security_check})
 * and logout, which drops the session cookie.
 */
@ApplicationScoped
public class LoginPages {

    @Inject
    ConsoleResponder responder;
    @Inject
    @ConfigProperty(name = "quarkus.http.auth.form.cookie-name")
    String cookieName;

    // Blocking: authentication is lazy (quarkus.http.auth.proactive=false), and asking whether
    // someone is logged in may then have to check their session on a worker thread.
    @Route(path = "/console/login", methods = Route.HttpMethod.GET)
    @Blocking
    void login(RoutingContext rc) {
        Map<String, Object> data = new HashMap<>();
        if (rc.queryParam("error").contains("true")) {
            data.put("error", true);
        }
        responder.page(rc, 200, "login", null, data);
    }

    @Route(path = "/console/logout", methods = Route.HttpMethod.POST)
    @Blocking
    void logout(RoutingContext rc) {
        rc.response().addCookie(Cookie.cookie(cookieName, "").setPath("/").setMaxAge(0));
        responder.seeOther(rc, "/console/login");
    }
}
