package io.syncline.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.Locale;
import java.util.Map;

/**
 * A NUL ({@code %00}) in an admin API path or query value is answered 400 here, naming the
 * parameter: PostgreSQL cannot take it in a query, so it would otherwise fail the lookup with a
 * 500. The same rule as a webhook body's text (docs/reference/webhook.md).
 */
@ApplicationScoped
public class AdminTextCheck {

    @Inject
    ObjectMapper mapper;

    void register(@Observes Filters filters) {
        filters.register(this::check, 40);
    }

    private void check(RoutingContext context) {
        if (JsonErrorPages.isAdmin(context)) {
            String field = null;
            if (context.request().path().toLowerCase(Locale.ROOT).contains("%00")) {
                field = "(path)";
            } else {
                for (Map.Entry<String, String> parameter : context.queryParams()) {
                    if (parameter.getKey().indexOf(0) >= 0 || parameter.getValue().indexOf(0) >= 0) {
                        field = parameter.getKey();
                        break;
                    }
                }
            }
            if (field != null) {
                JsonErrorPages.send(context, mapper, ErrorBody.of(400, "invalid_text",
                        "The request holds U+0000 (NUL), which PostgreSQL cannot take: " + field, field));
                return;
            }
        }
        context.next();
    }
}
