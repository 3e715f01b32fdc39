package io.syncline.connector.spi;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One step of a system's check before its first event ({@link SystemType#check}): what was checked
 * (its credentials, whether it answers, an object or field a mapping names, its webhook), what was
 * found, and for a failure what to do about it, worded so that an operator can do it
 * ("create the HubSpot contacts property 'x' (type string)", "CREATE UNIQUE INDEX … ON t (key)").
 *
 * @param check   what was checked: {@code credentials}, {@code reachable}, {@code object contacts}, {@code table demo_contact}, {@code webhook}
 * @param outcome whether it passed, failed, or is something the type cannot tell
 * @param detail  what was found
 * @param fix     for a failure, what to do; null otherwise
 */
@RegisterForReflection
public record SystemCheck(String check, Outcome outcome, String detail, String fix) {

    /** How a step came out; only {@link #FAILED} fails the system's check. */
    public enum Outcome {
        PASSED, FAILED, NOT_CHECKED
    }

    public static SystemCheck passed(String check, String detail) {
        return new SystemCheck(check, Outcome.PASSED, detail, null);
    }

    public static SystemCheck failed(String check, String detail, String fix) {
        return new SystemCheck(check, Outcome.FAILED, detail, fix);
    }

    /** Something the type cannot tell from its side (a webhook set up in the provider's app settings). */
    public static SystemCheck notChecked(String check, String detail) {
        return new SystemCheck(check, Outcome.NOT_CHECKED, detail, null);
    }

    public boolean failed() {
        return outcome == Outcome.FAILED;
    }
}
