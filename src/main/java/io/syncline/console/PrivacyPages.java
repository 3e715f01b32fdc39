package io.syncline.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.vertx.web.Route;
import io.smallrye.common.annotation.Blocking;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.privacy.access.SubjectAccessExport;
import io.syncline.privacy.request.PrivacyRequest;
import io.syncline.privacy.request.PrivacyRequests;
import io.syncline.privacy.subject.Subject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Privacy requests in the console: the list and a form for a new erasure or subject access, one
 * request with its plan and each system's part, and its actions (confirm or cancel a planned
 * erasure, retry a failed one, download an access request's export), through
 * {@link PrivacyRequests} as {@code /admin/privacy-requests} does, with the logged-in user's name
 * kept as who asked and who confirmed.
 */
@ApplicationScoped
public class PrivacyPages {

    @Inject
    PrivacyRequests requests;
    @Inject
    SubjectAccessExport exports;
    @Inject
    SyncModelRegistry registry;
    @Inject
    ConsoleResponder responder;
    @Inject
    ObjectMapper json;

    @Route(path = "/console/privacy", methods = Route.HttpMethod.GET)
    @Blocking
    void list(RoutingContext rc) throws Exception {
        Map<String, String> form = new HashMap<>();
        for (String field : List.of("kind", "by", "entity", "name", "value")) {
            form.put(field, null);
        }
        list(rc, 200, null, form);
    }

    /** A new request from the form: kind, entity, and system and id or field and value. */
    @Route(path = "/console/privacy", methods = Route.HttpMethod.POST)
    @Blocking
    void create(RoutingContext rc) throws Exception {
        String kind = ConsoleForms.param(rc, "kind");
        String by = ConsoleForms.param(rc, "by");
        String entity = ConsoleForms.param(rc, "entity");
        String name = ConsoleForms.param(rc, "name");
        String value = ConsoleForms.param(rc, "value");
        Map<String, String> form = new HashMap<>();
        form.put("kind", kind);
        form.put("by", by);
        form.put("entity", entity);
        form.put("name", name);
        form.put("value", value);
        if (!PrivacyRequest.ERASURE.equals(kind) && !PrivacyRequest.ACCESS.equals(kind)) {
            list(rc, 400, "Choose an erasure or a subject access", form);
            return;
        }
        // "by" says what the name is: a system (the value is the record's id there) or a match key.
        Subject subject = "system".equals(by) ? new Subject(entity, name, value, null, null)
                : new Subject(entity, null, null, name, value);
        if (subject.problem() != null) {
            list(rc, 400, subject.problem(), form);
            return;
        }
        try {
            responder.seeOther(rc, "/console/privacy/" + requests.create(kind, subject, responder.user()).id());
        } catch (IllegalArgumentException e) {
            list(rc, 400, e.getMessage(), form);
        }
    }

    @Route(regex = "/console/privacy/(?<id>\\d+)", methods = Route.HttpMethod.GET)
    @Blocking
    void request(RoutingContext rc) throws Exception {
        show(rc, ConsoleForms.id(rc), 200, ConsoleForms.param(rc, "done"), null);
    }

    @Route(path = "/console/privacy/:id/confirm", methods = Route.HttpMethod.POST)
    @Blocking
    void confirm(RoutingContext rc) throws Exception {
        long id = ConsoleForms.id(rc);
        act(rc, id, requests.confirm(id, responder.user()).isPresent(), "confirmed", "Only a planned erasure can be confirmed.");
    }

    @Route(path = "/console/privacy/:id/cancel", methods = Route.HttpMethod.POST)
    @Blocking
    void cancel(RoutingContext rc) throws Exception {
        long id = ConsoleForms.id(rc);
        act(rc, id, requests.cancel(id), "cancelled", "Only a planned request can be cancelled.");
    }

    @Route(path = "/console/privacy/:id/retry", methods = Route.HttpMethod.POST)
    @Blocking
    void retry(RoutingContext rc) throws Exception {
        long id = ConsoleForms.id(rc);
        act(rc, id, requests.retry(id, responder.user()), "retried", "Only a failed erasure can be retried.");
    }

    /** An access request's export as a JSON download. */
    @Route(path = "/console/privacy/:id/export", methods = Route.HttpMethod.GET)
    @Blocking
    void export(RoutingContext rc) throws Exception {
        long id = ConsoleForms.id(rc);
        Optional<PrivacyRequest> request = requests.find(id);
        if (request.isEmpty() || !PrivacyRequest.ACCESS.equals(request.get().kind())) {
            responder.error(rc, 404, "No such export", "There is no subject-access request " + id + ".");
            return;
        }
        rc.response().setStatusCode(200)
                .putHeader("Content-Type", "application/json")
                .putHeader("Content-Disposition", "attachment; filename=\"subject-access-" + id + ".json\"")
                .putHeader("Cache-Control", "no-store")
                .end(json.writerWithDefaultPrettyPrinter().writeValueAsString(exports.export(request.get())));
    }

    private void act(RoutingContext rc, long id, boolean done, String what, String refusal) throws Exception {
        if (requests.find(id).isEmpty()) {
            responder.notFound(rc, "privacy request", id);
        } else if (done) {
            responder.seeOther(rc, "/console/privacy/" + id + "?done=" + what);
        } else {
            show(rc, id, 409, null, refusal);
        }
    }

    private void list(RoutingContext rc, int status, String error, Map<String, String> form) throws Exception {
        Map<String, Object> data = new HashMap<>();
        data.put("requests", requests.list(100));
        data.put("entities", ConsoleModel.entities(registry));
        data.put("error", error);
        data.put("form", form);
        responder.page(rc, status, "privacy", "privacy", data);
    }

    private void show(RoutingContext rc, long id, int status, String done, String error) throws Exception {
        Optional<PrivacyRequest> request = requests.find(id);
        if (request.isEmpty()) {
            responder.notFound(rc, "privacy request", id);
            return;
        }
        Map<String, Object> data = new HashMap<>();
        data.put("request", request.get());
        data.put("scrubbed", request.get().scrubbed() == null ? List.of() : request.get().scrubbed().entrySet());
        // per entity, how many records naming the erased ones were erased with them and how many detached
        List<String> children = new ArrayList<>();
        request.get().children().forEach((entity, counts) -> children.add(entity + ": " + counts.getOrDefault("erased", 0)
                + " erased, " + counts.getOrDefault("detached", 0) + " detached"));
        data.put("children", children);
        data.put("done", done);
        data.put("error", error);
        responder.page(rc, status, "privacy-request", "privacy", data);
    }
}
