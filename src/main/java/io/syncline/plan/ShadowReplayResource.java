package io.syncline.plan;

import io.syncline.http.AdminParams;
import io.syncline.http.ErrorBody;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Admin API of shadow replays (docs/plan.md#shadow-replays), for users in role {@code admin}:
 * {@code POST /admin/shadow-replays?entity=…} with a candidate model's files as multipart parts
 * named {@code model} answers, once replayed, where the candidate's outcome of each event applied in
 * the window ({@code from}, {@code to}; the last day by default) differs from the running model's.
 * Fixtures (docs/plan.md#fixtures-in-ci): {@code GET /admin/shadow-replays/fixtures?entity=…}
 * captures the window's applied events with the running model's outcome of each; the same
 * document sent back as a part named {@code fixtures} replays them through the candidate (the
 * {@code model} parts, or the running model) and compares with what was recorded.
 */
@Path("/shadow-replays")
@RolesAllowed("admin")
public class ShadowReplayResource {

    private static final Logger LOG = Logger.getLogger(ShadowReplayResource.class);
    private static final long MAX_TIMEOUT_SECONDS = 3600;

    @Inject
    ShadowReplays replays;
    @Inject
    ReplayFixtures fixtures;

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response replay(@RestForm("model") List<FileUpload> model, @RestForm("fixtures") List<FileUpload> fixtures,
            @QueryParam("entity") String entity, @QueryParam("source") String source, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("limit") String limit, @QueryParam("timeout") String timeout) {
        Duration bound = timeout == null ? null
                : Duration.ofSeconds(AdminParams.limit("timeout", timeout, 0, (int) MAX_TIMEOUT_SECONDS));
        if (fixtures != null && !fixtures.isEmpty()) {
            return answer(() -> fixtures(model, fixtures, entity, source, bound));
        }
        if (entity == null || entity.isBlank()) {
            return ErrorBody.response(400, "bad_request", "name the entity whose events to replay (entity=), or send a fixture"
                    + " file as the part fixtures", "entity");
        }
        Instant end = end(to);
        Instant start = start(from, end);
        if (!start.isBefore(end)) {
            return ErrorBody.response(400, "bad_request", "from must be before to", "from");
        }
        Long events = limit == null ? null : (long) AdminParams.limit("limit", limit, 0, Integer.MAX_VALUE);
        return answer(() -> replays.replay(new ShadowReplays.Request(PlanResource.files(model), entity, source, start, end, events,
                bound)));
    }

    /**
     * The applied events of the window with the running model's outcome of each, as a fixture file
     * ({@code bin/syncline capture}): at most {@link ReplayFixtures#MAX_EVENTS}.
     */
    @GET
    @Path("/fixtures")
    public Response capture(@QueryParam("entity") String entity, @QueryParam("source") String source, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("limit") String limit) {
        if (entity == null || entity.isBlank()) {
            return ErrorBody.response(400, "bad_request", "name the entity whose events to capture (entity=)", "entity");
        }
        Instant end = end(to);
        Instant start = start(from, end);
        if (!start.isBefore(end)) {
            return ErrorBody.response(400, "bad_request", "from must be before to", "from");
        }
        Integer events = limit == null ? null : AdminParams.limit("limit", limit, 0, ReplayFixtures.MAX_EVENTS);
        return answer(() -> fixtures.capture(entity, source, start, end, events));
    }

    private Object fixtures(List<FileUpload> model, List<FileUpload> parts, String entity, String source, Duration bound)
            throws Exception {
        if (parts.size() > 1) {
            throw new PlanRefusedException(400, "bad_request", "send one fixture file as the part fixtures, not " + parts.size());
        }
        Fixtures document = fixtures.read(Files.readAllBytes(parts.get(0).uploadedFile()));
        if (entity != null && !entity.equals(document.entity()) || source != null && !source.equals(document.source())) {
            throw new PlanRefusedException(400, "bad_request", "the fixture file holds events of " + document.entity() + " from "
                    + document.source() + ", not of " + entity + (source == null ? "" : " from " + source));
        }
        return fixtures.replay(PlanResource.files(model), document, bound);
    }

    private static Instant end(String to) {
        Instant end = AdminParams.instant("to", to);
        return end == null ? Instant.now() : end;
    }

    private static Instant start(String from, Instant end) {
        Instant start = AdminParams.instant("from", from);
        return start == null ? end.minus(Duration.ofDays(1)) : start;
    }

    /** A replay's or capture's report as JSON, or the refusal or failure that stopped it. */
    private static Response answer(java.util.concurrent.Callable<Object> work) {
        try {
            return Response.ok(work.call(), MediaType.APPLICATION_JSON_TYPE).build();
        } catch (PlanRefusedException e) {
            return ErrorBody.response(e);
        } catch (Exception e) {
            LOG.warnf("A shadow replay failed: %s", e.getMessage());
            return ErrorBody.response(502, "replay_failed", "the shadow replay stopped: " + e.getMessage(), null);
        }
    }
}
