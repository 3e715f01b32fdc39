package io.syncline.console;

import io.quarkus.vertx.web.Route;
import io.smallrye.common.annotation.Blocking;
import io.syncline.audit.AuditExport;
import io.syncline.audit.AuditFilter;
import io.syncline.audit.AuditRecord;
import io.syncline.audit.AuditTrail;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.failure.BadParameterException;
import io.syncline.http.AdminParams;
import io.syncline.store.InvalidCursorException;
import io.syncline.store.Page;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.sql.SQLException;
import java.util.Map;

/**
 * The audit trail in the console: its entries by record, system, time, action and run, newest
 * first, {@value #PAGE} a page by cursor, and the same entries downloaded whole as CSV or JSON lines
 * ({@link AuditExport}, as {@code GET /admin/audit/export} writes them), streamed.
 */
@ApplicationScoped
public class AuditPages {

    static final int PAGE = 50;

    @Inject
    AuditTrail trail;
    @Inject
    AuditExport export;
    @Inject
    SyncModelRegistry registry;
    @Inject
    ConsoleResponder responder;

    @Route(path = "/console/audit", methods = Route.HttpMethod.GET)
    @Blocking
    void list(RoutingContext rc) throws SQLException {
        AuditFilter filter = filter(rc);
        if (filter == null) {
            return;
        }
        Map<String, Object> data = ConsoleFilters.read(rc, "entity", "record", "system", "from", "to", "action", "run").data();
        data.put("entities", ConsoleModel.entities(registry));
        data.put("systems", ConsoleModel.systems(registry));
        data.put("actions", AuditFilter.actionCodes());
        Page<AuditRecord> page;
        try {
            page = trail.page(filter, ConsoleForms.param(rc, "cursor"), PAGE);
        } catch (InvalidCursorException e) {
            responder.error(rc, 400, "Cannot list the audit trail", e.getMessage());
            return;
        }
        ConsoleQuery.putPage(rc, data, "entries", page);
        responder.page(rc, 200, "audit", "audit", data);
    }

    @Route(path = "/console/audit/export.csv", methods = Route.HttpMethod.GET)
    @Blocking
    void csv(RoutingContext rc) throws IOException, SQLException {
        download(rc, AuditExport.Format.CSV);
    }

    @Route(path = "/console/audit/export.jsonl", methods = Route.HttpMethod.GET)
    @Blocking
    void jsonLines(RoutingContext rc) throws IOException, SQLException {
        download(rc, AuditExport.Format.JSONL);
    }

    private void download(RoutingContext rc, AuditExport.Format format) throws IOException, SQLException {
        AuditFilter filter = filter(rc);
        if (filter == null) {
            return;
        }
        rc.response().putHeader("Content-Type", format.mediaType())
                .putHeader("Content-Disposition", "attachment; filename=\"audit." + format.extension() + "\"")
                .putHeader("Cache-Control", "no-store");
        try (ResponseStream body = new ResponseStream(rc.response())) {
            export.write(filter, format, body);
        }
    }

    /** The filter the query asks for; null when it cannot be one (the error page is answered). */
    private AuditFilter filter(RoutingContext rc) {
        try {
            return trail.filter(ConsoleForms.param(rc, "entity"), ConsoleForms.param(rc, "record"),
                    ConsoleForms.param(rc, "system"), AdminParams.instant("from", ConsoleForms.param(rc, "from")),
                    AdminParams.instant("to", ConsoleForms.param(rc, "to")), ConsoleForms.params(rc, "action"),
                    ConsoleForms.param(rc, "run"));
        } catch (BadParameterException e) {
            responder.error(rc, 400, "Cannot filter the audit trail", e.getMessage());
            return null;
        }
    }
}
