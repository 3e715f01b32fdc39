package io.syncline.console;

import io.quarkus.vertx.web.Route;
import io.smallrye.common.annotation.Blocking;
import io.syncline.deadletter.DeadLetter;
import io.syncline.deadletter.DeadLetterConflictException;
import io.syncline.deadletter.DeadLetterRepository;
import io.syncline.inbox.InboxCounts;
import io.syncline.inbox.InboxLookups;
import io.syncline.replay.DeadLetterAdmin;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Dead letters in the console: the list (filters, pages, a selection), one letter with its
 * payload and cause, replay (one, a selection, or every letter the filter finds, at most
 * {@value #BULK_LIMIT} a time) and discard with a reason, through {@link DeadLetterAdmin} as
 * {@code /admin/dead-letters} does, with the logged-in user's name kept on each letter. A bulk
 * replay shows the progress of the events it put back into the inbox.
 */
@ApplicationScoped
public class DeadLetterPages {

    static final int PAGE = 50;
    static final int BULK_LIMIT = 1000;

    @Inject
    DeadLetterAdmin admin;
    @Inject
    DeadLetterRepository deadLetters;
    @Inject
    InboxCounts inbox;
    @Inject
    InboxLookups events;
    @Inject
    ConsoleResponder responder;

    @Route(path = "/console/dead-letters", methods = Route.HttpMethod.GET)
    @Blocking
    void list(RoutingContext rc) throws SQLException {
        ConsoleFilters filters = ConsoleFilters.read(rc, "status", "route");
        String status = filters.get("status");
        String statusFilter = status == null ? "new" : DeadLetter.filterOf(status);
        String route = filters.get("route");
        int page = ConsoleForms.number(rc, "page", 0);
        Map<String, Object> data = filters.data();
        data.put("statuses", DeadLetter.STATUSES);
        data.put("all", DeadLetter.ALL);
        data.put("status", status == null ? "new" : status);
        data.put("routes", deadLetters.routeIds());
        if (statusFilter != null && !DeadLetter.STATUSES.contains(statusFilter)) {
            responder.error(rc, 400, "Unknown status", "Status '" + status + "' is unknown; use one of " + DeadLetter.STATUSES
                    + " or " + DeadLetter.ALL);
            return;
        }
        data.put("letters", admin.list(statusFilter, route, PAGE, page * PAGE));
        long total = admin.count(statusFilter, route);
        data.put("total", total);
        data.put("page", page);
        data.put("hasNext", (long) (page + 1) * PAGE < total);
        data.put("bulkLimit", BULK_LIMIT);
        responder.page(rc, 200, "dead-letters", "dead-letters", data);
    }

    @Route(regex = "/console/dead-letters/(?<id>\\d+)", methods = Route.HttpMethod.GET)
    @Blocking
    void letter(RoutingContext rc) throws SQLException {
        show(rc, ConsoleForms.id(rc), 200, ConsoleForms.param(rc, "done"), null);
    }

    @Route(path = "/console/dead-letters/:id/replay", methods = Route.HttpMethod.POST)
    @Blocking
    void replay(RoutingContext rc) throws SQLException {
        long id = ConsoleForms.id(rc);
        act(rc, id, () -> admin.replay(id, responder.user()).isPresent(), "replayed");
    }

    @Route(path = "/console/dead-letters/:id/discard", methods = Route.HttpMethod.POST)
    @Blocking
    void discard(RoutingContext rc) throws SQLException {
        long id = ConsoleForms.id(rc);
        String reason = ConsoleForms.param(rc, "reason");
        if (reason == null) {
            show(rc, id, 400, null, "Say why the dead letter is discarded");
            return;
        }
        act(rc, id, () -> admin.discard(id, responder.user(), reason), "discarded");
    }

    /** Something done to one letter: whether there was such a letter. */
    @FunctionalInterface
    private interface LetterAction {

        boolean found() throws SQLException;
    }

    /**
     * Takes {@code action} on letter {@code id}, then shows the letter saying it was {@code done}:
     * 404 when there is no such letter, its page with 409 when its status refuses the action.
     */
    private void act(RoutingContext rc, long id, LetterAction action, String done) throws SQLException {
        try {
            if (!action.found()) {
                responder.notFound(rc, "dead letter", id);
                return;
            }
            responder.seeOther(rc, "/console/dead-letters/" + id + "?done=" + done);
        } catch (DeadLetterConflictException e) {
            show(rc, id, 409, null, e.getMessage());
        }
    }

    /**
     * Replays the selected letters ({@code id}, repeated), or with {@code all=true} every new letter
     * of the filtered route, oldest pages last, at most {@value #BULK_LIMIT}; then shows the progress.
     */
    @Route(path = "/console/dead-letters/replay", methods = Route.HttpMethod.POST)
    @Blocking
    void replaySelection(RoutingContext rc) throws SQLException {
        Instant started = Instant.now();
        List<Long> ids = new ArrayList<>();
        if ("true".equals(ConsoleForms.param(rc, "all"))) {
            admin.list("new", ConsoleForms.param(rc, "route"), BULK_LIMIT).forEach(letter -> ids.add(letter.id()));
        } else {
            for (String id : ConsoleForms.params(rc, "id")) {
                try {
                    ids.add(Long.parseLong(id));
                } catch (NumberFormatException e) {
                    responder.error(rc, 400, "Not a dead letter", "'" + id + "' is not a dead letter's id");
                    return;
                }
            }
        }
        if (ids.isEmpty()) {
            responder.error(rc, 400, "Nothing selected", "Select the dead letters to replay, or replay all that the filter finds.");
            return;
        }
        int refused = 0;
        for (long id : ids) {
            try {
                admin.replay(id, responder.user());
            } catch (DeadLetterConflictException e) {
                refused++;
            }
        }
        responder.seeOther(rc, "/console/dead-letters/progress?since=" + started.toEpochMilli() + "&refused=" + refused);
    }

    /** What became of the events this user's replays since {@code since} put into the inbox. */
    @Route(path = "/console/dead-letters/progress", methods = Route.HttpMethod.GET)
    @Blocking
    void progress(RoutingContext rc) throws SQLException {
        String millis = ConsoleForms.param(rc, "since");
        Instant from = Instant.ofEpochMilli(millis == null ? 0 : parseLong(millis));
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String status : List.of("pending", "processing", "done", "held", "dead")) {
            counts.put(status, 0L);
        }
        counts.putAll(inbox.countByStatus(deadLetters.replayedInboxIds(responder.user(), from)));
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        long finished = counts.get("done") + counts.get("held") + counts.get("dead");
        Map<String, Object> data = new HashMap<>();
        data.put("counts", counts);
        data.put("total", total);
        data.put("finished", finished);
        data.put("since", from.toEpochMilli());
        data.put("refused", ConsoleForms.number(rc, "refused", 0));
        responder.page(rc, 200, "dead-letter-progress", "dead-letters", data);
    }

    private static long parseLong(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private void show(RoutingContext rc, long id, int status, String done, String error) throws SQLException {
        DeadLetter letter = admin.find(id).orElse(null);
        if (letter == null) {
            responder.notFound(rc, "dead letter", id);
            return;
        }
        Map<String, Object> data = new HashMap<>();
        data.put("letter", letter);
        String replayStatus = letter.replayedInboxId() == null ? null
                : events.status(letter.replayedInboxId()).map(InboxLookups.EventStatus::status).orElse("removed");
        data.put("replayStatus", replayStatus);
        // A replay is followed to its outcome: the page reloads itself while the event is under way.
        data.put("replayRunning", "pending".equals(replayStatus) || "processing".equals(replayStatus));
        data.put("done", done);
        data.put("error", error);
        responder.page(rc, status, "dead-letter", "dead-letters", data);
    }
}
