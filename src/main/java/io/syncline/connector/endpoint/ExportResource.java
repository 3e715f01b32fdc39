package io.syncline.connector.endpoint;

import io.syncline.compiled.SyncModelRegistry;
import io.syncline.http.ErrorBody;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Admin JSON API of a Camel-endpoint system's file export, for users in role {@code admin}: a run
 * now (as its schedule runs it: a file per entity with records to export, a run that did not finish
 * done again first), and each entity's runs.
 */
@Path("/exports/{system}/runs")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class ExportResource {

    private static final Logger LOG = Logger.getLogger(ExportResource.class);

    @Inject
    EndpointExports exports;
    @Inject
    SyncModelRegistry registry;

    @POST
    public Response run(@PathParam("system") String system) {
        if (!exports.exports(system)) {
            return notExporting(system);
        }
        try {
            return Response.ok(Map.of("system", system, "entities", exports.run(system))).build();
        } catch (Exception e) {
            LOG.errorf("The export of %s asked for through the admin API failed: %s", system, e.getMessage());
            return ErrorBody.response(Response.Status.BAD_GATEWAY, "export_failed", "The export of " + system + " did not"
                    + " finish: " + e.getMessage() + ". Its run is done again, with the same records and file name, next time.");
        }
    }

    @GET
    public Response runs(@PathParam("system") String system) throws SQLException {
        if (!exports.exports(system)) {
            return notExporting(system);
        }
        Map<String, List<ExportStore.Run>> runs = new LinkedHashMap<>();
        for (String entity : exports.entities(registry.current().model(), system)) {
            runs.put(entity, exports.runs(system, entity, 50));
        }
        return Response.ok(Map.of("system", system, "entities", runs)).build();
    }

    private static Response notExporting(String system) {
        return ErrorBody.response(Response.Status.NOT_FOUND, "not_found", "No system '" + system + "' of the model exports"
                + " files: a camel-endpoint system with export: {…} does");
    }
}
