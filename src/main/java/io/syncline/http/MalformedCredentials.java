package io.syncline.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * An {@code Authorization: Basic …} header on the admin API that is not Base64 of
 * {@code user:password} is answered 401 with a JSON body here: Quarkus' Basic mechanism would
 * fail on it with a 500. Paths that need no credentials never look at the header.
 */
@ApplicationScoped
public class MalformedCredentials {

    private static final String BASIC = "basic ";

    @Inject
    ObjectMapper mapper;

    void register(@Observes Filters filters) {
        filters.register(this::check, 50);
    }

    private void check(RoutingContext context) {
        String authorization = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && JsonErrorPages.isAdmin(context) && !wellFormed(authorization)) {
            context.response().putHeader("WWW-Authenticate", AdminErrorMappers.CHALLENGE);
            JsonErrorPages.send(context, mapper, ErrorBody.of(401, "unauthorized", "The Authorization header is not"
                    + " HTTP Basic credentials (Basic, then Base64 of user:password)", "Authorization"));
            return;
        }
        context.next();
    }

    /** Another scheme is left to the mechanisms (none takes it: 401); Basic must decode to {@code user:password}. */
    static boolean wellFormed(String authorization) {
        if (!authorization.toLowerCase(Locale.ROOT).startsWith(BASIC)) {
            return true;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(BASIC.length()).strip()),
                    StandardCharsets.UTF_8);
            return decoded.indexOf(':') > 0;
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
    }
}
