package io.syncline.console;

import io.quarkus.vertx.web.Route;
import io.smallrye.common.annotation.Blocking;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.status.RecordResync;
import io.syncline.status.RecordStatus;
import io.syncline.status.RecordStatusService;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Record status in the console: find a record by any system's id or its e-mail, then where it
 * lives in each system, what Syncline last wrote and who set each field, whether each system is
 * current with its master (with "sync now", the sync-before-ship gate's push), and its audit timeline.
 */
@ApplicationScoped
public class RecordPages {

    private static final int TIMELINE = 50;

    @Inject
    RecordFinder finder;
    @Inject
    RecordStatusService status;
    @Inject
    RecordResync resync;
    @Inject
    SyncModelRegistry registry;
    @Inject
    ConsoleResponder responder;

    @Route(path = "/console/records", methods = Route.HttpMethod.GET)
    @Blocking
    void search(RoutingContext rc) throws SQLException {
        String entity = ConsoleForms.param(rc, "entity");
        String query = ConsoleForms.param(rc, "q");
        Map<String, Object> data = new HashMap<>();
        data.put("entities", ConsoleModel.entities(registry));
        data.put("entity", entity);
        data.put("q", query);
        data.put("done", ConsoleForms.param(rc, "done"));
        if (query == null) {
            data.put("found", List.of());
            responder.page(rc, 200, "records", "records", data);
            return;
        }
        List<RecordFinder.Found> found = finder.find(entity, query);
        data.put("found", found);
        if (found.size() == 1) {
            RecordFinder.Found record = found.get(0);
            RecordStatus shown = status.status(record.entity(), record.canonicalId(), null);
            data.put("record", shown);
            data.put("timeline", finder.timeline(record.entity(), record.canonicalId(), TIMELINE));
        }
        responder.page(rc, found.isEmpty() ? 404 : 200, "records", "records", data);
    }

    /** Sync now: the master's last known values pushed to {@code system}, then the record shown again. */
    @Route(path = "/console/records/sync", methods = Route.HttpMethod.POST)
    @Blocking
    void syncNow(RoutingContext rc) throws SQLException, InterruptedException {
        String entity = ConsoleForms.param(rc, "entity");
        String canonicalId = ConsoleForms.param(rc, "canonicalId");
        String system = ConsoleForms.param(rc, "system");
        if (entity == null || canonicalId == null || system == null) {
            responder.error(rc, 400, "Incomplete request", "Name the entity, the record and the system to sync.");
            return;
        }
        String back = "/console/records?" + ConsoleQuery.of("entity", entity, "q", canonicalId);
        try {
            RecordResync.Outcome outcome = resync.push(entity, canonicalId, system, responder.user());
            responder.seeOther(rc, back + "&" + ConsoleQuery.of("done", "Sync to " + system + ": inbox event "
                    + outcome.inboxId() + " " + outcome.status() + (outcome.error() == null ? "" : " (" + outcome.error() + ")")));
        } catch (IllegalArgumentException | RecordStatusService.UnknownRecordException | RecordResync.ResyncNotPossibleException e) {
            responder.error(rc, 409, "Cannot sync", e.getMessage());
        }
    }
}
