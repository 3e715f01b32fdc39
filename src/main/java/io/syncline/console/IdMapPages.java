package io.syncline.console;

import io.quarkus.vertx.web.Route;
import io.smallrye.common.annotation.Blocking;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.http.AdminParams;
import io.syncline.http.BadParameterException;
import io.syncline.matching.IdMapFilter;
import io.syncline.matching.IdMapLink;
import io.syncline.matching.IdMapRepository;
import io.syncline.store.InvalidCursorException;
import io.syncline.store.Page;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The cross-system ID map in the console: its links filtered by entity, system, canonical id,
 * system id prefix and link time, {@value #PAGE} a page by the map's cursor (as
 * {@code GET /admin/id-map} pages), each linking to its record's status page.
 */
@ApplicationScoped
public class IdMapPages {

    static final int PAGE = 50;

    private final IdMapRepository idMap;
    private final SyncModelRegistry registry;
    private final ConsoleResponder responder;

    public IdMapPages(IdMapRepository idMap, SyncModelRegistry registry, ConsoleResponder responder) {
        this.idMap = idMap;
        this.registry = registry;
        this.responder = responder;
    }

    @Route(path = "/console/id-map", methods = Route.HttpMethod.GET)
    @Blocking
    void list(RoutingContext rc) throws SQLException {
        String entity = ConsoleForms.param(rc, "entity");
        String system = ConsoleForms.param(rc, "system");
        String canonicalId = ConsoleForms.param(rc, "canonicalId");
        String prefix = ConsoleForms.param(rc, "systemIdPrefix");
        String linkedAfter = ConsoleForms.param(rc, "linkedAfter");
        Map<String, Object> data = new HashMap<>();
        data.put("entities", ConsoleModel.entities(registry));
        data.put("systems", ConsoleModel.systems(registry));
        data.put("entity", entity);
        data.put("system", system);
        data.put("canonicalId", canonicalId);
        data.put("systemIdPrefix", prefix);
        data.put("linkedAfter", linkedAfter);
        data.put("query", ConsoleQuery.of("entity", entity, "system", system, "canonicalId", canonicalId,
                "systemIdPrefix", prefix, "linkedAfter", linkedAfter));
        Page<IdMapLink> page;
        try {
            page = idMap.list(new IdMapFilter(entity, system, canonicalId, null, prefix,
                    AdminParams.instant("linkedAfter", linkedAfter)), ConsoleForms.param(rc, "cursor"), PAGE);
        } catch (BadParameterException | InvalidCursorException e) {
            responder.error(rc, 400, "Cannot list the ID map", e.getMessage());
            return;
        }
        ConsoleQuery.putPage(rc, data, "links", page);
        responder.page(rc, 200, "id-map", "id-map", data);
    }
}
