package io.syncline.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.syncline.failure.BadParameterException;
import io.syncline.links.IdMapResource;
import io.syncline.store.InvalidCursorException;
import io.syncline.store.StoreOutage;
import io.syncline.text.InvalidEncodingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.UUID;

/**
 * Every error of the admin API as JSON ({@link ErrorBody}): missing or wrong credentials (401,
 * with the Basic challenge), a body that is not UTF-8 or not JSON, a path id that is not a number, a wrong
 * method or content type, a state store that cannot be reached (503 with {@code Retry-After}, as
 * the webhooks answer), and anything unexpected (500 with an error id, never internals).
 */
public class AdminErrorMappers {

    private static final Logger LOG = Logger.getLogger(AdminErrorMappers.class);
    /** The challenge of HTTP Basic, as Quarkus' own 401 carries it. */
    static final String CHALLENGE = "Basic realm=\"Syncline admin\"";

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthorized() {
        return Response.fromResponse(ErrorBody.response(401, "unauthorized",
                "Credentials are missing or wrong; the admin API needs HTTP Basic credentials of an admin", null))
                .header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE).build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return ErrorBody.response(403, "forbidden", "This user may not use the admin API", null);
    }

    @ServerExceptionMapper
    public Response badParameter(BadParameterException e) {
        return ErrorBody.response(400, "bad_request", e.getMessage(), e.parameter());
    }

    @ServerExceptionMapper
    public Response badCursor(InvalidCursorException e) {
        return ErrorBody.response(400, "bad_request", e.getMessage(), "cursor");
    }

    @ServerExceptionMapper
    public Response notUtf8(InvalidEncodingException e) {
        return ErrorBody.response(400, InvalidEncodingException.CODE, "The body is not UTF-8: " + e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response notJson(JsonProcessingException e) {
        return ErrorBody.response(400, "malformed_json", "The body is not valid JSON: " + e.getOriginalMessage(), null);
    }

    @ServerExceptionMapper
    public Response refused(WebApplicationException e, UriInfo uri, jakarta.ws.rs.core.Request request,
            HttpHeaders headers) {
        int status = e.getResponse().getStatus();
        if (e.getCause() instanceof JsonProcessingException json) {
            return notJson(json);
        }
        String path = "/admin/" + uri.getPath().replaceFirst("^/", "");
        String message = switch (status) {
            case 404 -> "Nothing is at " + path + (e.getCause() != null ? " (an id in the path must be a number)" : "");
            case 405 -> request.getMethod() + " is not allowed on " + path;
            case 406 -> "This resource answers application/json only";
            case 415 -> "Content-Type " + headers.getMediaType() + " is not supported; send "
                    + (path.equals(IdMapResource.IMPORT_PATH) ? "text/csv" : MediaType.APPLICATION_JSON);
            default -> status >= 500 ? "The request failed" : "The request was refused: " + e.getMessage();
        };
        if (status >= 500) {
            return internal(e);
        }
        Response json = ErrorBody.response(status, ErrorBody.code(status), message, null);
        return e.getResponse().getHeaderString(HttpHeaders.ALLOW) == null ? json
                : Response.fromResponse(json).header(HttpHeaders.ALLOW, e.getResponse().getHeaderString(HttpHeaders.ALLOW))
                        .build();
    }

    @ServerExceptionMapper
    public Response internal(Exception e) {
        if (StoreOutage.isOutage(e)) {
            LOG.errorf(e, "Admin request failed: state store unavailable");
            return Response.fromResponse(ErrorBody.response(503, "store_unavailable",
                    "The state store cannot be reached; retry later", null)).header("Retry-After", "5").build();
        }
        String errorId = UUID.randomUUID().toString();
        LOG.errorf(e, "Admin request failed, error id %s", errorId);
        return ErrorBody.response(500, "internal_error", "The request failed; quote error id " + errorId
                + " when reporting it", null);
    }
}
