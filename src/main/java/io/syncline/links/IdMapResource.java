package io.syncline.links;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.http.AdminParams;
import io.syncline.http.ErrorBody;
import io.syncline.matching.IdMapFilter;
import io.syncline.matching.IdMapLink;
import io.syncline.matching.IdMapRepository;
import io.syncline.matching.SystemRecord;
import io.syncline.store.Page;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.StreamingOutput;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Admin JSON API of the cross-system ID map: its links, filtered and paged by a cursor (role
 * {@code admin}, or {@code viewer}, who sees them in the console too), and an import of links from
 * CSV ({@link LinkImport}, role {@code admin}).
 */
@Path("/id-map")
@Produces(MediaType.APPLICATION_JSON)
public class IdMapResource {

    /** The import's path, whose body may be larger than any other's (io.syncline.http.BodySizeLimit). */
    public static final String IMPORT_PATH = "/admin/id-map/import";
    static final int MAX_LIMIT = 1000;

    @Inject
    IdMapRepository idMap;
    @Inject
    LinkImport imports;
    @Inject
    ObjectMapper json;

    /** A page of links in (entity, system, system id) order; {@code nextCursor} asks for the next, null after the last. */
    @GET
    @RolesAllowed({"admin", "viewer"})
    public Map<String, Object> list(@QueryParam("entity") String entity, @QueryParam("system") String system,
            @QueryParam("canonicalId") String canonicalId, @QueryParam("systemId") String systemId,
            @QueryParam("systemIdPrefix") String systemIdPrefix,
            @QueryParam("linkedAfter") String linkedAfter, @QueryParam("cursor") String cursor,
            @QueryParam("limit") String limit) throws SQLException {
        IdMapFilter filter = new IdMapFilter(AdminParams.text(entity), AdminParams.text(system), AdminParams.text(canonicalId),
                AdminParams.text(systemId), AdminParams.text(systemIdPrefix), AdminParams.instant("linkedAfter", linkedAfter));
        Page<IdMapLink> page = idMap.list(filter, AdminParams.text(cursor), AdminParams.limit("limit", limit, 100, MAX_LIMIT));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("links", page.items());
        answer.put("nextCursor", page.nextCursor());
        return answer;
    }

    /**
     * Links the records of a CSV body ({@code text/csv}, UTF-8; columns in docs/reference/admin-api.md),
     * or with {@code dryRun=true} says what it would link. The body is checked whole first: a
     * malformed row is a 400 naming its line and column, and nothing is linked. Then the answer
     * streams, a row's outcome at a time, and ends with the summary.
     */
    @POST
    @Path("/import")
    @RolesAllowed("admin")
    @Consumes("text/csv")
    public Response importLinks(InputStream body, @QueryParam("dryRun") String dryRunParam, @Context HttpHeaders headers,
            @Context SecurityContext security) throws IOException {
        boolean dryRun = AdminParams.flag("dryRun", dryRunParam);
        String charset = headers.getMediaType() == null ? null : headers.getMediaType().getParameters().get("charset");
        if (charset != null && !charset.equalsIgnoreCase(StandardCharsets.UTF_8.name())) {
            return ErrorBody.response(415, "unsupported_media_type", "The CSV is read as UTF-8; charset " + charset
                    + " is not accepted", "Content-Type");
        }
        LinkImport.CheckedLinks checked;
        try {
            checked = imports.check(body);
        } catch (MalformedLinkException e) {
            Map<String, Object> error = ErrorBody.of(400, "malformed_csv", e.getMessage(), e.column());
            error.put("line", e.line());
            return Response.status(400).type(MediaType.APPLICATION_JSON_TYPE).entity(error).build();
        }
        String user = security.getUserPrincipal().getName();
        StreamingOutput answer = out -> {
            try (checked; JsonGenerator generator = json.getFactory().createGenerator(out)) {
                generator.writeStartObject();
                generator.writeStringField("importId", checked.importId());
                generator.writeBooleanField("dryRun", dryRun);
                generator.writeArrayFieldStart("rows");
                LinkImport.Summary summary = imports.run(checked, dryRun, user, outcome -> write(generator, outcome));
                generator.writeEndArray();
                generator.writeObjectFieldStart("summary");
                generator.writeNumberField("rows", summary.rows());
                generator.writeNumberField(dryRun ? "wouldLink" : "linked", summary.linked());
                generator.writeNumberField("alreadyLinked", summary.alreadyLinked());
                generator.writeNumberField("conflicts", summary.conflicts());
                generator.writeNumberField("links", summary.links());
                generator.writeEndObject();
                generator.writeEndObject();
            } catch (SQLException e) {
                throw new IOException("The ID map import " + checked.importId() + " failed", e);
            }
        };
        return Response.ok(answer, MediaType.APPLICATION_JSON_TYPE).build();
    }

    private static void write(JsonGenerator generator, LinkOutcome outcome) throws IOException {
        generator.writeStartObject();
        generator.writeNumberField("line", outcome.line());
        generator.writeStringField("outcome", outcome.kind().code());
        generator.writeStringField("entity", outcome.entity());
        generator.writeStringField("canonicalId", outcome.canonicalId());
        generator.writeArrayFieldStart("links");
        for (SystemRecord link : outcome.links()) {
            generator.writeStartObject();
            generator.writeStringField("system", link.system());
            generator.writeStringField("systemId", link.systemId());
            generator.writeEndObject();
        }
        generator.writeEndArray();
        if (outcome.message() != null) {
            generator.writeStringField("message", outcome.message());
        }
        generator.writeEndObject();
    }
}
