package io.syncline.connector;

import io.syncline.http.ErrorBody;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Admin JSON API for users in role {@code admin}: {@code GET /admin/check} checks every system of the
 * running model before its first event (credentials, reachability, the objects and fields the
 * mappings name, webhook registration where the type can tell) and answers each system's status
 * with every problem's fix; {@code passed} is false when any system failed. {@code bin/syncline check}
 * prints it and exits non-zero on a failure.
 */
@Path("/check")
@RolesAllowed("admin")
public class SystemCheckResource {

    @Inject
    SystemChecks checks;

    /** The report as JSON; with {@code ?format=text}, as {@code bin/syncline check} prints it. */
    @GET
    public Response check(@QueryParam("format") String format) {
        SystemChecks.Report report = checks.run();
        if (format == null || format.equals("json")) {
            return Response.ok(report, MediaType.APPLICATION_JSON_TYPE).build();
        }
        if (format.equals("text")) {
            return Response.ok(report.text(), MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8")).build();
        }
        return ErrorBody.response(Response.Status.BAD_REQUEST, "bad_request", "format is json or text, not '" + format + "'");
    }
}
