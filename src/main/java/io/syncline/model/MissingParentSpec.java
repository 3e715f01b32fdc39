package io.syncline.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * What becomes of a record whose reference names a record not linked yet in the source's or the
 * target's ID map: it waits up to {@code wait} (default an hour) for the parent's link, then goes
 * to the review queue naming the parent ({@code then: review}, the default) or is written with the
 * reference empty ({@code then: empty}). With {@code then: sync} the parent is fetched from the
 * record's source at the first wait and applied as its own event; the record waits for it as
 * before, and goes to the review queue at once if the source cannot return it, or after the wait.
 * Written in full, {@code missingParent: {wait: PT5M, then: empty}}, or as the action alone,
 * {@code missingParent: empty}, with the default wait.
 *
 * @param waitFor the model's {@code wait} (a record component cannot be named so)
 */
@RegisterForReflection
public record MissingParentSpec(String waitFor, Then then) {

    public static final Duration DEFAULT_WAIT = Duration.ofHours(1);
    public static final MissingParentSpec DEFAULT = new MissingParentSpec(null, null);

    public MissingParentSpec {
        then = then == null ? Then.REVIEW : then;
    }

    /**
     * As written: the action alone ({@code missingParent: empty}, after the default wait) or
     * {@code {wait: PT5M, then: empty}}.
     *
     * @throws IllegalArgumentException naming what may be written
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static MissingParentSpec of(Object written) {
        if (written instanceof String action) {
            return new MissingParentSpec(null, Then.of(action));
        }
        if (written instanceof Map<?, ?> settings && Set.of("wait", "then").containsAll(settings.keySet())
                && (settings.get("wait") == null || settings.get("wait") instanceof String)
                && (settings.get("then") == null || settings.get("then") instanceof String)) {
            Object then = settings.get("then");
            return new MissingParentSpec((String) settings.get("wait"), then == null ? null : Then.of((String) then));
        }
        throw new IllegalArgumentException("missingParent is review, empty, sync, or {wait: PT1H, then: review | empty | sync}, not "
                + written);
    }

    /** How long a record waits for its parent's link; the default where the model gives none (checked at start-up). */
    public Duration waitOrDefault() {
        return waitFor == null ? DEFAULT_WAIT : Durations.parse(waitFor);
    }

    public enum Then {

        REVIEW,
        EMPTY,
        /** The parent is fetched from the record's source and applied first; review if it cannot be. */
        SYNC;

        static Then of(String written) {
            return ByName.constant(Then.class, written, "missingParent's action");
        }
    }
}
