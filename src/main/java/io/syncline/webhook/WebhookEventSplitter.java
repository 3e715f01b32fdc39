package io.syncline.webhook;

import io.syncline.mapping.FieldPaths;
import io.syncline.model.RestSystem.WebhookEvents;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits a webhook body into the events it carries, as the source system's {@code webhook.events}
 * describes them: a list of events (HubSpot's array of thin events, Xero's {@code events},
 * QuickBooks' {@code eventNotifications[].dataChangeEvent.entities}) or one event that wraps its
 * record (Stripe's {@code data.object}). Each event keeps the sender's event id and the record's id,
 * checked as {@link IntakeIds} checks one event's; a field named in a refusal is the event's
 * place in the body ({@code [3].objectId}).
 */
public final class WebhookEventSplitter {

    /** One event of a request: the record to store, the sender's event id (or null) and the record's id. */
    public record IntakeEvent(Map<String, Object> record, String eventId, String recordKey) {
    }

    /** The events to store, and how many the {@code only} filter left out. */
    public record Split(List<IntakeEvent> events, int skipped) {
    }

    private static final String EACH = "[]";

    private WebhookEventSplitter() {
    }

    /**
     * @param body          the parsed body: an object, or a list where {@code list} is {@code []}
     * @param keySteps      the mapping's key within a record, for events without {@code recordId}
     * @param headerEventId the request's own event id (a header), for a body that is one event without {@code id}
     */
    public static Split split(WebhookEvents settings, Object body, String[] keySteps, String keyPath, String headerEventId) {
        List<Located> located = new ArrayList<>();
        if (settings.list() == null) {
            located.add(new Located("", body));
        } else {
            collect(body, "", settings.list().split("\\."), 0, located);
        }
        List<IntakeEvent> events = new ArrayList<>();
        int skipped = 0;
        for (Located event : located) {
            if (!(event.value() instanceof Map<?, ?>)) {
                throw new InvalidFieldException("invalid_type", name(event.where()), "The event at "
                        + name(event.where()) + " must be a JSON object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = (Map<String, Object>) event.value();
            if (!matches(settings.only(), fields)) {
                skipped++;
                continue;
            }
            events.add(event(settings, fields, event.where(), keySteps, keyPath,
                    located.size() == 1 ? headerEventId : null));
        }
        return new Split(events, skipped);
    }

    private static IntakeEvent event(WebhookEvents settings, Map<String, Object> fields, String where, String[] keySteps,
                                     String keyPath, String headerEventId) {
        Object record = settings.record() == null ? fields : FieldPaths.get(fields, settings.record());
        if (!(record instanceof Map<?, ?>)) {
            String field = at(where, settings.record());
            throw new InvalidFieldException("invalid_type", field, "The record at " + field + " must be a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> recordFields = (Map<String, Object>) record;
        String recordKey = settings.recordId() != null
                ? IntakeIds.recordKey(FieldPaths.get(fields, settings.recordId()), at(where, settings.recordId()))
                : IntakeIds.recordKey(FieldPaths.get(recordFields, keySteps),
                at(where, settings.record() == null ? keyPath : settings.record() + "." + keyPath));
        String eventId = settings.id() != null
                ? IntakeIds.eventId(FieldPaths.get(fields, settings.id()), at(where, settings.id()))
                : headerEventId;
        return new IntakeEvent(recordFields, eventId, recordKey);
    }

    /** Walks the list path: a step {@code a} reads a field, {@code a[]} or {@code []} then takes each element. */
    private static void collect(Object value, String where, String[] steps, int step, List<Located> into) {
        if (step == steps.length) {
            into.add(new Located(where, value));
            return;
        }
        String name = steps[step].endsWith(EACH) ? steps[step].substring(0, steps[step].length() - EACH.length()) : steps[step];
        Object next = value;
        String path = where;
        if (!name.isEmpty()) {
            next = value instanceof Map<?, ?> map ? map.get(name) : null;
            path = where.isEmpty() ? name : where + "." + name;
        }
        if (!steps[step].endsWith(EACH)) {
            collect(next, path, steps, step + 1, into);
            return;
        }
        if (!(next instanceof List<?> list)) {
            String field = name(path);
            throw new InvalidFieldException("invalid_type", field, "The events at " + field + " must be a JSON array");
        }
        for (int i = 0; i < list.size(); i++) {
            collect(list.get(i), path + "[" + i + "]", steps, step + 1, into);
        }
    }

    private static boolean matches(Map<String, String> only, Map<String, Object> fields) {
        if (only == null) {
            return true;
        }
        for (Map.Entry<String, String> wanted : only.entrySet()) {
            Object value = FieldPaths.get(fields, wanted.getKey());
            if (value == null || !value.toString().equals(wanted.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static String at(String where, String path) {
        return where.isEmpty() ? path : where + "." + path;
    }

    private static String name(String where) {
        return where.isEmpty() ? "(body)" : where;
    }

    private record Located(String where, Object value) {
    }
}
