package io.syncline.console;

import io.quarkus.vertx.web.Route;
import io.smallrye.common.annotation.Blocking;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.failure.BadParameterException;
import io.syncline.http.AdminParams;
import io.syncline.matching.IdMapFilter;
import io.syncline.matching.IdMapLink;
import io.syncline.matching.IdMapRepository;
import io.syncline.store.InvalidCursorException;
import io.syncline.store.Page;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.SQLException;
import java.util.Map;

/**
 * The cross-system ID map in the console: its links filtered by entity, system, canonical id,
 * system id prefix and link time, {@value #PAGE} a page by the map's cursor (as
 * {@code GET /admin/id-map} pages), each linking to its record's status page.
 */
@ApplicationScoped
public class IdMapPages {

    static final int PAGE = 50;

    @Inject
    IdMapRepository idMap;
    @Inject
    SyncModelRegistry registry;
    @Inject
    ConsoleResponder responder;

    @Route(path = "/console/id-map", methods = Route.HttpMethod.GET)
    @Blocking
    void list(RoutingContext rc) throws SQLException {
        ConsoleFilters filters = ConsoleFilters.read(rc, "entity", "system", "canonicalId", "systemIdPrefix", "linkedAfter");
        Map<String, Object> data = filters.data();
        data.put("entities", ConsoleModel.entities(registry));
        data.put("systems", ConsoleModel.systems(registry));
        Page<IdMapLink> page;
        try {
            page = idMap.list(new IdMapFilter(filters.get("entity"), filters.get("system"), filters.get("canonicalId"), null,
                    filters.get("systemIdPrefix"), AdminParams.instant("linkedAfter", filters.get("linkedAfter"))),
                    ConsoleForms.param(rc, "cursor"), PAGE);
        } catch (BadParameterException | InvalidCursorException e) {
            responder.error(rc, 400, "Cannot list the ID map", e.getMessage());
            return;
        }
        ConsoleQuery.putPage(rc, data, "links", page);
        responder.page(rc, 200, "id-map", "id-map", data);
    }
}
