package io.syncline.mapping.transform;

/** Which way a value was travelling when a transform refused it; error messages say so. */
public enum Direction {

    /** System value to canonical value: "contact.phone from crm". */
    TO_CANONICAL("from"),

    /** Canonical value to system value: "contact.status to billing". */
    TO_SYSTEM("to");

    private final String preposition;

    Direction(String preposition) {
        this.preposition = preposition;
    }

    String preposition() {
        return preposition;
    }
}
