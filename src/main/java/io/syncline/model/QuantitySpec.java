package io.syncline.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;

/**
 * A canonical field synced as changes rather than values ({@code quantity:} on the field): a stock
 * level, a balance. Each event carries how much the quantity changed, and every target adds that
 * change to what it holds, once; a change that would take a target below {@code floor} is held
 * for review ({@code below: hold}, the default) or rejected ({@code below: reject}) instead of
 * written. With {@code write: master} the systems other than the master are not added to but set
 * to the master's quantity after each change the master takes, for APIs that only set a value.
 * Written as {@code quantity: true} (no floor) or {@code quantity: {floor: 0, below: hold, write:
 * changes | master}} (docs/model.md, "Quantities").
 */
@RegisterForReflection
public record QuantitySpec(BigDecimal floor, Below below, Write write) {

    public QuantitySpec {
        below = below == null ? Below.HOLD : below;
        write = write == null ? Write.CHANGES : write;
    }

    public QuantitySpec(BigDecimal floor, Below below) {
        this(floor, below, null);
    }

    /**
     * As written: {@code true} or {@code {floor: 0, below: hold | reject}}; {@code false} is no
     * quantity.
     *
     * @throws IllegalArgumentException naming what may be written
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static QuantitySpec of(Object written) {
        if (Boolean.TRUE.equals(written)) {
            return new QuantitySpec(null, null);
        }
        if (Boolean.FALSE.equals(written)) {
            return null;
        }
        if (written instanceof Map<?, ?> settings && Set.of("floor", "below", "write").containsAll(settings.keySet())
                && (settings.get("floor") == null || settings.get("floor") instanceof Number)
                && (settings.get("below") == null || settings.get("below") instanceof String)
                && (settings.get("write") == null || settings.get("write") instanceof String)) {
            Object floor = settings.get("floor");
            Object below = settings.get("below");
            Object write = settings.get("write");
            return new QuantitySpec(floor == null ? null : new BigDecimal(floor.toString()),
                    below == null ? null : Below.of((String) below), write == null ? null : Write.of((String) write));
        }
        throw new IllegalArgumentException("quantity is true, or {floor: 0, below: hold | reject, write: changes | master}, not "
                + written);
    }

    /** Whether the systems other than the master are set to the master's quantity rather than added each change. */
    public boolean setFromMaster() {
        return write == Write.MASTER;
    }

    /** What the systems other than the master are written. */
    public enum Write {

        /** Each change, added to what the system holds (in place where its type can, else read, then written). */
        CHANGES,
        /**
         * The master's quantity once it took the change, set: a system's events go to the master alone,
         * and each change the master takes is pushed from the master to every other system.
         */
        MASTER;

        static Write of(String written) {
            return ByName.constant(Write.class, written, "quantity's write");
        }
    }

    /** What becomes of a change that would take a target's quantity below the floor. */
    public enum Below {

        /** The change waits in the review queue for a person's approval (kind held_by_rule). */
        HOLD,
        /** The change is a dead letter naming the floor. */
        REJECT;

        static Below of(String written) {
            return ByName.constant(Below.class, written, "quantity's below");
        }
    }
}
