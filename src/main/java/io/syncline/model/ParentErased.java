package io.syncline.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * What an erasure of a reference's parent ({@code privacy-requests}, docs/privacy.md) does to the
 * records that name it ({@code onParentErased} of a field with {@code ref}): {@code detach}, the
 * default, empties the reference and writes it empty to every target through the apply path;
 * {@code erase} erases the child too, in the same request, and its own children by their rules.
 */
public enum ParentErased {

    DETACH,
    ERASE;

    /** @throws IllegalArgumentException naming what may be written */
    @JsonCreator
    public static ParentErased of(String written) {
        return ByName.constant(ParentErased.class, written, "onParentErased");
    }

    @JsonValue
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
