package io.syncline.webhook;

import io.syncline.mapping.FieldPaths;
import io.syncline.webhook.SystemWebhook.Events;

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
 *
 * <p>Where a sender gives an event no id of its own, {@code id} may join several fields
 * ({@code name+id+lastUpdated}), and a field of nested lists may be read from the element of the
 * list around the event ({@code ^realmId}: QuickBooks names the company once per notification, not
 * per entity); {@code only} reads its fields the same way.
 */
public final class WebhookEventSplitter {

    /** One event of a request: the record to store, the sender's event id (or null) and the record's id. */
    public record IntakeEvent(Map<String, Object> record, String eventId, String recordKey) {
    }

    /** The events to store, and how many the {@code only} filter left out. */
    public record Split(List<IntakeEvent> events, int skipped) {
    }

    private static final String EACH = "[]";
    /** Joins the fields of an event id made of several. */
    private static final String JOIN = "+";
    /** Marks a field of the element of the enclosing list. */
    private static final String ENCLOSING = "^";

    private WebhookEventSplitter() {
    }

    /**
     * @param body          the parsed body: an object, or a list where {@code list} is {@code []}
     * @param keySteps      the mapping's key within a record, for events without {@code recordId}
     * @param headerEventId the request's own event id (a header), for a body that is one event without {@code id}
     */
    public static Split split(Events settings, Object body, String[] keySteps, String keyPath, String headerEventId) {
        List<Located> located = new ArrayList<>();
        if (settings.list() == null) {
            located.add(new Located("", body, null));
        } else {
            collect(body, "", null, settings.list().split("\\."), 0, located);
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
            if (!matches(settings.only(), fields, event.enclosing())) {
                skipped++;
                continue;
            }
            events.add(event(settings, fields, event, keySteps, keyPath, located.size() == 1 ? headerEventId : null));
        }
        return new Split(events, skipped);
    }

    private static IntakeEvent event(Events settings, Map<String, Object> fields, Located located, String[] keySteps,
            String keyPath, String headerEventId) {
        String where = located.where();
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
        String eventId = settings.id() != null ? eventId(settings.id(), fields, located) : headerEventId;
        return new IntakeEvent(recordFields, eventId, recordKey);
    }

    /** The event's id at {@code id}: one field, or several joined by {@value #JOIN} (each present), their values joined by ':'. */
    private static String eventId(String id, Map<String, Object> fields, Located located) {
        if (!id.contains(JOIN)) {
            return IntakeIds.eventId(read(fields, located.enclosing(), id), at(located.where(), id));
        }
        StringBuilder joined = new StringBuilder();
        for (String part : id.split(java.util.regex.Pattern.quote(JOIN))) {
            String field = at(located.where(), part);
            Object value = read(fields, located.enclosing(), part);
            if (value == null) {
                throw new InvalidFieldException("missing_field", field, "The event has no " + field
                        + ", which its id is made of");
            }
            joined.append(joined.isEmpty() ? "" : ":").append(IntakeIds.recordKey(value, field));
        }
        return IntakeIds.eventId(joined.toString(), at(located.where(), id));
    }

    /** A field of the event, or of the enclosing list's element where the path starts with {@value #ENCLOSING}. */
    private static Object read(Map<String, Object> fields, Object enclosing, String path) {
        if (path.startsWith(ENCLOSING)) {
            return enclosing instanceof Map<?, ?> outer ? FieldPaths.get(castMap(outer), path.substring(ENCLOSING.length())) : null;
        }
        return FieldPaths.get(fields, path);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    /** Walks the list path: a step {@code a} reads a field, {@code a[]} or {@code []} then takes each element. */
    private static void collect(Object value, String where, Object enclosing, String[] steps, int step, List<Located> into) {
        if (step == steps.length) {
            into.add(new Located(where, value, enclosing));
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
            collect(next, path, enclosing, steps, step + 1, into);
            return;
        }
        if (!(next instanceof List<?> list)) {
            String field = name(path);
            throw new InvalidFieldException("invalid_type", field, "The events at " + field + " must be a JSON array");
        }
        for (int i = 0; i < list.size(); i++) {
            // an element of a list that holds further lists encloses the events within it
            Object within = step + 1 < steps.length ? list.get(i) : enclosing;
            collect(list.get(i), path + "[" + i + "]", within, steps, step + 1, into);
        }
    }

    private static boolean matches(Map<String, String> only, Map<String, Object> fields, Object enclosing) {
        if (only == null) {
            return true;
        }
        for (Map.Entry<String, String> wanted : only.entrySet()) {
            Object value = read(fields, enclosing, wanted.getKey());
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

    /** An event, where it is in the body, and the element of the list around it (null: none). */
    private record Located(String where, Object value, Object enclosing) {
    }
}
