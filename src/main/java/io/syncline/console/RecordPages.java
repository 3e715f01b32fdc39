package io.syncline.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.vertx.web.Route;
import io.smallrye.common.annotation.Blocking;
import io.syncline.audit.FieldHistory;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.failure.BadParameterException;
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
 * current with its master (with "sync now", the sync-before-ship gate's push), its audit timeline,
 * and "why this value": the chain of changes that made one field's value in one system
 * ({@link FieldHistory}, as {@code GET /admin/audit/why} answers it), downloadable as JSON.
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
    @Inject
    FieldHistory history;
    @Inject
    ObjectMapper json;

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
            why(rc, data, record.entity(), record.canonicalId());
        }
        responder.page(rc, found.isEmpty() ? 404 : 200, "records", "records", data);
    }

    /** The "why this value" panel's data: its form's choices and, when it names a system and a field, the chain. */
    private void why(RoutingContext rc, Map<String, Object> data, String entity, String canonicalId) throws SQLException {
        String system = ConsoleForms.param(rc, "whySystem");
        String field = ConsoleForms.param(rc, "whyField");
        data.put("whySystem", system);
        data.put("whyField", field);
        data.put("whyFields", ConsoleModel.fields(registry, entity));
        if (system == null || field == null) {
            return;
        }
        try {
            data.put("why", history.chain(entity, canonicalId, null, system, field));
            data.put("whyJson", "/console/records/why.json?" + ConsoleQuery.of("entity", entity, "record", canonicalId,
                    "system", system, "field", field));
        } catch (BadParameterException | FieldHistory.NotFoundException e) {
            data.put("whyError", e.getMessage());
        }
    }

    /** "Why this value" as a JSON download: what {@code GET /admin/audit/why} answers. */
    @Route(path = "/console/records/why.json", methods = Route.HttpMethod.GET)
    @Blocking
    void whyJson(RoutingContext rc) throws Exception {
        String entity = ConsoleForms.param(rc, "entity");
        String field = ConsoleForms.param(rc, "field");
        Map<String, Object> chain;
        try {
            chain = history.chain(entity, ConsoleForms.param(rc, "record"), ConsoleForms.param(rc, "by"),
                    ConsoleForms.param(rc, "system"), field);
        } catch (BadParameterException e) {
            responder.error(rc, 400, "Cannot explain the value", e.getMessage());
            return;
        } catch (FieldHistory.NotFoundException e) {
            responder.error(rc, 404, "Not found", e.getMessage());
            return;
        }
        rc.response().setStatusCode(200)
                .putHeader("Content-Type", "application/json")
                .putHeader("Content-Disposition", "attachment; filename=\"why-" + entity + "-" + chain.get("system") + "-"
                        + field + ".json\"")
                .putHeader("Cache-Control", "no-store")
                .end(json.writerWithDefaultPrettyPrinter().writeValueAsString(chain));
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
