package io.syncline.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * How a system shows and takes deletions ({@code delete:} under a mapping).
 *
 * @param flag   as a source: path of a field that is true on a deleted record
 *               ({@code archived}, {@code deleted}, {@code IsDeleted})
 * @param mode   as a target: {@code hard} deletes the row, {@code soft} stamps {@code column}
 *               with the deletion time; a target without {@code mode} keeps its rows
 * @param column as a soft-delete target: the column that holds the deletion time
 */
@RegisterForReflection
public record DeleteSpec(String flag, Mode mode, String column) {

    public enum Mode {
        @JsonProperty("hard")
        HARD,
        @JsonProperty("soft")
        SOFT
    }
}
